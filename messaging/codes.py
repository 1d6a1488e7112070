"""iJw 3.2 code lists with their Dutch meaning (IJW-3.2-NOTES §4), for pages and refusals."""

import re

from common.landen import LANDEN  # noqa: F401  (COD032 country codes; in common because referrals needs them too)

RETOURCODES = {
    "0001": "Het bericht is om technische redenen afgewezen (een controle op het bericht zelf faalde).",
    "0200": "Geen opmerkingen: dit deel van het bericht is goedgekeurd.",
    "0233": "Dit deel van het bericht is niet gecontroleerd.",
    "8848": "De dagtekening ligt na de systeemdatum van de ontvanger.",
    "9019": "De start of stop hoort bij geen bekende toewijzing (toewijzingnummer).",
    "9056": "Deze berichtidentificatie is door deze afzender al eens gebruikt voor dit soort bericht.",
    "9063": "Verwijderen (status 3) zonder eerdere aanlevering met dezelfde sleutel.",
    "9069": "Stop zonder bijbehorende start.",
    "9071": "Een start kan niet meer worden verwijderd nadat er een stop is gestuurd.",
    "9074": "Eerste aanlevering (status 1), maar deze sleutel is al ontvangen.",
    "9326": "Nieuwe start terwijl de vorige start nog niet is gestopt.",
    "9332": "Het toewijzingnummer is niet uniek binnen de gemeente.",
    "9347": "De referentie van de aanbieder is niet uniek.",
    "9349": "Het verzoek om wijziging noemt niet alle actuele toewijzingen van de jeugdige.",
    "9350": "Een ongewijzigd product hoort bij geen actuele toewijzing (toewijzingnummer).",
    "9351": "Een te wijzigen product hoort bij geen actuele toewijzing (toewijzingnummer).",
    "9355": "Het antwoord hoort bij geen bekend verzoek (referentie aanbieder onbekend).",
    "9357": "De gewenste ingangsdatum ligt op of vóór de dagtekening, maar is niet de ingangsdatum van de toewijzing.",
    "9359": "Op dit verzoek is al een toewijzing gestuurd.",
    "9360": "Er is al een antwoord 'in onderzoek' op dit verzoek.",
    "9365": "Er is al een definitief antwoord op dit verzoek.",
    "9374": "Er loopt al een verzoek voor deze jeugdige bij deze aanbieder.",
    "9373": "Het budget wijzigt, maar de gewenste ingangsdatum is niet de ingangsdatum van de toewijzing.",
    "9379": "De referentie van de aanbieder hoort bij geen verzoek om toewijzing.",
    "9385": "Toewijzing verwijderd terwijl er al goedgekeurde declaraties zijn.",
    "9411": "De toewijzing heeft een productcode: geef bij de wijziging de omvang.",
    "9412": "De toewijzing heeft geen productcode: geef bij de wijziging geen omvang.",
    "9413": "Twee keer een tijdelijke stop (reden 20).",
    "9414": "De einddatum van de stop gaat terug in de tijd.",
    "9415": "Er is al een definitieve stop.",
    "S300": "De gemeentecode staat niet in de CBS-lijst.",
    "S329": "De productcode hoort niet bij de productcategorie.",
}


def retourcode_text(code: str) -> str:
    return RETOURCODES.get(code, "Onbekende retourcode (zie lijst WJ001).")


def retourcode_label(code: str) -> str:
    """'9347 – De referentie van de aanbieder is niet uniek.'"""
    return f"{code} – {retourcode_text(code)}"


REFUSED_PREFIX = "Afgewezen: "


RETOURCODE_FORM = re.compile(r"[0-9]{4}|S[0-9]{3}")  # LDT_RetourCode values (WJ001)


def codes_in_summary(summary: str) -> list[str]:
    """The retourcodes a retour's summary names ('Afgewezen: 9347, S329'); [] for an accepting retour, and for
    an antwoordbericht's summary ('Afgewezen: Geen contract'), which names a reason, not codes."""
    if not summary or not summary.startswith(REFUSED_PREFIX):
        return []
    tokens = [c.strip() for c in summary.removeprefix(REFUSED_PREFIX).split(",") if c.strip()]
    return [c for c in tokens if RETOURCODE_FORM.fullmatch(c)]


def refused_summary(codes) -> str:
    return REFUSED_PREFIX + ", ".join(codes)


# The classes of a retour that carry RetourCodes (IJW-3.2-NOTES §6), as the pages name them.
RETOUR_CLASSES = {
    "Header": "Header (het bericht als geheel)",
    "Client": "Cliënt",
    "AangevraagdProduct": "Aangevraagd product",
    "ToegewezenProduct": "Toegewezen product",
    "StartProduct": "Gestart product",
    "StopProduct": "Gestopt product",
    "Antwoord": "Antwoord",
    "Woonplaatsbeginsel": "Woonplaatsbeginsel",
    "Contact": "Contact",
    "Relatie": "Relatie",
    "Verzoek": "Verzoek om wijziging",
    "OngewijzigdProduct": "Ongewijzigd product",
    "TeWijzigenProduct": "Te wijzigen product",
    "NieuwProduct": "Nieuw product",
}


def retour_class_label(path: str) -> str:
    """'Client/AangevraagdeProducten/AangevraagdProduct[2]' -> 'Aangevraagd product 2 (Client/…)'."""
    last = path.rsplit("/", 1)[-1] if path else "Header"
    name, _, index = last.partition("[")
    label = RETOUR_CLASSES.get(name, name)
    if index:
        label += f" {index.rstrip(']')}"
    return label if name == "Header" else f"{label} ({path})"


# How a refused JW315 is corrected, per retourcode: the field of the JW315 form the code points at (None:
# nothing the user fills in) and what to do, in Dutch. Codes not named here are shown above the form.
JW315_CORRECTIONS = {
    "9347": (
        None,
        "Het nieuwe verzoek krijgt vanzelf een nieuwe referentie aanbieder; een afgewezen referentie wordt "
        "nooit opnieuw gebruikt (TR347). U hoeft hiervoor niets te wijzigen.",
    ),
    "9056": (None, "Het nieuwe verzoek krijgt vanzelf een nieuwe berichtidentificatie (TR056)."),
    "8848": (None, "Het nieuwe verzoek krijgt de dagtekening van vandaag (TR135)."),
    "S329": (
        "product_code",
        "De gemeente kent deze productcode niet bij deze productcategorie (TR381). Kies een productcode uit de "
        "productcodelijst van de regio die bij de categorie hoort, of laat de productcode leeg (aspecifiek).",
    ),
    "S300": (
        None,
        "De gemeentecode staat niet in de CBS-lijst (TR378). De gemeente komt uit de casus: controleer daar de "
        "verantwoordelijke gemeente (woonplaatsbeginsel) voordat u opnieuw verstuurt.",
    ),
    "9374": (
        None,
        "Er loopt bij de gemeente al een verzoek voor deze jeugdige van deze aanbieder (TR374). Wacht op het "
        "antwoord op dat verzoek of overleg met de gemeente voordat u opnieuw verstuurt.",
    ),
}

# A 0001 (the message failed an in-message rule) points at the field of the rule that failed: the end of the
# rule's path in the refused JW315, mapped to the field of the JW315 form.
JW315_RULE_FIELDS = {
    "ToewijzingEinddatum": "einddatum",
    "ToewijzingIngangsdatum": "ingangsdatum",
    "Omvang": "volume",
    "Volume": "volume",
    "Eenheid": "eenheid",
    "Frequentie": "frequentie",
    "Product": "categorie",
    "Categorie": "categorie",
    "Code": "product_code",
    "Verwijzer": "verwijzer_soort",
}


VERWIJZER_TYPES = {
    "01": "Gemeente",
    "02": "Huisarts",
    "03": "Jeugdarts",
    "04": "Gecertificeerde instelling",
    "05": "Medisch specialist",
    "06": "Zelfverwijzer / geen verwijzer",
    "08": "Rechter, Officier van Justitie, JJI-functionaris (ook Raad voor de Kinderbescherming)",
}
EENHEDEN = {
    "01": "minuut",
    "04": "uur",
    "14": "etmaal",
    "16": "dagdeel (4 uur)",
    "82": "stuks (output)",
    "83": "euro's",
    "84": "stuks (inspanning)",
}
FREQUENTIES = {"1": "per dag", "2": "per week", "4": "per maand", "6": "totaal binnen de geldigheidsduur"}
CATEGORIEEN = {
    "31": "Wijk-/buurtteam (2015)",
    "32": "Ambulant op locatie aanbieder (2015)",
    "33": "Daghulp op locatie aanbieder (2015)",
    "34": "In netwerk jeugdige (2015)",
    "35": "Pleegzorg (2015)",
    "36": "Gezinsgericht (2015)",
    "37": "Gesloten plaatsing (2015)",
    "38": "Overig residentieel (2015)",
    "40": "Persoonlijke verzorging",
    "41": "Dagbehandeling",
    "42": "Vervoerdiensten",
    "43": "Jeugdhulp verblijf (incl. behandeling)",
    "44": "Jeugdhulp verblijf (excl. behandeling)",
    "45": "Jeugdhulp ambulant",
    "46": "Jeugdhulp crisis",
    "47": "Jeugdreclassering",
    "48": "Jeugdbescherming",
    "49": "Activiteiten in het preventief justitieel kader",
    "50": "Maatwerkarrangementen jeugd",
    "51": "Generalistische basis-ggz",
    "52": "Specialistische ggz",
    "53": "Kindergeneeskunde",
    "54": "Jeugd-ggz",
    "55": "Landelijk ingekochte zorg",
}
REDENEN_BEEINDIGING = {
    "02": "Overlijden",
    "20": "Tijdelijk beëindigd",
    "31": "Volgens plan",
    "32": "Voortijdig, eenzijdig door de cliënt",
    "33": "Voortijdig, eenzijdig door de aanbieder",
    "34": "Voortijdig, in overeenstemming",
    "35": "Voortijdig, externe omstandigheden",
    "36": "Geïnitieerd door de gemeente",
    "37": "In verband met een wijzigingsverzoek",
    "38": "Overstap naar een andere aanbieder",
    "39": "Uitstroom naar een ander domein",
}
VERZOEK_ANTWOORDEN = {"1": "Verzoek afgewezen", "2": "Aanvraag in onderzoek"}
REDENEN_AFWIJZING = {
    "1": "Geen wijziging maar een nieuwe aanvraag",
    "2": "Past niet binnen het budget",
    "3": "Geen contract",
    "4": "Past niet binnen het contract",
    "5": "Andere gemeente",
    "6": "Stapeling",
    "7": "Zorginhoudelijke afkeur",
    "8": "Woonplaatsbeginsel: een andere gemeente is verantwoordelijk",
    "9": "Leeftijdsgrens bereikt",
}
REDENEN_WIJZIGING = {
    "01": "Administratieve correctie (vervallen)",
    "02": "Cliënt overleden",
    "03": "Contractwijziging",
    "04": "Herbeoordeling: verlenging toewijzing",
    "05": "Herbeoordeling: verkorting toewijzing",
    "06": "Uitstroom naar ander domein",
    "07": "Verhuizing naar een andere gemeente",
    "08": "Wijziging leveringsvorm (ZIN naar pgb)",
    "09": "Overstap naar andere aanbieder",
    "10": "Overgang naar nieuwe bekostigingssystematiek",
    "11": "Gemeentelijke herindeling",
    "12": "Geïnitieerd door de aanbieder",
    "13": "Verwijderd",
    "14": "Administratieve correctie",
}
REDENEN_VERZOEK = {"1": "Verandering cliëntsituatie", "2": "Wijziging zorgplan"}
STATUS_AANLEVERING = {"1": "Eerste aanlevering", "3": "Verwijderen aanlevering"}
GESLACHT = {"0": "onbekend", "1": "man", "2": "vrouw"}

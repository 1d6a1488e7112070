"""iJw 3.2 code lists with their Dutch meaning (IJW-3.2-NOTES §4), for pages and refusals."""

RETOURCODES = {
    "0001": "Het bericht is om technische redenen afgewezen (een controle op het bericht zelf faalde).",
    "0200": "Geen opmerkingen: dit deel van het bericht is goedgekeurd.",
    "0233": "Dit deel van het bericht is niet gecontroleerd.",
    "8848": "De dagtekening ligt na de systeemdatum van de ontvanger.",
    "9019": "De start of stop hoort bij geen bekende toewijzing (toewijzingnummer).",
    "9056": "Deze berichtidentificatie is door deze afzender al eens gebruikt.",
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
    "9413": "Twee keer een tijdelijke stop (reden 20).",
    "9414": "De einddatum van de stop gaat terug in de tijd.",
    "9415": "Er is al een definitieve stop.",
    "S300": "De gemeentecode staat niet in de CBS-lijst.",
    "S329": "De productcode hoort niet bij de productcategorie.",
}


def retourcode_text(code: str) -> str:
    return RETOURCODES.get(code, "Onbekende retourcode (zie lijst WJ001).")


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

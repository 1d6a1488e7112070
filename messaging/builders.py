"""Pure builders: plain data (messaging.data) -> lxml trees for iJw 3.2 JW315, JW301, JW305, JW307, JW319
and the retours (JW316, JW302, JW306, JW308, JW320).

A builder either returns a tree that passes our XSD and the standard's CD/CS/TR rules, or raises
`MessageRefused` (or a subclass) with Dutch reasons that name what is missing or wrong.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, time

from lxml import etree

from .data import (
    BSN_NORMAAL,
    Adres,
    Antwoordbericht,
    BerichtHeader,
    Client,
    Huis,
    Naam,
    Omvang,
    Product,
    StartJeugdhulp,
    StopJeugdhulp,
    ToewijzingBericht,
    Verwijzer,
    VerzoekOmToewijzing,
)
from .schemas import BERICHT_CODES, NAMESPACES, NS_IJW, RETOUR_OF, message_type, xsd_versie

# --- Refusals -------------------------------------------------------------------------------------


class MessageRefused(Exception):
    """The message cannot be built; `reasons` are Dutch sentences for the user."""

    def __init__(self, reasons: Iterable[str]):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


class ManualRouteRequired(MessageRefused):
    """Geen BSN, ongeboren or geheim BSN: no iJw messages at all; the toewijzing is arranged by hand."""


class MessageNotApplicable(MessageRefused):
    """This route does not use this message (e.g. another GI: the gemeente sends a JW301 directly)."""


class InvalidMessage(MessageRefused):
    """The built tree failed our XSD: a bug in a builder, never a user's mistake."""


MANUAL_ROUTE = {
    "geen_bsn": "de jeugdige heeft geen BSN",
    "ongeboren": "het kind is nog niet geboren (de zorg loopt op het BSN van de moeder)",
    "geheim": "de jeugdige heeft een geheim BSN",
}
MANUAL_ROUTE_TEXT = (
    "Er wordt geen iJw-bericht gemaakt: {why}. Zonder (bruikbaar) BSN is er geen berichtenverkeer. "
    "Regel de toewijzing handmatig met de gemeente: neem contact op met de gemeente (via Tilburg), "
    "spreek product, omvang en periode af en leg de afspraak vast in het dossier."
)

# --- Domain constants (DOMAIN.md section 8) -----------------------------------------------------------

JEUGDZORGPLUS_AGB = frozenset({"73730723", "06291021", "22220535"})  # Pactum oost, Pactum zuid, Icarus
JEUGDZORGPLUS_PRODUCT = Product(categorie="43", code="43A12")
JEUGDZORGPLUS_EENHEID = "14"  # etmaal
JEUGDZORGPLUS_FREQUENTIE = "2"  # per week
# Verwijzer for Jeugdzorgplus: GI (04), Raad voor de Kinderbescherming (our choice: 08), gemeente (01).
JEUGDZORGPLUS_VERWIJZER_TYPES = frozenset({"04", "08", "01"})

VERWIJZER_GEMEENTE = "01"
VERWIJZER_HUISARTS = "02"
VERWIJZER_JEUGDARTS = "03"
VERWIJZER_GI = "04"
VERWIJZER_MEDISCH_SPECIALIST = "05"
VERWIJZER_JUSTITIE = "08"  # also used for the Raad voor de Kinderbescherming (not in the sources; ADR 0006)

GI_NAMES = {
    "gi_jbb": "Jeugdbescherming Brabant",
    "gi_ldh": "Leger des Heils Jeugdbescherming & Reclassering",
    "gi_wsg": "William Schrikker Groep",
}
MEDISCH = {"huisarts": VERWIJZER_HUISARTS, "jeugdarts": VERWIJZER_JEUGDARTS, "medisch_specialist": "05"}

ROUTE_SOORTEN = {
    "toegang": {"gemeente"},
    "lta": {"gemeente"},
    "overgangsclient": {"gemeente"},
    "medisch_domein": {"huisarts", "jeugdarts", "medisch_specialist", "ggd_jeugdarts_coa"},
    "gi": {"gi_jbb", "gi_ldh", "gi_wsg", "gi_anders", "raad_kinderbescherming"},
}

CATEGORIEEN = frozenset([str(i) for i in range(31, 39)] + [str(i) for i in range(40, 56)])
EENHEDEN = frozenset({"01", "04", "14", "16", "82", "83", "84"})
FREQUENTIES = frozenset({"1", "2", "4", "6"})
GESLACHTEN = frozenset({"0", "1", "2"})
REDENEN_WIJZIGING = frozenset(f"{i:02d}" for i in range(1, 15))
MAX_VOLUME = 99_999_999
MAX_BUDGET = 99_999_999
MAX_NUMMER = 999_999_999

_VOORLETTER = re.compile(r"[a-zA-Z\u00c0-\u1ef3]")


def _clean(value: str) -> str:
    """Collapse all whitespace (XSD '.' does not match a newline) and trim."""
    return " ".join((value or "").split())


def _has_text(value: str) -> bool:
    return bool(value) and not value.isspace()


# --- Small pure helpers used by from_case and the builders ----------------------------------------


def new_identificatie(afzender: str, next_number: Callable[[str], int]) -> str:
    """BerichtIdentificatie/Identificatie: a number from `next_number(afzender)`, at most 12 characters.

    `next_number` is the sender's counter; the database will supply it (a sequence per sender) so that an
    Identificatie is never used twice by one sender for one message type (TR056)."""
    n = next_number(afzender)
    if not isinstance(n, int) or n < 1 or n >= 10**12:
        raise ValueError(f"Berichtnummer {n!r} past niet in 12 cijfers.")
    return f"{n:012d}"


def voorletters_from(voornamen: str) -> str:
    """'Anne-Marie Élodie' -> 'AMÉ': the first letter of each part, only letters iJw accepts, at most 6."""
    letters = []
    for part in re.split(r"[\s\-]+", _clean(voornamen)):
        first = next((c for c in unicodedata.normalize("NFC", part) if c.isalpha()), "")
        if first and _VOORLETTER.fullmatch(first.upper()):
            letters.append(first.upper())
    return "".join(letters)[:6]


def naam_from_parts(voornaam: str, tussenvoegsel: str, achternaam: str) -> Naam:
    voornaam = _clean(unicodedata.normalize("NFC", voornaam or ""))
    return Naam(
        achternaam=_clean(unicodedata.normalize("NFC", achternaam or "")),
        voorvoegsel=_clean(tussenvoegsel),
        voornamen=voornaam,
        voorletters=voorletters_from(voornaam),
    )


_HUISNUMMER = re.compile(r"(?P<nr>[0-9]{1,5})\s*(?P<letter>[A-Za-z](?![A-Za-z0-9]))?\s*[-/\s]?\s*(?P<toev>\S{1,4})?")


def adres_from_parts(straat: str, huisnummer: str, postcode: str, woonplaats: str) -> Adres:
    """A Dutch BRP address for JW301 Contact/Adres; refuses in Dutch when it is incomplete."""
    problems = []
    pc = re.sub(r"\s", "", postcode or "").upper()
    if not pc:
        problems.append("De postcode van de jeugdige ontbreekt (Contact/Adres/Postcode).")
    elif not re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", pc):
        problems.append(f"De postcode '{postcode}' is geen Nederlandse postcode als 1234AB (Contact/Adres/Postcode).")
    m = _HUISNUMMER.fullmatch(_clean(huisnummer))
    if not _clean(huisnummer):
        problems.append("Het huisnummer van de jeugdige ontbreekt (Contact/Adres/Huis/Huisnummer).")
    elif not m:
        problems.append(
            f"Het huisnummer '{huisnummer}' is niet te lezen als nummer, huisletter en toevoeging (Contact/Adres/Huis)."
        )
    if problems:
        raise MessageRefused(problems)
    straat = _clean(straat)
    return Adres(
        huis=Huis(int(m["nr"]), (m["letter"] or "").upper(), m["toev"] or ""),
        postcode=pc,
        # LDT_Straatnaam allows 24 characters; postcode + huisnummer identify a Dutch address, so a longer
        # street name is left out rather than cut (ADR 0006).
        straatnaam=straat if len(straat) <= 24 else "",
        plaatsnaam=_clean(woonplaats)[:80],
        land_code="NL",
    )


def verwijzer_for(route: str, soort: str, naam: str = "", organisatie: str = "", code: str = "") -> Verwijzer:
    """The JW315 Verwijzer for a referral route (DOMAIN.md section 8).

    soort is a referrals.models.VerwijzerType value, or 'raad_kinderbescherming' (Jeugdzorgplus only)."""
    naam, organisatie, code = _clean(naam), _clean(organisatie), _clean(code)
    if soort not in ROUTE_SOORTEN.get(route, set()):
        raise MessageRefused(
            [f"Verwijzer '{soort}' hoort niet bij de verwijsroute '{route}'. Controleer de verwijzer."]
        )
    if soort == "gemeente":
        # Type 01 carries no AGB (CD068); the name of the gemeente/Toegang is informative.
        return Verwijzer(VERWIJZER_GEMEENTE, naam=(organisatie or naam)[:64])
    if soort in MEDISCH:
        if code:
            if not re.fullmatch(r"[0-9]{8}", code):
                raise MessageRefused([f"De AGB-code van de verwijzer '{code}' moet 8 cijfers hebben."])
            return Verwijzer(MEDISCH[soort], zorgverlener_code=code)  # CD066: code and no name
        if not naam:
            raise MessageRefused(["Naam of AGB-code van de verwijzende arts ontbreekt (Verwijzer/Naam)."])
        return Verwijzer(MEDISCH[soort], naam=naam[:64])  # CD067: name when there is no code
    if soort == "ggd_jeugdarts_coa":
        # COA youth: the name must mention GGD and COA, so we always send the name and no AGB (CD066).
        text = naam or "jeugdarts"
        if "GGD" not in text.upper():
            text = f"GGD {text}"
        if "COA" not in text.upper():
            text = f"{text} (COA)"
        return Verwijzer(VERWIJZER_JEUGDARTS, naam=text[:64])
    if soort in GI_NAMES:
        return Verwijzer(VERWIJZER_GI, naam=GI_NAMES[soort])
    if soort == "raad_kinderbescherming":
        return Verwijzer(VERWIJZER_JUSTITIE, naam="Raad voor de Kinderbescherming")
    # gi_anders
    raise MessageNotApplicable(
        [
            "Bij een andere GI dan JBB, Leger des Heils of William Schrikker Groep stuurt de GI de bepaling "
            "naar aanbieder en gemeente, en stuurt de gemeente direct een toewijzing (JW301). "
            "De aanbieder stuurt geen verzoek om toewijzing (JW315)."
        ]
    )


# --- Input checks (XSD-level facts, in Dutch) ------------------------------------------------------


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_text(problems, value, label, path, max_len, *, required=True):
    if not _has_text(value or ""):
        if required:
            problems.append(f"{label} ontbreekt ({path}).")
        return
    if _NOT_IN_XML.search(value):
        problems.append(f"{label} bevat stuurtekens die in een bericht niet mogen ({path}).")
        return
    if len(value) > max_len:
        problems.append(f"{label} is te lang: {len(value)} tekens, hoogstens {max_len} ({path}).")
    if value != _clean(value):
        problems.append(f"{label} bevat regeleinden of spaties aan begin of eind ({path}).")


def _check_digits(problems, value, n, label, path):
    if not re.fullmatch(f"[0-9]{{{n}}}", value or ""):
        problems.append(f"{label} moet uit precies {n} cijfers bestaan ({path}).")


def _check_client(problems, client: Client, *, volledig: bool):
    if client.bsn_status != BSN_NORMAAL:
        why = MANUAL_ROUTE.get(client.bsn_status, f"BSN-status '{client.bsn_status}'")
        raise ManualRouteRequired([MANUAL_ROUTE_TEXT.format(why=why)])
    _check_digits(problems, client.bsn, 9, "Het BSN van de jeugdige", "Client/Bsn")
    if client.geslacht not in GESLACHTEN:
        problems.append("Geslacht moet 0 (onbekend), 1 (man) of 2 (vrouw) zijn (Client/Geslacht).")
    n = client.naam
    _check_text(problems, n.achternaam, "De achternaam van de jeugdige", "Client/Naam/Geslachtsnaam/Achternaam", 200)
    _check_text(
        problems, n.voorvoegsel, "Het tussenvoegsel", "Client/Naam/Geslachtsnaam/Voorvoegsel", 10, required=False
    )
    _check_text(problems, n.voornamen, "De voornamen", "Client/Naam/Voornamen", 200, required=False)
    if n.voorletters and not re.fullmatch(r"[a-zA-Z\u00c0-\u1ef3]{1,6}", n.voorletters):
        problems.append("Voorletters: hoogstens 6 letters, zonder punten of spaties (Client/Naam/Voorletters).")
    if volledig and n.naam_gebruik not in {"1", "2", "3", "4", "5", "6"}:
        problems.append("NaamGebruik moet 1 tot en met 6 zijn (Client/Naam/NaamGebruik).")


def _check_header(problems, h: BerichtHeader, *, afzender_agb: bool):
    agb, cbs = (h.afzender, h.ontvanger) if afzender_agb else (h.ontvanger, h.afzender)
    agb_path, cbs_path = (
        ("Header/Afzender", "Header/Ontvanger") if afzender_agb else ("Header/Ontvanger", "Header/Afzender")
    )
    _check_digits(problems, agb, 8, "De AGB-code van de aanbieder", agb_path)
    _check_digits(problems, cbs, 4, "De CBS-code van de gemeente", cbs_path)
    _check_text(problems, h.identificatie, "De berichtidentificatie", "Header/BerichtIdentificatie/Identificatie", 12)


def _check_product_line(problems, path, product, omvang, budget, commentaar):
    if product is not None:
        if product.categorie not in CATEGORIEEN:
            problems.append(
                f"Productcategorie '{product.categorie}' staat niet in lijst JZ020 ({path}/Product/Categorie)."
            )
        _check_text(problems, product.code, "De productcode", f"{path}/Product/Code", 5, required=False)
    if omvang is not None:
        if not 0 <= omvang.volume <= MAX_VOLUME:
            problems.append(f"Volume moet tussen 0 en {MAX_VOLUME} liggen ({path}/Omvang/Volume).")
        if omvang.eenheid not in EENHEDEN:
            problems.append(f"Eenheid '{omvang.eenheid}' staat niet in lijst WJ756 ({path}/Omvang/Eenheid).")
        if omvang.frequentie not in FREQUENTIES:
            problems.append(f"Frequentie '{omvang.frequentie}' staat niet in lijst WMO757 ({path}/Omvang/Frequentie).")
    if budget is not None and not 0 <= budget <= MAX_BUDGET:
        problems.append(f"Budget moet tussen 0 en {MAX_BUDGET} eurocent liggen ({path}/Budget).")
    if commentaar and not _has_text(commentaar):
        problems.append(f"Commentaar mag niet leeg zijn ({path}/Commentaar).")


def _check_jeugdzorgplus(problems, path, product, omvang, agb, verwijzer=None, beschikking=None):
    if product is None or product.code != JEUGDZORGPLUS_PRODUCT.code:
        return
    if agb not in JEUGDZORGPLUS_AGB:
        problems.append(
            f"Jeugdzorgplus (product 43A12) is alleen voor Pactum (oost en zuid) en Icarus; AGB-code {agb} "
            f"hoort daar niet bij ({path}/Product/Code)."
        )
    if product.categorie != JEUGDZORGPLUS_PRODUCT.categorie:
        problems.append(f"Product 43A12 hoort bij categorie 43 ({path}/Product/Categorie).")
    if omvang is None or (omvang.eenheid, omvang.frequentie) != (JEUGDZORGPLUS_EENHEID, JEUGDZORGPLUS_FREQUENTIE):
        problems.append(f"Jeugdzorgplus vraagt eenheid 14 (etmaal) en frequentie 2 (per week) ({path}/Omvang).")
    if verwijzer is not None and verwijzer.type not in JEUGDZORGPLUS_VERWIJZER_TYPES:
        problems.append(
            "Bij Jeugdzorgplus is de verwijzer een GI, de Raad voor de Kinderbescherming of de gemeente "
            f"({path}/Verwijzer/Type)."
        )
    if beschikking is not None:
        problems.append(
            f"Jeugdzorgplus kent geen beschikking; laat het beschikkingnummer leeg ({path}/BeschikkingNummer)."
        )


# --- Tree helpers ---------------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class _Writer:
    def __init__(self, msg: str):
        self.msg = msg
        self.ns = NAMESPACES[msg]

    def root(self) -> etree._Element:
        return etree.Element(f"{{{self.ns}}}Bericht", nsmap={self.msg: self.ns, "ijw": NS_IJW})

    def m(self, parent, name, value=None):
        """A message-namespace child; skipped when value is '' or None (never write empty elements, RS033)."""
        return self._sub(parent, f"{{{self.ns}}}{name}", value)

    def b(self, parent, name, value=None):
        """A basisschema-namespace child (the children of CDT_* types)."""
        return self._sub(parent, f"{{{NS_IJW}}}{name}", value)

    @staticmethod
    def _sub(parent, tag, value):
        if value is None:
            el = etree.SubElement(parent, tag)
            return el
        if value == "":
            return None
        el = etree.SubElement(parent, tag)
        el.text = _text(value)
        return el

    def header(self, root, h: BerichtHeader):
        header = self.m(root, "Header")
        self.m(header, "BerichtCode", BERICHT_CODES[self.msg])
        self.m(header, "BerichtVersie", "3")
        self.m(header, "BerichtSubversie", "2")
        self.m(header, "Afzender", h.afzender)
        self.m(header, "Ontvanger", h.ontvanger)
        ident = self.m(header, "BerichtIdentificatie")
        self.b(ident, "Identificatie", h.identificatie)
        self.b(ident, "Dagtekening", h.dagtekening)
        basis, bericht = xsd_versie(self.msg)
        versie = self.m(header, "XsdVersie")
        self.b(versie, "BasisschemaXsdVersie", basis)
        self.b(versie, "BerichtXsdVersie", bericht)

    def client_start(self, root, c: Client, *, volledig: bool):
        client = self.m(root, "Client")
        self.m(client, "Bsn", c.bsn)
        geb = self.m(client, "Geboortedatum")
        self.b(geb, "Datum", c.geboortedatum)
        self.m(client, "Geslacht", c.geslacht)
        naam = self.m(client, "Naam")
        gesl = self.b(naam, "Geslachtsnaam")
        self.b(gesl, "Achternaam", c.naam.achternaam)
        self.b(gesl, "Voorvoegsel", c.naam.voorvoegsel)
        self.b(naam, "Voornamen", c.naam.voornamen)
        self.b(naam, "Voorletters", c.naam.voorletters)
        if volledig:
            self.b(naam, "NaamGebruik", c.naam.naam_gebruik)
        return client

    def product(self, parent, p: Product | None):
        if p is not None:
            el = self.m(parent, "Product")
            self.b(el, "Categorie", p.categorie)
            self.b(el, "Code", p.code)

    def omvang(self, parent, o: Omvang | None):
        if o is not None:
            el = self.m(parent, "Omvang")
            self.b(el, "Volume", o.volume)
            self.b(el, "Eenheid", o.eenheid)
            self.b(el, "Frequentie", o.frequentie)


def _opt(value):
    return "" if value is None else value


def _finish(root: etree._Element, msg: str) -> etree._Element:
    from .validation import validate  # local import: validation parses trees, builders make them

    report = validate(root)
    if report.xsd_errors:
        raise InvalidMessage([str(v) for v in report.xsd_errors])
    if report.rule_errors:
        raise MessageRefused([str(v) for v in report.rule_errors])
    return root


# --- JW315 -------------------------------------------------------------------------------------------------


def build_jw315(request: VerzoekOmToewijzing) -> etree._Element:
    """JW315 Verzoek om toewijzing, from the provider (AGB) to the gemeente (CBS code)."""
    problems: list[str] = []
    _check_client(problems, request.client, volledig=False)
    _check_header(problems, request.header, afzender_agb=True)
    if not request.producten:
        problems.append("Er is geen aangevraagd product (Client/AangevraagdeProducten/AangevraagdProduct).")
    for i, line in enumerate(request.producten, 1):
        path = f"AangevraagdProduct[{i}]"
        _check_text(
            problems, line.referentie_aanbieder, "De referentie van de aanbieder", f"{path}/ReferentieAanbieder", 36
        )
        _check_product_line(problems, path, line.product, line.omvang, line.budget, line.commentaar)
        v = line.verwijzer
        if v.type not in {"01", "02", "03", "04", "05", "06", "08"}:
            problems.append(f"Verwijzertype '{v.type}' staat niet in lijst COD327 ({path}/Verwijzer/Type).")
        _check_text(problems, v.naam, "De naam van de verwijzer", f"{path}/Verwijzer/Naam", 64, required=False)
        if v.zorgverlener_code:
            _check_digits(problems, v.zorgverlener_code, 8, "De AGB-code van de verwijzer", f"{path}/Verwijzer")
        if line.beschikking_nummer is not None and not 0 <= line.beschikking_nummer <= MAX_NUMMER:
            problems.append(f"Het beschikkingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/BeschikkingNummer).")
        _check_jeugdzorgplus(
            problems, path, line.product, line.omvang, request.header.afzender, v, line.beschikking_nummer
        )
    if problems:
        raise MessageRefused(problems)

    w = _Writer("jw315")
    root = w.root()
    w.header(root, request.header)
    client = w.client_start(root, request.client, volledig=False)
    producten = w.m(client, "AangevraagdeProducten")
    for line in request.producten:
        el = w.m(producten, "AangevraagdProduct")
        w.m(el, "ReferentieAanbieder", line.referentie_aanbieder)
        w.m(el, "BeschikkingNummer", _opt(line.beschikking_nummer))
        w.product(el, line.product)
        w.m(el, "BeschikkingIngangsdatum", _opt(line.beschikking_ingangsdatum))
        w.m(el, "ToewijzingIngangsdatum", line.toewijzing_ingangsdatum)
        w.m(el, "ToewijzingEinddatum", _opt(line.toewijzing_einddatum))
        w.omvang(el, line.omvang)
        w.m(el, "Budget", _opt(line.budget))
        verwijzer = w.m(el, "Verwijzer")
        w.b(verwijzer, "Type", line.verwijzer.type)
        w.b(verwijzer, "Naam", line.verwijzer.naam)
        w.b(verwijzer, "ZorgverlenerCode", line.verwijzer.zorgverlener_code)
        w.m(el, "Commentaar", line.commentaar)
    return _finish(root, "jw315")


# --- JW301 -------------------------------------------------------------------------------------------------


def build_jw301(assignment: ToewijzingBericht) -> etree._Element:
    """JW301 Toewijzing, from the gemeente (CBS code) to the provider (AGB)."""
    problems: list[str] = []
    _check_client(problems, assignment.client, volledig=True)
    _check_header(problems, assignment.header, afzender_agb=False)
    if not assignment.client.contacten:
        problems.append(
            "Het adres of telefoonnummer van de jeugdige ontbreekt; een toewijzing heeft minstens één contact "
            "met een BRP-, correspondentie- of verblijfadres (Client/Contactgegevens/Contact)."
        )
    for i, contact in enumerate(assignment.client.contacten, 1):
        path = f"Contactgegevens/Contact[{i}]"
        a = contact.adres
        if a is not None:
            _check_text(problems, a.straatnaam, "De straatnaam", f"{path}/Adres/Straatnaam", 24, required=False)
            _check_text(problems, a.plaatsnaam, "De plaatsnaam", f"{path}/Adres/Plaatsnaam", 80, required=False)
            _check_text(problems, a.postcode, "De postcode", f"{path}/Adres/Postcode", 8, required=False)
            if a.huis is not None:
                if not 0 <= a.huis.huisnummer <= 99999:
                    problems.append(f"Het huisnummer moet tussen 0 en 99999 liggen ({path}/Adres/Huis/Huisnummer).")
                _check_text(
                    problems, a.huis.huisletter, "De huisletter", f"{path}/Adres/Huis/Huisletter", 1, required=False
                )
                _check_text(
                    problems,
                    a.huis.toevoeging,
                    "De toevoeging",
                    f"{path}/Adres/Huis/HuisnummerToevoeging",
                    4,
                    required=False,
                )
        if contact.telefoon is not None and not re.fullmatch(r"[0-9]{1,15}", contact.telefoon.nummer):
            problems.append(f"Het telefoonnummer mag alleen cijfers bevatten, hoogstens 15 ({path}/Telefoon).")
    if not assignment.producten:
        problems.append("Er is geen toegewezen product (Client/ToegewezenProducten/ToegewezenProduct).")
    for i, line in enumerate(assignment.producten, 1):
        path = f"ToegewezenProduct[{i}]"
        if not 0 <= line.toewijzing_nummer <= MAX_NUMMER:
            problems.append(f"Het toewijzingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/ToewijzingNummer).")
        _check_text(
            problems,
            line.referentie_aanbieder,
            "De referentie van de aanbieder",
            f"{path}/ReferentieAanbieder",
            36,
            required=False,
        )
        if line.reden_wijziging and line.reden_wijziging not in REDENEN_WIJZIGING:
            problems.append(
                f"Reden wijziging '{line.reden_wijziging}' staat niet in lijst JZ002 ({path}/RedenWijziging)."
            )
        if line.toewijzingstijd.tzinfo is not None:
            problems.append(f"De toewijzingstijd mag geen tijdzone hebben ({path}/Toewijzingstijd).")
        _check_product_line(problems, path, line.product, line.omvang, line.budget, line.commentaar)
        _check_jeugdzorgplus(problems, path, line.product, line.omvang, assignment.header.ontvanger)
    if problems:
        raise MessageRefused(problems)

    w = _Writer("jw301")
    root = w.root()
    w.header(root, assignment.header)
    client = w.client_start(root, assignment.client, volledig=True)
    contacten = w.m(client, "Contactgegevens")
    for contact in assignment.client.contacten:
        el = w.m(contacten, "Contact")
        w.m(el, "Soort", contact.soort)
        a = contact.adres
        if a is not None:
            adres = w.m(el, "Adres")
            if a.huis is not None:
                huis = w.b(adres, "Huis")
                w.b(huis, "Huisnummer", a.huis.huisnummer)
                w.b(huis, "Huisletter", a.huis.huisletter)
                w.b(huis, "HuisnummerToevoeging", a.huis.toevoeging)
            w.b(adres, "Postcode", a.postcode)
            w.b(adres, "Straatnaam", a.straatnaam)
            w.b(adres, "Plaatsnaam", a.plaatsnaam)
            w.b(adres, "LandCode", a.land_code)
        if contact.telefoon is not None:
            tel = w.m(el, "Telefoon")
            t1 = w.b(tel, "Telefoon01")
            w.b(t1, "Telefoonnummer", contact.telefoon.nummer)
            w.b(t1, "Landnummer", contact.telefoon.landnummer)
    producten = w.m(client, "ToegewezenProducten")
    for line in assignment.producten:
        el = w.m(producten, "ToegewezenProduct")
        w.m(el, "ToewijzingNummer", line.toewijzing_nummer)
        w.m(el, "ReferentieAanbieder", line.referentie_aanbieder)
        w.product(el, line.product)
        w.m(el, "Toewijzingsdatum", line.toewijzingsdatum)
        w.m(el, "Toewijzingstijd", line.toewijzingstijd.replace(microsecond=0))
        w.m(el, "Ingangsdatum", line.ingangsdatum)
        w.m(el, "Einddatum", _opt(line.einddatum))
        w.m(el, "RedenWijziging", line.reden_wijziging)
        w.omvang(el, line.omvang)
        w.m(el, "Budget", _opt(line.budget))
        w.m(el, "Commentaar", line.commentaar)
    return _finish(root, "jw301")


def to_bytes(root: etree._Element) -> bytes:
    """The exact bytes to send and store: UTF-8 with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- JW305 / JW307 -----------------------------------------------------------------------------------------

REDENEN_BEEINDIGING = frozenset({"02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"})
STATUS_AANLEVERING = frozenset({"1", "3"})  # CS058: 2 (gewijzigd) and 9 are not used in iJw


def _check_start_stop_line(problems, path, line):
    if line.toewijzing_nummer is not None and not 0 <= line.toewijzing_nummer <= MAX_NUMMER:
        problems.append(f"Het toewijzingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/ToewijzingNummer).")
    _check_product_line(problems, path, line.product, None, None, "")
    if line.status_aanlevering not in STATUS_AANLEVERING:
        problems.append(
            f"Status aanlevering moet 1 (eerste aanlevering) of 3 (verwijderen) zijn ({path}/StatusAanlevering)."
        )


def _start_stop(msg: str, report, list_name: str, item_name: str) -> etree._Element:
    problems: list[str] = []
    _check_client(problems, report.client, volledig=False)
    _check_header(problems, report.header, afzender_agb=True)
    if not report.producten:
        problems.append(f"Er is geen product gemeld (Client/{list_name}/{item_name}).")
    for i, line in enumerate(report.producten, 1):
        path = f"{item_name}[{i}]"
        _check_start_stop_line(problems, path, line)
        if msg == "jw307" and line.reden_beeindiging not in REDENEN_BEEINDIGING:
            problems.append(
                f"Reden beëindiging '{line.reden_beeindiging}' staat niet in lijst JZ588 ({path}/RedenBeeindiging)."
            )
    if problems:
        raise MessageRefused(problems)
    w = _Writer(msg)
    root = w.root()
    w.header(root, report.header)
    client = w.client_start(root, report.client, volledig=False)
    producten = w.m(client, list_name)
    for line in report.producten:
        el = w.m(producten, item_name)
        w.m(el, "ToewijzingNummer", _opt(line.toewijzing_nummer))
        w.product(el, line.product)
        w.m(el, "ToewijzingIngangsdatum", _opt(line.toewijzing_ingangsdatum))
        w.m(el, "Begindatum", line.begindatum)
        if msg == "jw307":
            w.m(el, "RedenBeeindiging", line.reden_beeindiging)
            w.m(el, "Einddatum", line.einddatum)
        w.m(el, "StatusAanlevering", line.status_aanlevering)
    return _finish(root, msg)


def build_jw305(report: StartJeugdhulp) -> etree._Element:
    """JW305 Start jeugdhulp, from the provider (AGB) to the gemeente (CBS code)."""
    return _start_stop("jw305", report, "StartProducten", "StartProduct")


def build_jw307(report: StopJeugdhulp) -> etree._Element:
    """JW307 Stop jeugdhulp, from the provider (AGB) to the gemeente (CBS code)."""
    return _start_stop("jw307", report, "StopProducten", "StopProduct")


# --- JW319 -------------------------------------------------------------------------------------------------


def build_jw319(answer: Antwoordbericht) -> etree._Element:
    """JW319 Antwoordbericht, from the gemeente (CBS code) to the provider (AGB): afgewezen or in onderzoek."""
    problems: list[str] = []
    _check_header(problems, answer.header, afzender_agb=False)
    _check_text(
        problems, answer.referentie_aanbieder, "De referentie van de aanbieder", "Antwoord/ReferentieAanbieder", 36
    )
    if answer.verzoek_antwoord not in {"1", "2"}:
        problems.append("Het antwoord is 1 (afgewezen) of 2 (in onderzoek) (Antwoord/VerzoekAntwoord).")
    if answer.reden_afwijzing and answer.reden_afwijzing not in {str(i) for i in range(1, 10)}:
        problems.append(
            f"Reden afwijzing '{answer.reden_afwijzing}' staat niet in lijst WJ759 (Antwoord/RedenAfwijzingVerzoek)."
        )
    if answer.woonplaats_gemeente:
        _check_digits(
            problems, answer.woonplaats_gemeente, 4, "De verantwoordelijke gemeente", "Antwoord/Woonplaatsbeginsel"
        )
    if problems:
        raise MessageRefused(problems)
    w = _Writer("jw319")
    root = w.root()
    w.header(root, answer.header)
    el = w.m(root, "Antwoord")
    w.m(el, "ReferentieAanbieder", answer.referentie_aanbieder)
    w.m(el, "VerzoekAntwoord", answer.verzoek_antwoord)
    w.m(el, "RedenAfwijzingVerzoek", answer.reden_afwijzing)
    if answer.woonplaats_gemeente:
        wpb = w.m(el, "Woonplaatsbeginsel")
        w.m(wpb, "Gemeente", answer.woonplaats_gemeente)
    return _finish(root, "jw319")


# --- Retours (JW316, JW302, JW306, JW308, JW320) ------------------------------------------------------------

# The classes of a message that get their own RetourCodes in a retour (IJW-3.2-NOTES §2.3-2.7).
RETOUR_CLASSES = frozenset(
    {
        "Client",
        "AangevraagdProduct",
        "Contact",
        "Relatie",
        "ToegewezenProduct",
        "StartProduct",
        "StopProduct",
        "Antwoord",
        "Woonplaatsbeginsel",
    }
)
XSLT_VERSIE = "1.0.0"  # our in-message rule checks (validation.py); the XsltVersie of a 0001 retour (IV033)
OK = "0200"


def build_retour(
    heen: etree._Element,
    *,
    identificatie: str,
    dagtekening,
    header_codes=(),
    class_codes: dict | None = None,
) -> etree._Element:
    """The retour on a received message (IJW-3.2-NOTES §6 "Building a retour").

    - accepted: the heenbericht's header (unchanged Afzender/Ontvanger/BerichtIdentificatie/XsdVersie) with
      the retour code, IdentificatieRetour, DagtekeningRetour and XsdVersieRetour; nothing else;
    - `header_codes` (e.g. 0001 after an in-message rule failed, or 9056): those codes on the header, with
      XsltVersie when 0001 is among them;
    - `class_codes` {class element of `heen`: [codes]} for errors below the header: the whole Client (or
      Antwoord) is copied and every class gets its RetourCodes, 0200 where it has no error.
    """
    heen_type = message_type(heen)
    msg = RETOUR_OF[heen_type]
    src_ns, dst_ns = NAMESPACES[heen_type], NAMESPACES[msg]
    w = _Writer(msg)
    root = w.root()
    header = w.m(root, "Header")
    old_header = heen.find(f"{{{src_ns}}}Header")
    for child in old_header:
        copy = _renamed(child, src_ns, dst_ns)
        header.append(copy)
    header.find(f"{{{dst_ns}}}BerichtCode").text = BERICHT_CODES[msg]
    w.m(header, "IdentificatieRetour", identificatie)
    w.m(header, "DagtekeningRetour", dagtekening)
    if "0001" in header_codes:
        w.m(header, "XsltVersie", XSLT_VERSIE)
    basis, bericht = xsd_versie(msg)
    versie = w.m(header, "XsdVersieRetour")
    w.b(versie, "BasisschemaXsdVersie", basis)
    w.b(versie, "BerichtXsdVersie", bericht)
    codes = list(header_codes) or ([OK] if class_codes else [])
    if codes:
        rc = w.m(header, "RetourCodes")
        for code in codes:
            w.m(rc, "RetourCode", code)
    if class_codes:
        errors = {el: list(c) for el, c in class_codes.items()}
        body = next(el for el in heen if etree.QName(el).localname in {"Client", "Antwoord"})
        root.append(_with_codes(body, src_ns, dst_ns, errors))
    return _finish(root, msg)


def _renamed(el, src_ns, dst_ns):
    """A deep copy of `el` with the message namespace moved from the heenbericht's to the retour's."""
    qn = etree.QName(el)
    tag = f"{{{dst_ns}}}{qn.localname}" if qn.namespace == src_ns else el.tag
    copy = etree.Element(tag, nsmap=None)
    copy.text = el.text
    for child in el:
        copy.append(_renamed(child, src_ns, dst_ns))
    return copy


def _with_codes(el, src_ns, dst_ns, errors):
    qn = etree.QName(el)
    tag = f"{{{dst_ns}}}{qn.localname}" if qn.namespace == src_ns else el.tag
    copy = etree.Element(tag)
    copy.text = el.text
    for child in el:
        copy.append(_with_codes(child, src_ns, dst_ns, errors))
    if qn.namespace == src_ns and qn.localname in RETOUR_CLASSES:
        rc = etree.SubElement(copy, f"{{{dst_ns}}}RetourCodes")
        for code in errors.get(el, [OK]):
            etree.SubElement(rc, f"{{{dst_ns}}}RetourCode").text = code
    return copy

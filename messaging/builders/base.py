"""What every builder shares: the refusals, the domain constants, the input checks (XSD-level facts,
in Dutch) and the tree writer that checks what it wrote."""

import re
from collections.abc import Iterable
from datetime import date, time

from lxml import etree

from common.refusals import Refused

from ..data import (
    BSN_NORMAAL,
    BerichtHeader,
    Client,
    Omvang,
    Product,
)
from ..schemas import BERICHT_CODES, NAMESPACES, NS_IJW, xsd_versie
from ..validation import validate

# --- Refusals -------------------------------------------------------------------------------------


class MessageRefused(Refused):
    """The message cannot be built; `reasons` are Dutch sentences for the user, shown above the form."""

    def __init__(self, reasons: Iterable[str]):
        super().__init__(list(reasons))


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

    def start(self, h: BerichtHeader, c: Client, *, volledig: bool) -> tuple[etree._Element, etree._Element]:
        """The Bericht with its Header and the Client's first elements (Bsn up to Naam)."""
        root = self.root()
        self.header(root, h)
        return root, self.client_start(root, c, volledig=volledig)

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

    report = validate(root)
    if report.xsd_errors:
        raise InvalidMessage([str(v) for v in report.xsd_errors])
    if report.rule_errors:
        raise MessageRefused([str(v) for v in report.rule_errors])
    return root


def to_bytes(root: etree._Element) -> bytes:
    """The exact bytes to send and store: UTF-8 with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

"""Validate an iJw tree (JW315, JW301, JW305, JW307, JW319 and the retours): our XSD, then the standard's
in-message CD/CS/TR rules (IJW-3.2-NOTES §5).

Each rule is a small function named by its code. A rule gets a `Msg` view of the tree and yields
`Violation`s: the rule code, the path of the field to fix, and a Dutch message. Rules must cope with a
tree that failed the XSD (missing elements, unreadable dates): they then stay silent.
"""

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from .schemas import BERICHT_CODES, NAMESPACES, NS_IJW, message_type, thread_schema


@dataclass(frozen=True)
class Violation:
    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} – {self.path}: {self.message}"


@dataclass
class ValidationReport:
    message_type: str
    xsd_errors: list[Violation] = field(default_factory=list)
    rule_errors: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.xsd_errors and not self.rule_errors

    @property
    def codes(self) -> set[str]:
        return {v.code for v in self.xsd_errors + self.rule_errors}

    @property
    def violations(self) -> list[Violation]:
        return self.xsd_errors + self.rule_errors


# --- A small view on the tree ----------------------------------------------------------------------------


class Msg:
    def __init__(self, root: etree._Element):
        self.root = root
        self.type = message_type(root)
        self.ns = {"m": NAMESPACES[self.type], "ijw": NS_IJW}

    def all(self, el, xpath) -> list:
        return _compiled(self.type, xpath)(el)

    def one(self, el, xpath):
        found = self.all(el, xpath)
        return found[0] if found else None

    def text(self, el, xpath) -> str:
        found = self.one(el, xpath)
        return (found.text or "").strip() if found is not None else ""

    def day(self, el, xpath) -> date | None:
        try:
            return date.fromisoformat(self.text(el, xpath))
        except ValueError:
            return None

    def has(self, el, xpath) -> bool:
        return self.one(el, xpath) is not None

    def path(self, el, child: str = "") -> str:
        """'Client/AangevraagdeProducten/AangevraagdProduct[2]/Omvang' (1-based index when repeated)."""
        parts = []
        while el is not None and el is not self.root:
            name = etree.QName(el).localname
            parent = el.getparent()
            same = [s for s in parent if s.tag == el.tag] if parent is not None else [el]
            parts.append(f"{name}[{same.index(el) + 1}]" if len(same) > 1 else name)
            el = parent
        path = "/".join(reversed(parts))
        if child:
            path = f"{path}/{child}" if path else child
        return path

    @property
    def dagtekening(self) -> date | None:
        return self.day(self.root, "m:Header/m:BerichtIdentificatie/ijw:Dagtekening")

    @property
    def client(self):
        return self.one(self.root, "m:Client")

    def lines(self) -> list[tuple[etree._Element, str, str]]:
        """(product line, name of its begin date, name of its end date)."""
        if self.type == "jw315":
            lines = self.all(self.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct")
            return [(el, "ToewijzingIngangsdatum", "ToewijzingEinddatum") for el in lines]
        if self.type == "jw305":
            return [(el, "Begindatum", "") for el in self.all(self.root, "m:Client/m:StartProducten/m:StartProduct")]
        if self.type == "jw307":
            lines = self.all(self.root, "m:Client/m:StopProducten/m:StopProduct")
            return [(el, "Begindatum", "Einddatum") for el in lines]
        lines = self.all(self.root, "m:Client/m:ToegewezenProducten/m:ToegewezenProduct")
        return [(el, "Ingangsdatum", "Einddatum") for el in lines]


@functools.cache
def _compiled(msg: str, xpath: str) -> etree.XPath:
    """XPath expressions compiled once per message type (the rules run them for every message)."""
    return etree.XPath(xpath, namespaces={"m": NAMESPACES[msg], "ijw": NS_IJW})


Rule = Callable[[Msg], Iterator[Violation]]
RULES: dict[str, list[tuple[str, Rule]]] = {msg: [] for msg in BERICHT_CODES}
ALL = tuple(BERICHT_CODES)
HEEN = ("jw315", "jw301", "jw305", "jw307", "jw319")
WITH_CLIENT = ("jw315", "jw301", "jw305", "jw307")
CUTOFF_2020 = date(2020, 12, 31)


def rule(code: str, *messages: str):
    def register(fn: Rule) -> Rule:
        for msg in messages:
            RULES[msg].append((code, fn))
        fn.code = code
        return fn

    return register


def elfproef(bsn: str) -> bool:
    if not re.fullmatch(r"[0-9]{9}", bsn or ""):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(bsn, weights, strict=True)) % 11 == 0


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Header ------------------------------------------------------------------------------------------------


@rule("RS047", *ALL)
def rs047(m: Msg):
    expected = BERICHT_CODES[m.type]
    if m.text(m.root, "m:Header/m:BerichtCode") != expected:
        yield Violation("RS047", "Header/BerichtCode", f"De berichtcode moet {expected} zijn.")


@rule("CS025", *ALL)
def cs025(m: Msg):
    if m.text(m.root, "m:Header/m:BerichtVersie") != "3":
        yield Violation("CS025", "Header/BerichtVersie", "BerichtVersie moet 3 zijn (iJw release 3.2).")


@rule("CS015", *ALL)
def cs015(m: Msg):
    if m.text(m.root, "m:Header/m:BerichtSubversie") != "2":
        yield Violation("CS015", "Header/BerichtSubversie", "BerichtSubversie moet 2 zijn (iJw release 3.2).")


# --- Client --------------------------------------------------------------------------------------------------


@rule("CS002", *WITH_CLIENT)
def cs002(m: Msg):
    bsn = m.text(m.root, "m:Client/m:Bsn")
    if not elfproef(bsn):
        yield Violation("CS002", "Client/Bsn", f"Het BSN '{bsn}' voldoet niet aan de elfproef.")


def _geboortedata(m: Msg):
    """Every Geboortedatum in the message (client, and relaties in JW301)."""
    return m.all(m.root, "m:Client/m:Geboortedatum | m:Client/m:Relaties/m:Relatie/m:Geboortedatum")


@rule("CS139", *WITH_CLIENT)
def cs139(m: Msg):
    for geb in _geboortedata(m):
        d, gebruik = m.day(geb, "ijw:Datum"), m.text(geb, "ijw:DatumGebruik")
        if d is None or not gebruik:
            continue
        bad = (
            (gebruik == "1" and d.day != 1)
            or (gebruik == "2" and (d.day, d.month) != (1, 1))
            or (gebruik == "3" and d != date(1900, 1, 1))
        )
        if bad:
            yield Violation(
                "CS139",
                m.path(geb, "Datum"),
                "De datum past niet bij DatumGebruik: bij 1 is de dag 01, bij 2 is het 01-01, bij 3 is het 1900-01-01.",
            )


@rule("TR002", *WITH_CLIENT)
def tr002(m: Msg):
    dag, client = m.dagtekening, m.client
    if dag is None or client is None:
        return
    d = m.day(client, "m:Geboortedatum/ijw:Datum")
    unknown = m.text(client, "m:Geboortedatum/ijw:DatumGebruik") == "3" and d == date(1900, 1, 1)
    if d is not None and not unknown and d < _years_before(dag, 120):
        yield Violation(
            "TR002", "Client/Geboortedatum/Datum", "De geboortedatum ligt meer dan 120 jaar vóór de dagtekening."
        )


@rule("TR134", *WITH_CLIENT)
def tr134(m: Msg):
    dag = m.dagtekening
    if dag is None:
        return
    for geb in _geboortedata(m):
        d = m.day(geb, "ijw:Datum")
        if d is not None and d > dag:
            yield Violation("TR134", m.path(geb, "Datum"), "De geboortedatum ligt na de dagtekening van het bericht.")
    if m.type in ("jw305", "jw307"):
        for el, begin, end in m.lines():
            for name in (begin, end):
                d = m.day(el, f"m:{name}") if name else None
                if d is not None and d > dag:
                    yield Violation(
                        "TR134",
                        m.path(el, name),
                        f"De {name.lower()} ligt na de dagtekening: meld een start of stop pas als het zo ver is.",
                    )
    if m.type == "jw301":
        for el, _, _ in m.lines():
            d = m.day(el, "m:Toewijzingsdatum")
            if d is not None and d > dag:
                yield Violation(
                    "TR134",
                    m.path(el, "Toewijzingsdatum"),
                    "De toewijzingsdatum ligt na de dagtekening van het bericht.",
                )


@rule("CS318", "jw301")
def cs318(m: Msg):
    if m.text(m.root, "m:Client/m:Naam/ijw:NaamGebruik") == "6":
        yield Violation(
            "CS318", "Client/Naam/NaamGebruik", "NaamGebruik 6 (niet-natuurlijk persoon) mag niet voor de cliënt."
        )


@rule("CS050", "jw301")
def cs050(m: Msg):
    for naam in m.all(m.root, "m:Client/m:Naam | m:Client/m:Relaties/m:Relatie/m:Naam"):
        gebruik = m.text(naam, "ijw:NaamGebruik")
        allowed = {"1", "2", "3", "4"} if m.has(naam, "ijw:Partnernaam") else {"1", "6"}
        if gebruik and gebruik not in allowed:
            yield Violation(
                "CS050",
                m.path(naam, "NaamGebruik"),
                f"NaamGebruik {gebruik} past niet: met een partnernaam 1 tot en met 4, zonder partnernaam 1 of 6.",
            )


@rule("CD007", "jw301")
def cd007(m: Msg):
    for com in m.all(m.root, "m:Client/m:Communicatie"):
        if (m.text(com, "ijw:Vorm") == "1") != m.has(com, "ijw:Taal"):
            yield Violation(
                "CD007", m.path(com, "Taal"), "Vul de taal in als (en alleen als) de communicatievorm 1 (tolk taal) is."
            )


# --- Contacts (JW301) ----------------------------------------------------------------------------------------


def _contacts(m: Msg):
    return m.all(m.root, "m:Client/m:Contactgegevens/m:Contact | m:Client/m:Relaties/m:Relatie/m:Contact")


@rule("CD005", "jw301")
def cd005(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        if m.has(adres, "ijw:Postcode") != m.has(adres, "ijw:LandCode"):
            yield Violation(
                "CD005", m.path(adres, "LandCode"), "Postcode en LandCode zijn allebei gevuld of allebei leeg."
            )


@rule("CD025", "jw301")
def cd025(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        if m.text(adres, "ijw:LandCode") == "NL" and not m.has(adres, "ijw:Huis/ijw:Huisnummer"):
            yield Violation(
                "CD025", m.path(adres, "Huis/Huisnummer"), "Bij een Nederlands adres is het huisnummer verplicht."
            )


@rule("CD034", "jw301")
def cd034(m: Msg):
    for contact in _contacts(m):
        if m.text(contact, "m:Soort") in {"01", "03"} and not m.has(contact, "m:Adres/ijw:Postcode"):
            yield Violation(
                "CD034", m.path(contact, "Adres/Postcode"), "Bij een BRP- of verblijfadres is de postcode verplicht."
            )


@rule("CS089", "jw301")
def cs089(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        pc = m.text(adres, "ijw:Postcode")
        if m.text(adres, "ijw:LandCode") == "NL" and pc and not re.fullmatch(r"[1-9][0-9]{3}[A-Za-z]{2}", pc):
            yield Violation(
                "CS089", m.path(adres, "Postcode"), f"De postcode '{pc}' heeft niet de vorm 1234AB (zonder spatie)."
            )


@rule("CD009", "jw301")
def cd009(m: Msg):
    for contact in _contacts(m):
        if m.has(contact, "m:Periode") and m.text(contact, "m:Soort") != "04":
            yield Violation(
                "CD009",
                m.path(contact, "Periode"),
                "Een periode hoort alleen bij een tijdelijk verblijfadres (soort 04).",
            )


@rule("TR006", "jw301")
def tr006(m: Msg):
    for contact in _contacts(m):
        if not m.has(contact, "m:Telefoon") and not (
            m.has(contact, "m:Adres/ijw:Huis") and m.has(contact, "m:Adres/ijw:Postcode")
        ):
            yield Violation(
                "TR006",
                m.path(contact),
                "Een contact heeft een telefoonnummer, of een adres met huisnummer en postcode.",
            )


@rule("TR061", "jw301")
def tr061(m: Msg):
    soorten = {m.text(c, "m:Soort") for c in m.all(m.root, "m:Client/m:Contactgegevens/m:Contact")}
    if not soorten & {"01", "02", "03"}:
        yield Violation(
            "TR061",
            "Client/Contactgegevens",
            "Er moet minstens één contact zijn met een BRP-, correspondentie- of verblijfadres (soort 01, 02 of 03).",
        )


# --- Keys ----------------------------------------------------------------------------------------------------

KEYS = {
    "jw315": [("m:Client/m:AangevraagdeProducten/m:AangevraagdProduct", "m:ReferentieAanbieder")],
    "jw305": [("m:Client/m:StartProducten/m:StartProduct", "m:ToewijzingNummer|m:Product/ijw:Code|m:Begindatum")],
    "jw307": [
        (
            "m:Client/m:StopProducten/m:StopProduct",
            "m:ToewijzingNummer|m:Product/ijw:Code|m:Begindatum|m:RedenBeeindiging|m:Einddatum",
        )
    ],
    "jw301": [
        ("m:Client/m:Contactgegevens/m:Contact", "m:Soort"),
        ("m:Client/m:Relaties/m:Relatie", "m:Nummer"),
        ("m:Client/m:ToegewezenProducten/m:ToegewezenProduct", "m:ToewijzingNummer"),
    ],
}


@rule("TR101", "jw315", "jw301", "jw305", "jw307")
def tr101(m: Msg):
    for items, key in KEYS[m.type]:
        seen = set()
        parts = key.split("|")
        for el in m.all(m.root, items):
            value = " / ".join(m.text(el, part) for part in parts)
            if value in seen:
                yield Violation(
                    "TR101", m.path(el, parts[0].removeprefix("m:")), f"De sleutel '{value}' komt meer dan eens voor."
                )
            seen.add(value)


@rule("TR383", "jw315")
def tr383(m: Msg):
    seen = set()
    for el, _, _ in m.lines():
        ref = m.text(el, "m:ReferentieAanbieder")
        if ref in seen:
            yield Violation(
                "TR383",
                m.path(el, "ReferentieAanbieder"),
                f"ReferentieAanbieder '{ref}' is al gebruikt in dit bericht; elk aangevraagd product heeft een eigen.",
            )
        seen.add(ref)


# --- Product lines -------------------------------------------------------------------------------------------


def _same_product(m: Msg, a, b) -> bool:
    pa, pb = m.one(a, "m:Product"), m.one(b, "m:Product")
    if pa is None or pb is None:
        return True
    if m.text(pa, "ijw:Categorie") != m.text(pb, "ijw:Categorie"):
        return False
    ca, cb = m.text(pa, "ijw:Code"), m.text(pb, "ijw:Code")
    return not ca or not cb or ca == cb


def _overlap(m: Msg, code: str, skip=lambda el: False):
    lines = [line for line in m.lines() if not skip(line[0])]
    for i, (a, begin, end) in enumerate(lines):
        for b, _, _ in lines[:i]:
            if not _same_product(m, a, b):
                continue
            a0, b0 = m.day(a, f"m:{begin}"), m.day(b, f"m:{begin}")
            if a0 is None or b0 is None:
                continue
            a1, b1 = m.day(a, f"m:{end}") or date.max, m.day(b, f"m:{end}") or date.max
            if a0 <= b1 and b0 <= a1:
                yield Violation(
                    code,
                    m.path(a, begin),
                    f"Dit product overlapt in periode met {m.path(b)} voor hetzelfde product; dat mag niet.",
                )


@rule("TR386", "jw315")
def tr386(m: Msg):
    yield from _overlap(m, "TR386")


@rule("TR302", "jw301")
def tr302(m: Msg):
    def deleted(el):
        return m.text(el, "m:RedenWijziging") in {"01", "13"} and m.text(el, "m:Einddatum") == m.text(
            el, "m:Ingangsdatum"
        )

    yield from _overlap(m, "TR302", skip=deleted)


@rule("CD079", "jw315", "jw301")
def cd079(m: Msg):
    for el, _, _ in m.lines():
        if not m.has(el, "m:Budget") and not m.has(el, "m:Product"):
            yield Violation("CD079", m.path(el, "Product"), "Zonder budget is het product verplicht.")


@rule("CD041", "jw315", "jw301")
def cd041(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Product/ijw:Code") and not m.has(el, "m:Omvang"):
            yield Violation("CD041", m.path(el, "Omvang"), "Bij een productcode is de omvang verplicht.")


def _omvang_needs_code(m: Msg, code: str):
    for el, _, end in m.lines():
        einde = m.day(el, f"m:{end}")
        if m.has(el, "m:Omvang") and (einde is None or einde > CUTOFF_2020) and not m.has(el, "m:Product/ijw:Code"):
            yield Violation(
                code,
                m.path(el, "Product/Code"),
                "Een omvang mag alleen bij een specifiek product: vul de productcode in.",
            )


@rule("CD095", "jw315")
def cd095(m: Msg):
    yield from _omvang_needs_code(m, "CD095")


@rule("CD080", "jw301")
def cd080(m: Msg):
    yield from _omvang_needs_code(m, "CD080")


@rule("CD077", "jw315", "jw301")
def cd077(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Omvang") and m.has(el, "m:Budget"):
            yield Violation("CD077", m.path(el, "Budget"), "Bij een omvang blijft het budget leeg.")


@rule("CD078", "jw315", "jw301")
def cd078(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Budget") and m.has(el, "m:Omvang"):
            yield Violation("CD078", m.path(el, "Omvang"), "Bij een budget blijft de omvang leeg.")


@rule("CD075", "jw315", "jw301")
def cd075(m: Msg):
    for el, _, end in m.lines():
        if m.has(el, "m:Budget") and not m.has(el, f"m:{end}"):
            yield Violation("CD075", m.path(el, end), "Bij een budget is de einddatum verplicht.")


@rule("CD076", "jw315", "jw301")
def cd076(m: Msg):
    for el, _, end in m.lines():
        if m.text(el, "m:Omvang/ijw:Frequentie") == "2" and not m.has(el, f"m:{end}"):
            yield Violation("CD076", m.path(el, end), "Bij frequentie 2 (per week) is de einddatum verplicht.")


def _eenheid_frequentie(m: Msg, code: str):
    for el, _, end in m.lines():
        einde = m.day(el, f"m:{end}")
        eenheid, freq = m.text(el, "m:Omvang/ijw:Eenheid"), m.text(el, "m:Omvang/ijw:Frequentie")
        if (
            eenheid in {"14", "16", "83", "84"}
            and (einde is None or einde > CUTOFF_2020)
            and freq not in {"2", "4", "6"}
        ):
            yield Violation(
                code,
                m.path(el, "Omvang/Frequentie"),
                f"Bij eenheid {eenheid} is de frequentie 2 (per week), 4 (per maand) of 6 (totaal); niet {freq}.",
            )


@rule("CS343", "jw315")
def cs343(m: Msg):
    yield from _eenheid_frequentie(m, "CS343")


@rule("CS338", "jw301")
def cs338(m: Msg):
    yield from _eenheid_frequentie(m, "CS338")


@rule("CS003", "jw315", "jw301")
def cs003(m: Msg):
    for el, begin, end in m.lines():
        b, e = m.day(el, f"m:{begin}"), m.day(el, f"m:{end}")
        if b and e and e < b:
            yield Violation("CS003", m.path(el, end), f"De einddatum ligt vóór de ingangsdatum ({begin}).")
    if m.type == "jw301":
        for periode in m.all(m.root, "m:Client//m:Contact/m:Periode"):
            b, e = m.day(periode, "ijw:Begindatum"), m.day(periode, "ijw:Einddatum")
            if b and e and e < b:
                yield Violation("CS003", m.path(periode, "Einddatum"), "De einddatum ligt vóór de begindatum.")


@rule("CD043", "jw315")
def cd043(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:BeschikkingNummer") != m.has(el, "m:BeschikkingIngangsdatum"):
            yield Violation(
                "CD043",
                m.path(el, "BeschikkingIngangsdatum"),
                "Beschikkingnummer en ingangsdatum van de beschikking zijn allebei gevuld of allebei leeg.",
            )


MET_AGB = {"02", "03", "04", "05"}


@rule("CD066", "jw315")
def cd066(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") in MET_AGB and m.has(v, "ijw:ZorgverlenerCode") and m.has(v, "ijw:Naam"):
            yield Violation(
                "CD066", m.path(v, "Naam"), "Met een AGB-code (ZorgverlenerCode) blijft de naam van de verwijzer leeg."
            )


@rule("CD067", "jw315")
def cd067(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") in MET_AGB and not m.has(v, "ijw:ZorgverlenerCode") and not m.has(v, "ijw:Naam"):
            yield Violation(
                "CD067", m.path(v, "Naam"), "Zonder AGB-code (ZorgverlenerCode) is de naam van de verwijzer verplicht."
            )


@rule("CD068", "jw315")
def cd068(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") not in MET_AGB and m.has(v, "ijw:ZorgverlenerCode"):
            yield Violation(
                "CD068",
                m.path(v, "ZorgverlenerCode"),
                "Alleen een huisarts, jeugdarts, GI of medisch specialist heeft een AGB-code; "
                "laat ZorgverlenerCode leeg.",
            )


@rule("CS335", "jw301")
def cs335(m: Msg):
    for el, _, _ in m.lines():
        if m.text(el, "m:RedenWijziging") == "13" and m.text(el, "m:Einddatum") != m.text(el, "m:Ingangsdatum"):
            yield Violation(
                "CS335",
                m.path(el, "Einddatum"),
                "Bij reden 13 (verwijderd) is de einddatum gelijk aan de ingangsdatum.",
            )


@rule("CS336", "jw301")
def cs336(m: Msg):
    for el, _, _ in m.lines():
        if m.text(el, "m:RedenWijziging") == "01":
            yield Violation(
                "CS336", m.path(el, "RedenWijziging"), "Reden 01 is vervallen; gebruik 14 (administratieve correctie)."
            )


# --- JW305 / JW307 ------------------------------------------------------------------------------------------


@rule("CS058", "jw305", "jw307")
def cs058(m: Msg):
    for el, _, _ in m.lines():
        status = m.text(el, "m:StatusAanlevering")
        if status and status not in {"1", "3"}:
            yield Violation(
                "CS058",
                m.path(el, "StatusAanlevering"),
                f"Status aanlevering {status} mag niet: gebruik 1 (eerste aanlevering) of 3 (verwijderen).",
            )


@rule("TR018", "jw307")
def tr018(m: Msg):
    for el, begin, end in m.lines():
        b, e = m.day(el, f"m:{begin}"), m.day(el, f"m:{end}")
        if b and e and e < b:
            yield Violation("TR018", m.path(el, end), "De einddatum van de stop ligt vóór de begindatum.")


# --- JW319 ---------------------------------------------------------------------------------------------------


@rule("CD085", "jw319")
def cd085(m: Msg):
    if m.text(m.root, "m:Antwoord/m:VerzoekAntwoord") == "1" and not m.has(
        m.root, "m:Antwoord/m:RedenAfwijzingVerzoek"
    ):
        yield Violation(
            "CD085", "Antwoord/RedenAfwijzingVerzoek", "Bij een afwijzing (antwoord 1) is de reden verplicht."
        )


@rule("CD086", "jw319")
def cd086(m: Msg):
    if m.text(m.root, "m:Antwoord/m:VerzoekAntwoord") == "2" and m.has(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek"):
        yield Violation(
            "CD086", "Antwoord/RedenAfwijzingVerzoek", "Bij 'in onderzoek' (antwoord 2) blijft de reden leeg."
        )


@rule("TR377", "jw319")
def tr377(m: Msg):
    if m.has(m.root, "m:Antwoord/m:Woonplaatsbeginsel") and m.text(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek") != "8":
        yield Violation(
            "TR377",
            "Antwoord/Woonplaatsbeginsel",
            "De verantwoordelijke gemeente hoort alleen bij reden 8 (woonplaatsbeginsel).",
        )


@rule("TR409", "jw319")
def tr409(m: Msg):
    if m.text(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek") == "8" and not m.has(
        m.root, "m:Antwoord/m:Woonplaatsbeginsel"
    ):
        yield Violation(
            "TR409",
            "Antwoord/Woonplaatsbeginsel/Gemeente",
            "Bij reden 8 (woonplaatsbeginsel) noemt het antwoord de verantwoordelijke gemeente.",
        )


# --- Entry points ----------------------------------------------------------------------------------------------


def _xsd_path(error) -> str:
    path = re.sub(r"\{[^}]*\}|\w+:", "", error.path or "")
    return path.removeprefix("/Bericht/") or "Bericht"


def validate_xsd(root: etree._Element) -> list[Violation]:
    schema = thread_schema(message_type(root))  # one per thread; its error_log is read right here
    if schema.validate(root):
        return []
    errors = list(schema.error_log)
    return [
        Violation("XSD", _xsd_path(e), f"Het bericht voldoet niet aan het XSD (regel {e.line}): {e.message}")
        for e in errors
    ]


def validate_rules(root: etree._Element) -> list[Violation]:
    m = Msg(root)
    return [v for _, fn in RULES[m.type] for v in fn(m)]


def validate(root: etree._Element) -> ValidationReport:
    report = ValidationReport(message_type(root))
    report.xsd_errors = validate_xsd(root)
    report.rule_errors = validate_rules(root)
    return report

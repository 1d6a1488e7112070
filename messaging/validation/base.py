"""What the validation shares: the Violation and its report, a small view on the tree (Msg), and the
registry of in-message rules (RULES, filled by the @rule decorator)."""

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from ..schemas import BERICHT_CODES, NAMESPACES, NS_IJW, message_type


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
        if self.type == "jw317":
            verzoek = "m:Client/m:Verzoek/"
            lines = self.all(
                self.root,
                f"{verzoek}m:TeWijzigenProducten/m:TeWijzigenProduct | {verzoek}m:NieuweProducten/m:NieuwProduct",
            )
            return [(el, "GewensteIngangsdatum", "Einddatum") for el in lines]
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

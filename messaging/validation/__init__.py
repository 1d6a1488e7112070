"""Validate an iJw tree (JW315, JW317, JW301, JW305, JW307, JW319 and the retours): our XSD, then the standard's
in-message CD/CS/TR rules (IJW-3.2-NOTES §5).

Each rule is a small function named by its code. A rule gets a `Msg` view of the tree and yields
`Violation`s: the rule code, the path of the field to fix, and a Dutch message. Rules must cope with a
tree that failed the XSD (missing elements, unreadable dates): they then stay silent.

One module per level: `xsd` (the XSD), `client_rules`, `product_rules` and `wijziging_rules` (the
in-message rules, in the order they run), what they share in `base`; import the names from here.
"""

from lxml import etree

from ..schemas import message_type
from . import client_rules, product_rules, wijziging_rules  # noqa: F401  (registers the rules in RULES, in order)
from .base import RULES, Msg, ValidationReport, Violation, elfproef, rule
from .xsd import validate_xsd


def validate_rules(root: etree._Element) -> list[Violation]:
    m = Msg(root)
    return [v for _, fn in RULES[m.type] for v in fn(m)]


def validate(root: etree._Element) -> ValidationReport:
    report = ValidationReport(message_type(root))
    report.xsd_errors = validate_xsd(root)
    report.rule_errors = validate_rules(root)
    return report


__all__ = [
    "RULES",
    "Msg",
    "ValidationReport",
    "Violation",
    "elfproef",
    "rule",
    "validate",
    "validate_rules",
    "validate_xsd",
]

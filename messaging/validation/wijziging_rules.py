"""In-message rules on the JW317 Verzoek om wijziging: the header rules (registered for every message in
client_rules), the BSN, and the product-line rules of the JW315 applied to TeWijzigenProduct and NieuwProduct
(Msg.lines gives those for a JW317), and the keys of its repeated classes (TR101)."""

from . import client_rules, product_rules
from .base import RULES, Msg, Violation

KEYS = [
    ("m:Client/m:Verzoek/m:OngewijzigdeProducten/m:OngewijzigdProduct", "m:ToewijzingNummer"),
    ("m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct", "m:ToewijzingNummer"),
    (
        "m:Client/m:Verzoek/m:NieuweProducten/m:NieuwProduct",
        "m:Product/ijw:Categorie|m:Product/ijw:Code|m:GewensteIngangsdatum",
    ),
]


def tr101(m: Msg):
    for items, key in KEYS:
        seen = set()
        parts = key.split("|")
        for el in m.all(m.root, items):
            value = " / ".join(m.text(el, part) for part in parts)
            if value in seen:
                yield Violation(
                    "TR101", m.path(el, parts[-1].removeprefix("m:")), f"De sleutel '{value}' komt meer dan eens voor."
                )
            seen.add(value)


def both_kept_and_changed(m: Msg):
    """One toewijzing is either unchanged or to change, not both (a VOW describes one new situation, IV092)."""
    kept = {m.text(el, ".") for el in m.all(m.root, "m:Client/m:Verzoek/m:OngewijzigdeProducten//m:ToewijzingNummer")}
    for el in m.all(m.root, "m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct"):
        nummer = m.text(el, "m:ToewijzingNummer")
        if nummer in kept:
            yield Violation(
                "TR101",
                m.path(el, "ToewijzingNummer"),
                f"Toewijzing {nummer} staat zowel bij de ongewijzigde als bij de te wijzigen producten.",
            )


JW317_RULES = [
    ("CS002", client_rules.cs002),
    ("CD041", product_rules.cd041),
    ("CD077", product_rules.cd077),
    ("CD078", product_rules.cd078),
    ("CD075", product_rules.cd075),
    ("CD076", product_rules.cd076),
    ("CS343", product_rules.cs343),
    ("CS003", product_rules.cs003),
    ("TR101", tr101),
    ("TR101", both_kept_and_changed),
]
RULES["jw317"].extend(JW317_RULES)

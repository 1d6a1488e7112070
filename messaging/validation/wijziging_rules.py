"""In-message rules on the JW317 Verzoek om wijziging: the header rules (registered for every message in
client_rules), the BSN, and the product-line rules of the JW315 applied to TeWijzigenProduct and NieuwProduct
(Msg.lines gives those for a JW317), the keys of its repeated classes (TR101), and the rules of the JW317 alone
(TR352, TR353 on the Verzoek, TR380 and TR410 on NieuwProduct), as the standard's XSLT places them."""

from datetime import date

from . import client_rules, product_rules
from .base import RULES, Msg, Violation

VERZOEK = "m:Client/m:Verzoek"

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


def tr352(m: Msg):
    """At least one OngewijzigdProduct or TeWijzigenProduct: a VOW starts from the current toewijzingen."""
    verzoek = m.one(m.root, VERZOEK)
    if verzoek is not None and not m.all(
        verzoek, "m:OngewijzigdeProducten/m:OngewijzigdProduct | m:TeWijzigenProducten/m:TeWijzigenProduct"
    ):
        yield Violation(
            "TR352",
            m.path(verzoek),
            "Een verzoek om wijziging noemt minstens één actuele toewijzing (ongewijzigd of te wijzigen).",
        )


def tr353(m: Msg):
    """At least one TeWijzigenProduct or NieuwProduct: with nothing to change there is no VOW."""
    verzoek = m.one(m.root, VERZOEK)
    if verzoek is not None and not m.all(
        verzoek, "m:TeWijzigenProducten/m:TeWijzigenProduct | m:NieuweProducten/m:NieuwProduct"
    ):
        yield Violation(
            "TR353",
            m.path(verzoek),
            "Een verzoek om wijziging wijzigt minstens één toewijzing of vraagt minstens één nieuw product.",
        )


def _nieuw(m: Msg) -> list:
    return m.all(m.root, f"{VERZOEK}/m:NieuweProducten/m:NieuwProduct")


def tr380(m: Msg):
    """A NieuwProduct's GewensteIngangsdatum lies after the Dagtekening."""
    dag = m.dagtekening
    for el in _nieuw(m):
        gewenst = m.day(el, "m:GewensteIngangsdatum")
        if dag is not None and gewenst is not None and gewenst <= dag:
            yield Violation(
                "TR380",
                m.path(el, "GewensteIngangsdatum"),
                "De gewenste ingangsdatum van een nieuw product ligt na de dagtekening van het bericht.",
            )


def tr410(m: Msg):
    """The same product more than once among the NieuwProducten only in periods that do not overlap."""
    lines = _nieuw(m)
    for i, a in enumerate(lines):
        for b in lines[:i]:
            if not product_rules.same_product(m, a, b):
                continue
            a0, b0 = m.day(a, "m:GewensteIngangsdatum"), m.day(b, "m:GewensteIngangsdatum")
            if a0 is None or b0 is None:
                continue
            a1, b1 = m.day(a, "m:Einddatum") or date.max, m.day(b, "m:Einddatum") or date.max
            if a0 <= b1 and b0 <= a1:
                yield Violation(
                    "TR410",
                    m.path(a, "GewensteIngangsdatum"),
                    f"Dit nieuwe product overlapt in periode met {m.path(b)} voor hetzelfde product; dat mag niet.",
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
    ("TR352", tr352),
    ("TR353", tr353),
    ("TR380", tr380),
    ("TR410", tr410),
]
RULES["jw317"].extend(JW317_RULES)

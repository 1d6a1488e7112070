"""Every CD/CS/TR rule we implement: a message that breaks it, and the check that catches it by code."""

import copy

import pytest
from lxml import etree

from messaging.builders import (
    build_jw301,
    build_jw305,
    build_jw307,
    build_jw315,
    build_jw317,
    build_jw319,
    build_retour,
    to_bytes,
)
from messaging.parsing import parse_xml
from messaging.schemas import HEEN_OF, NAMESPACES, NS_IJW
from messaging.validation import RULES, validate

from . import samples


def _ns(msg):
    return {"m": NAMESPACES[msg], "ijw": NS_IJW}


def _one(root, xpath):
    msg = next(m for m, ns in NAMESPACES.items() if ns == etree.QName(root).namespace)
    (el,) = root.xpath(xpath, namespaces=_ns(msg))
    return el


def _set(xpath, value):
    def mutate(root):
        _one(root, xpath).text = value

    return mutate


def _remove(xpath):
    def mutate(root):
        el = _one(root, xpath)
        el.getparent().remove(el)

    return mutate


def _after(xpath, tag, value, ns="m"):
    def mutate(root):
        anchor = _one(root, xpath)
        namespace = NS_IJW if ns == "ijw" else etree.QName(anchor).namespace
        el = etree.Element(f"{{{namespace}}}{tag}")
        el.text = value
        anchor.addnext(el)

    return mutate


def _before(xpath, tag, value, ns="m"):
    def mutate(root):
        anchor = _one(root, xpath)
        namespace = NS_IJW if ns == "ijw" else etree.QName(anchor).namespace
        el = etree.Element(f"{{{namespace}}}{tag}")
        el.text = value
        anchor.addprevious(el)

    return mutate


def _duplicate(xpath, change=None):
    def mutate(root):
        el = _one(root, xpath)
        twin = copy.deepcopy(el)
        el.addnext(twin)
        if change:
            change(twin)

    return mutate


def _all(*mutations):
    def mutate(root):
        for m in mutations:
            m(root)

    return mutate


def _child_text(name, value, ns=NAMESPACES["jw315"]):
    def change(el):
        el.find(f"{{{ns}}}{name}").text = value

    return change


P315 = "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct"
P301 = "m:Client/m:ToegewezenProducten/m:ToegewezenProduct"
C301 = "m:Client/m:Contactgegevens/m:Contact"

HEADER_AND_CLIENT = [
    ("RS047", _set("m:Header/m:BerichtCode", "999")),
    ("CS025", _set("m:Header/m:BerichtVersie", "4")),
    ("CS015", _set("m:Header/m:BerichtSubversie", "3")),
    ("CS002", _set("m:Client/m:Bsn", "999990018")),
    ("CS139", _after("m:Client/m:Geboortedatum/ijw:Datum", "DatumGebruik", "2", ns="ijw")),
    ("TR002", _set("m:Client/m:Geboortedatum/ijw:Datum", "1905-03-02")),
    ("TR134", _set("m:Client/m:Geboortedatum/ijw:Datum", "2025-03-04")),
]

JW315_CASES = [
    *HEADER_AND_CLIENT,
    ("TR101", _duplicate(P315)),
    ("TR383", _duplicate(P315)),
    ("TR386", _duplicate(P315, _child_text("ReferentieAanbieder", "REF-2"))),
    ("CD079", _remove(f"{P315}/m:Product")),
    ("CD041", _remove(f"{P315}/m:Omvang")),
    ("CD095", _remove(f"{P315}/m:Product/ijw:Code")),
    ("CD077", _after(f"{P315}/m:Omvang", "Budget", "10000")),
    ("CD078", _after(f"{P315}/m:Omvang", "Budget", "10000")),
    (
        "CD075",
        _all(
            _after(f"{P315}/m:Omvang", "Budget", "10000"),
            _remove(f"{P315}/m:Omvang"),
            _remove(f"{P315}/m:ToewijzingEinddatum"),
        ),
    ),
    ("CD076", _remove(f"{P315}/m:ToewijzingEinddatum")),
    ("CS343", _all(_set(f"{P315}/m:Omvang/ijw:Eenheid", "14"), _set(f"{P315}/m:Omvang/ijw:Frequentie", "1"))),
    ("CS003", _set(f"{P315}/m:ToewijzingEinddatum", "2025-03-09")),
    ("CD043", _after(f"{P315}/m:ReferentieAanbieder", "BeschikkingNummer", "12345")),
    ("CD066", _before(f"{P315}/m:Verwijzer/ijw:ZorgverlenerCode", "Naam", "Dr. Huisarts", ns="ijw")),
    ("CD067", _remove(f"{P315}/m:Verwijzer/ijw:ZorgverlenerCode")),
    ("CD068", _set(f"{P315}/m:Verwijzer/ijw:Type", "01")),
]

N301 = NAMESPACES["jw301"]
JW301_CASES = [
    *HEADER_AND_CLIENT,
    ("TR134", _set(f"{P301}/m:Toewijzingsdatum", "2025-03-04")),
    ("CS318", _set("m:Client/m:Naam/ijw:NaamGebruik", "6")),
    ("CS050", _set("m:Client/m:Naam/ijw:NaamGebruik", "2")),
    ("CD007", _after("m:Client/m:Naam", "Communicatie", None)),
    ("CD005", _remove(f"{C301}/m:Adres/ijw:LandCode")),
    ("CD025", _remove(f"{C301}/m:Adres/ijw:Huis")),
    ("CD034", _remove(f"{C301}/m:Adres/ijw:Postcode")),
    ("CS089", _set(f"{C301}/m:Adres/ijw:Postcode", "0123AB")),
    ("CD009", _after(f"{C301}/m:Adres", "Periode", None)),
    ("CS003", _set(f"{P301}/m:Einddatum", "2025-03-09")),
    ("TR006", _remove(f"{C301}/m:Adres")),
    ("TR061", _set(f"{C301}/m:Soort", "04")),
    ("TR101", _duplicate(C301)),
    ("TR101", _duplicate(P301)),
    ("TR302", _duplicate(P301, _child_text("ToewijzingNummer", "700002", N301))),
    ("CD079", _remove(f"{P301}/m:Product")),
    ("CD041", _remove(f"{P301}/m:Omvang")),
    ("CD080", _remove(f"{P301}/m:Product/ijw:Code")),
    ("CD077", _after(f"{P301}/m:Omvang", "Budget", "10000")),
    ("CD078", _after(f"{P301}/m:Omvang", "Budget", "10000")),
    (
        "CD075",
        _all(
            _after(f"{P301}/m:Omvang", "Budget", "10000"),
            _remove(f"{P301}/m:Omvang"),
            _remove(f"{P301}/m:Einddatum"),
        ),
    ),
    ("CD076", _remove(f"{P301}/m:Einddatum")),
    ("CS338", _all(_set(f"{P301}/m:Omvang/ijw:Eenheid", "16"), _set(f"{P301}/m:Omvang/ijw:Frequentie", "1"))),
    ("CS335", _after(f"{P301}/m:Einddatum", "RedenWijziging", "13")),
    ("CS336", _after(f"{P301}/m:Einddatum", "RedenWijziging", "01")),
]


def _cd007_fixup(root):
    """Give the empty Communicatie element its Vorm 1 (tolk taal) without a Taal."""
    for com in root.iter(f"{{{N301}}}Communicatie"):
        vorm = etree.SubElement(com, f"{{{NS_IJW}}}Vorm")
        vorm.text = "1"


def _cd009_fixup(root):
    for periode in root.iter(f"{{{N301}}}Periode"):
        begin = etree.SubElement(periode, f"{{{NS_IJW}}}Begindatum")
        begin.text = "2025-01-01"


def _fresh(msg):
    tree = build_jw315(samples.jw315()) if msg == "jw315" else build_jw301(samples.jw301())
    return parse_xml(to_bytes(tree))


@pytest.mark.parametrize(("code", "mutate"), JW315_CASES, ids=[c for c, _ in JW315_CASES])
def test_jw315_rule_catches_its_violation(code, mutate):
    root = _fresh("jw315")
    assert validate(root).ok
    mutate(root)
    report = validate(root)
    assert code in {v.code for v in report.rule_errors}, report.violations
    hit = next(v for v in report.rule_errors if v.code == code)
    assert hit.path.startswith(("Header", "Client"))
    assert code in str(hit) and hit.path in str(hit)


@pytest.mark.parametrize(("code", "mutate"), JW301_CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(JW301_CASES)])
def test_jw301_rule_catches_its_violation(code, mutate):
    root = _fresh("jw301")
    assert validate(root).ok
    mutate(root)
    _cd007_fixup(root)
    _cd009_fixup(root)
    report = validate(root)
    assert code in {v.code for v in report.rule_errors}, report.violations
    hit = next(v for v in report.rule_errors if v.code == code)
    assert hit.path.startswith(("Header", "Client"))


# --- JW305, JW307, JW319 and the retours ----------------------------------------------------------------------

HEADER = HEADER_AND_CLIENT[:3]
S305 = "m:Client/m:StartProducten/m:StartProduct"
S307 = "m:Client/m:StopProducten/m:StopProduct"
V317 = "m:Client/m:Verzoek"
W317 = "m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct"
N317 = "m:Client/m:Verzoek/m:NieuweProducten/m:NieuwProduct"
START_STOP_CLIENT = [
    *HEADER_AND_CLIENT[:6],
    ("TR134", _set("m:Client/m:Geboortedatum/ijw:Datum", "2025-03-25")),
]


def _woonplaatsbeginsel(root):
    """A Woonplaatsbeginsel/Gemeente after the reden (whatever that reden is)."""
    anchor = _one(root, "m:Antwoord/m:RedenAfwijzingVerzoek")
    ns = etree.QName(anchor).namespace
    wpb = etree.Element(f"{{{ns}}}Woonplaatsbeginsel")
    etree.SubElement(wpb, f"{{{ns}}}Gemeente").text = "0867"
    anchor.addnext(wpb)


def _budget(xpath):
    """A Budget as the last child of the line (where it goes without Omvang and Einddatum)."""

    def mutate(root):
        line = _one(root, xpath)
        etree.SubElement(line, f"{{{etree.QName(line).namespace}}}Budget").text = "1000"

    return mutate


OTHER_CASES = [
    *[("jw305", code, mutate) for code, mutate in START_STOP_CLIENT],
    ("jw305", "TR134", _set(f"{S305}/m:Begindatum", "2025-03-25")),
    ("jw305", "TR101", _duplicate(S305)),
    ("jw305", "CS058", _set(f"{S305}/m:StatusAanlevering", "2")),
    *[("jw307", code, mutate) for code, mutate in START_STOP_CLIENT],
    ("jw307", "TR134", _all(_set(f"{S307}/m:Einddatum", "2025-03-25"))),
    ("jw307", "TR101", _duplicate(S307)),
    ("jw307", "CS058", _set(f"{S307}/m:StatusAanlevering", "9")),
    ("jw307", "TR018", _set(f"{S307}/m:Einddatum", "2025-03-11")),
    *[("jw319", code, mutate) for code, mutate in HEADER],
    ("jw319", "CD085", _remove("m:Antwoord/m:RedenAfwijzingVerzoek")),
    ("jw319", "CD086", _set("m:Antwoord/m:VerzoekAntwoord", "2")),
    ("jw319", "TR377", _woonplaatsbeginsel),
    ("jw319", "TR409", _set("m:Antwoord/m:RedenAfwijzingVerzoek", "8")),
    *[("jw317", code, mutate) for code, mutate in HEADER_AND_CLIENT[:4]],
    ("jw317", "CD041", _remove(f"{N317}/m:Omvang")),
    ("jw317", "CD077", _after(f"{W317}/m:Omvang", "Budget", "1000")),
    ("jw317", "CD078", _after(f"{W317}/m:Omvang", "Budget", "1000")),
    ("jw317", "CD075", _all(_remove(f"{W317}/m:Omvang"), _remove(f"{W317}/m:Einddatum"), _budget(W317))),
    ("jw317", "CD076", _remove(f"{W317}/m:Einddatum")),
    ("jw317", "CS343", _all(_set(f"{W317}/m:Omvang/ijw:Eenheid", "14"), _set(f"{W317}/m:Omvang/ijw:Frequentie", "1"))),
    ("jw317", "CS003", _set(f"{N317}/m:Einddatum", "2025-03-31")),
    ("jw317", "TR101", _duplicate("m:Client/m:Verzoek/m:OngewijzigdeProducten/m:OngewijzigdProduct")),
    (
        "jw317",
        "TR101",
        _set("m:Client/m:Verzoek/m:OngewijzigdeProducten/m:OngewijzigdProduct/m:ToewijzingNummer", "700002"),
    ),
    ("jw317", "TR352", _all(_remove(f"{V317}/m:OngewijzigdeProducten"), _remove(f"{V317}/m:TeWijzigenProducten"))),
    ("jw317", "TR353", _all(_remove(f"{V317}/m:TeWijzigenProducten"), _remove(f"{V317}/m:NieuweProducten"))),
    ("jw317", "TR380", _set(f"{N317}/m:GewensteIngangsdatum", "2025-03-03")),
    ("jw317", "TR410", _duplicate(N317)),
    *[(retour, code, mutate) for retour in HEEN_OF for code, mutate in HEADER],
]
HEEN_BUILDERS = {
    "jw315": (build_jw315, samples.jw315),
    "jw301": (build_jw301, samples.jw301),
    "jw305": (build_jw305, samples.jw305),
    "jw307": (build_jw307, samples.jw307),
    "jw317": (build_jw317, samples.jw317),
    "jw319": (build_jw319, samples.jw319),
}


def _fresh_any(msg):
    if msg in HEEN_OF:  # a retour: on its heenbericht
        build, data = HEEN_BUILDERS[HEEN_OF[msg]]
        tree = build_retour(build(data()), identificatie="000000000099", dagtekening=samples.DAG)
    else:
        build, data = HEEN_BUILDERS[msg]
        tree = build(data())
    return parse_xml(to_bytes(tree))


@pytest.mark.parametrize(
    ("msg", "code", "mutate"), OTHER_CASES, ids=[f"{m}-{c}-{i}" for i, (m, c, _) in enumerate(OTHER_CASES)]
)
def test_other_message_rule_catches_its_violation(msg, code, mutate):
    root = _fresh_any(msg)
    assert validate(root).ok
    mutate(root)
    report = validate(root)
    assert code in {v.code for v in report.rule_errors}, report.violations
    hit = next(v for v in report.rule_errors if v.code == code)
    assert hit.path.startswith(("Header", "Client", "Antwoord"))


def test_every_registered_rule_has_a_breaking_message():
    assert {code for code, _ in RULES["jw315"]} == {c for c, _ in JW315_CASES}
    assert {code for code, _ in RULES["jw301"]} == {c for c, _ in JW301_CASES}
    for msg in RULES.keys() - {"jw315", "jw301"}:
        assert {code for code, _ in RULES[msg]} == {c for m, c, _ in OTHER_CASES if m == msg}, msg


def test_rule_messages_are_dutch_and_name_the_field():
    root = _fresh("jw315")
    _remove(f"{P315}/m:ToewijzingEinddatum")(root)
    (v,) = validate(root).rule_errors
    assert v.code == "CD076"
    assert v.path == "Client/AangevraagdeProducten/AangevraagdProduct/ToewijzingEinddatum"
    assert "einddatum verplicht" in v.message


def test_repeated_lines_get_an_index_in_the_path():
    root = _fresh("jw315")
    _duplicate(P315, _child_text("ReferentieAanbieder", "REF-2"))(root)
    (v,) = [v for v in validate(root).rule_errors if v.code == "TR386"]
    assert v.path == "Client/AangevraagdeProducten/AangevraagdProduct[2]/ToewijzingIngangsdatum"


def test_xsd_errors_are_reported_with_a_path_and_the_schema_keeps_no_state():
    bad = _fresh("jw315")
    _set("m:Client/m:Geslacht", "9")(bad)
    report = validate(bad)
    assert report.codes == {"XSD"}
    assert report.xsd_errors[0].path.startswith("Client/Geslacht")
    assert validate(_fresh("jw315")).ok  # no stale error_log from the previous validation

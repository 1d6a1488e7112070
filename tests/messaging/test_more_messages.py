"""JW305, JW307, JW319 and the retours: built valid from plain data, read back equal, refused in Dutch, and
every rule we added caught by its code on a message that breaks it."""

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from messaging import schemas
from messaging.builders import (
    InvalidMessage,
    MessageRefused,
    build_jw301,
    build_jw305,
    build_jw307,
    build_jw315,
    build_jw319,
    build_retour,
    to_bytes,
)
from messaging.codes import RETOURCODES, retourcode_text
from messaging.data import Retour
from messaging.parsing import parse_message, parse_xml
from messaging.schemas import NAMESPACES, NS_IJW
from messaging.validation import RULES, validate

from . import samples

BUILDERS = {"jw305": build_jw305, "jw307": build_jw307, "jw319": build_jw319}


@pytest.mark.parametrize("msg", ["jw305", "jw307", "jw319"])
def test_built_message_is_valid_and_round_trips(msg):
    data = getattr(samples, msg)()
    root = BUILDERS[msg](data)
    assert validate(root).ok
    assert parse_message(to_bytes(root)) == data
    header = root[0]
    assert header[0].text == schemas.BERICHT_CODES[msg]


@pytest.mark.parametrize("msg", list(schemas.BERICHT_CODES))
def test_xsd_versie_is_read_from_the_file_we_ship(msg):
    basis, bericht = schemas.xsd_versie(msg)
    text = (schemas.XSD_DIR / f"{msg}.xsd").read_text()
    assert f"<{msg}:BerichtXsdVersie>{bericht}</{msg}:BerichtXsdVersie>" in text
    assert re.fullmatch(r"\d+\.\d+\.\d+", basis)


def test_start_refused_in_dutch_naming_the_field():
    with pytest.raises(MessageRefused) as refused:
        build_jw305(samples.jw305(status_aanlevering="2"))
    assert "StartProduct[1]/StatusAanlevering" in str(refused.value)
    with pytest.raises(MessageRefused) as refused:
        build_jw307(samples.jw307(reden_beeindiging="99"))
    assert "lijst JZ588" in str(refused.value)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (lambda: samples.jw307(einddatum=date(2025, 3, 1)), "TR018"),
        (lambda: samples.jw305(begindatum=date(2025, 4, 1)), "TR134"),
        (lambda: samples.jw307(einddatum=date(2025, 4, 1)), "TR134"),
        (lambda: samples.jw319(reden_afwijzing=""), "CD085"),
        (lambda: samples.jw319(verzoek_antwoord="2"), "CD086"),
        (lambda: samples.jw319(woonplaats_gemeente="0867"), "TR377"),
        (lambda: samples.jw319(reden_afwijzing="8"), "TR409"),
    ],
)
def test_builder_refuses_with_the_rule_code(data, code):
    value = data()
    with pytest.raises(MessageRefused) as refused:
        BUILDERS[{"StartJeugdhulp": "jw305", "StopJeugdhulp": "jw307"}.get(type(value).__name__, "jw319")](value)
    assert any(reason.startswith(code) for reason in refused.value.reasons), refused.value.reasons


def _ns(msg):
    return {"m": NAMESPACES[msg], "ijw": NS_IJW}


def test_cs058_catches_status_2_in_a_received_start():
    root = build_jw305(samples.jw305())
    (status,) = root.xpath("//m:StatusAanlevering", namespaces=_ns("jw305"))
    status.text = "2"  # allowed by the XSD (COD467), not by the standard
    assert "CS058" in validate(root).codes


def test_tr101_catches_the_same_start_twice():
    root = build_jw305(samples.jw305())
    (line,) = root.xpath("//m:StartProduct", namespaces=_ns("jw305"))
    line.addnext(etree.fromstring(etree.tostring(line)))
    assert "TR101" in validate(root).codes


def test_header_rules_apply_to_every_message_type():
    for msg, rules in RULES.items():
        codes = {code for code, _ in rules}
        assert {"RS047", "CS025", "CS015"} <= codes, msg
    assert {"CS002", "CS058", "TR018", "TR134", "TR101"} <= {c for c, _ in RULES["jw307"]}
    assert {"CD085", "CD086", "TR377", "TR409"} <= {c for c, _ in RULES["jw319"]}


# --- Retours ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msg", "build", "data"),
    [
        ("jw315", build_jw315, samples.jw315),
        ("jw301", build_jw301, samples.jw301),
        ("jw305", build_jw305, samples.jw305),
        ("jw307", build_jw307, samples.jw307),
        ("jw319", build_jw319, samples.jw319),
    ],
)
def test_accepted_retour_is_the_header_only(msg, build, data):
    heen = build(data())
    root = build_retour(heen, identificatie="000000000099", dagtekening=date(2025, 3, 21))
    assert validate(root).ok
    retour = parse_message(to_bytes(root))
    assert isinstance(retour, Retour)
    assert retour.message_type == schemas.RETOUR_OF[msg]
    assert retour.accepted and not retour.codes
    assert len(root) == 1  # no Client / Antwoord
    # Afzender, Ontvanger and BerichtIdentificatie stay those of the heenbericht (IV028).
    heen_header = {etree.QName(c).localname: c for c in heen[0]}
    assert retour.afzender == heen_header["Afzender"].text
    assert retour.heen_identificatie == heen_header["BerichtIdentificatie"][0].text


def test_retour_with_an_error_below_the_header_copies_the_client_with_codes_per_class():
    heen = build_jw315(samples.jw315())
    (line,) = heen.xpath("//m:AangevraagdProduct", namespaces=_ns("jw315"))
    root = build_retour(heen, identificatie="000000000099", dagtekening=date(2025, 3, 21), class_codes={line: ["9347"]})
    assert validate(root).ok
    retour = parse_message(to_bytes(root))
    assert not retour.accepted
    assert dict(retour.class_codes) == {
        "Client/AangevraagdeProducten/AangevraagdProduct": ("9347",),
        "Client": ("0200",),
    }
    assert retour.header_codes == ("0200",)


def test_retour_on_an_xslt_failure_carries_0001_and_the_xslt_version():
    heen = build_jw301(samples.jw301())
    root = build_retour(heen, identificatie="000000000099", dagtekening=date(2025, 3, 21), header_codes=["0001"])
    assert validate(root).ok
    assert root.xpath("//m:XsltVersie/text()", namespaces=_ns("jw302")) == ["1.0.0"]
    assert parse_message(to_bytes(root)).codes == {"0001"}


def test_every_retourcode_we_explain_is_in_the_xsd_list():
    xsd = (schemas.XSD_DIR / "basisschema.xsd").read_text()
    for code in RETOURCODES:
        assert f'<xs:enumeration value="{code}"/>' in xsd, code
    assert "elfproef" not in retourcode_text("9999")
    assert retourcode_text("9999").startswith("Onbekende retourcode")


def test_parsing_refuses_a_doctype():
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'
    with pytest.raises(ValueError):
        parse_xml(data)


# --- Properties: whatever the data, valid or refused in Dutch; parse(build(x)) == x -------------------------

FIELD = re.compile(r"\b(Client|Header|StartProduct|StopProduct|Antwoord)\b")
dates = st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31))
nummers = st.none() | st.integers(min_value=-5, max_value=10**9 + 5)


def _valid_or_refused(build, data):
    try:
        root = build(data)
    except InvalidMessage as bug:  # pragma: no cover - the property forbids this
        raise AssertionError(f"builder made an XSD-invalid message: {bug.reasons}") from bug
    except MessageRefused as refused:
        assert refused.reasons
        for reason in refused.reasons:
            assert FIELD.search(reason), reason
            assert not re.search(r"\b(the|must|element|value)\b", reason), reason
        return
    assert validate(root).ok
    assert parse_message(to_bytes(root)) == data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    begin=dates,
    einde=dates,
    nummer=nummers,
    reden=st.sampled_from(["02", "20", "31", "38", "39", "99", ""]),
    status=st.sampled_from(["1", "2", "3", "9"]),
    geboren=dates,
    stop=st.booleans(),
)
def test_start_and_stop_are_valid_or_refused_in_dutch(begin, einde, nummer, reden, status, geboren, stop):
    if stop:
        data = samples.jw307(
            begindatum=begin,
            einddatum=einde,
            toewijzing_nummer=nummer,
            reden_beeindiging=reden,
            status_aanlevering=status,
        )
        build = build_jw307
    else:
        data = samples.jw305(begindatum=begin, toewijzing_nummer=nummer, status_aanlevering=status)
        build = build_jw305
    data = replace(data, client=replace(data.client, geboortedatum=geboren))
    _valid_or_refused(build, data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    antwoord=st.sampled_from(["1", "2", "3"]),
    reden=st.sampled_from(["", "1", "4", "8", "9", "10"]),
    gemeente=st.sampled_from(["", "0867", "867", "abcd"]),
    referentie=st.text(min_size=0, max_size=40),
)
def test_antwoordbericht_is_valid_or_refused_in_dutch(antwoord, reden, gemeente, referentie):
    data = samples.jw319(
        verzoek_antwoord=antwoord, reden_afwijzing=reden, woonplaats_gemeente=gemeente, referentie_aanbieder=referentie
    )
    _valid_or_refused(build_jw319, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    msg=st.sampled_from(["jw315", "jw301", "jw305", "jw307", "jw319"]),
    header_codes=st.lists(st.sampled_from(["0001", "8848", "9056"]), max_size=2, unique=True),
    class_code=st.none() | st.sampled_from(["9347", "9332", "9379", "9019", "9355", "S329"]),
    identificatie=st.from_regex(r"[0-9]{1,12}", fullmatch=True),
)
def test_any_retour_is_valid_and_reads_back_its_codes(msg, header_codes, class_code, identificatie):
    heen = {"jw315": build_jw315, "jw301": build_jw301, **BUILDERS}[msg](getattr(samples, msg)())
    classes = {}
    if class_code and not header_codes:
        first = heen.xpath(
            "//*[local-name()='AangevraagdProduct' or local-name()='ToegewezenProduct' or "
            "local-name()='StartProduct' or local-name()='StopProduct' or local-name()='Antwoord']"
        )[0]
        classes = {first: [class_code]}
    root = build_retour(
        heen,
        identificatie=identificatie,
        dagtekening=date(2025, 3, 21),
        header_codes=header_codes,
        class_codes=classes,
    )
    assert validate(root).ok
    retour = parse_message(to_bytes(root))
    expected = set(header_codes) | ({class_code, "0200"} if classes else set())
    assert retour.codes == expected
    assert retour.accepted == (not header_codes and not classes)

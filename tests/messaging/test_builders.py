"""Building JW315/JW301 from cases and plain data; refusals; round trip; safe parsing."""

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from lxml import etree

from messaging import schemas
from messaging.builders import (
    JEUGDZORGPLUS_PRODUCT,
    ManualRouteRequired,
    MessageNotApplicable,
    MessageRefused,
    build_jw301,
    build_jw315,
    new_identificatie,
    to_bytes,
    verwijzer_for,
)
from messaging.data import Omvang, Product, ToegewezenProduct, Verwijzer
from messaging.from_case import AanvraagRegel, assignment_from_case, request_from_case
from messaging.parsing import UnsafeXml, parse_jw301, parse_jw315, parse_message, parse_xml
from messaging.validation import validate
from referrals import services
from tests.factories import UserFactory, build_case, crossroads

from . import samples

ADRES = {"straat": "Stationsstraat", "huisnummer": "12 b", "postcode": "5038 eb", "woonplaats": "Tilburg"}


def _case_in_care(route="toegang", **youth_kw):
    """build_case(stage="hulpverlenend"); the medisch domein first needs its coordination request."""
    if route != "medisch_domein":
        return build_case(stage="hulpverlenend", route=route, **youth_kw)
    aanmeldpunt = UserFactory(role="aanmeldpunt", organisation=crossroads())
    case = build_case(stage="advies", route=route, aanmeldpunt_user=aanmeldpunt, **youth_kw)
    case = services.record_coordination_requested(actor=aanmeldpunt, case=case)
    return services.start_hulpverlening(actor=aanmeldpunt, case=case)


def _regel(today, **kw):
    values = {
        "referentie_aanbieder": "S1-REF-0001",
        "ingangsdatum": today,
        "product": Product("45", "45A01"),
        "einddatum": today + timedelta(days=180),
        "omvang": Omvang(3, "04", "2"),
    }
    values.update(kw)
    return AanvraagRegel(**values)


def _toegewezen(today, **kw):
    values = {
        "toewijzing_nummer": 700001,
        "toewijzingsdatum": today,
        "toewijzingstijd": time(9, 30),
        "ingangsdatum": today,
        "product": Product("45", "45A01"),
        "referentie_aanbieder": "S1-REF-0001",
        "einddatum": today + timedelta(days=180),
        "omvang": Omvang(3, "04", "2"),
    }
    values.update(kw)
    return ToegewezenProduct(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "verwijzer_type"), [("toegang", "01"), ("medisch_domein", "02"), ("gi", "04")])
def test_messages_from_a_case_in_care_validate(route, verwijzer_type):
    case = _case_in_care(route, voornaam="Zoë-Anne", **ADRES)
    case.jeugdige.tussenvoegsel = "van den"  # build_case has no tussenvoegsel parameter
    today = timezone.localdate()
    request = request_from_case(case, regels=[_regel(today)], identificatie="000000000001", dagtekening=today)
    jw315 = build_jw315(request)
    assert validate(jw315).ok
    assert request.header.afzender == case.regie_organisatie.agb_code
    assert request.header.ontvanger == case.gemeente.cbs_code
    assert request.producten[0].verwijzer.type == verwijzer_type
    assert parse_message(to_bytes(jw315)) == request
    assert request.client.naam.voorvoegsel == "van den" and request.client.naam.voorletters == "ZA"

    assignment = assignment_from_case(
        case, producten=[_toegewezen(today)], identificatie="000000000001", dagtekening=today
    )
    jw301 = build_jw301(assignment)
    assert validate(jw301).ok
    assert parse_message(to_bytes(jw301)) == assignment
    adres = assignment.client.contacten[0].adres
    assert (adres.postcode, adres.huis.huisnummer, adres.huis.huisletter) == ("5038EB", 12, "B")


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["geen_bsn", "ongeboren", "geheim"])
def test_no_usable_bsn_means_the_manual_route(status):
    extra = {"geboortedatum": timezone.localdate() + timedelta(days=60)} if status == "ongeboren" else {}
    case = build_case(stage="hulpverlenend", bsn_status=status, **extra)
    today = timezone.localdate()
    request = request_from_case(case, regels=[_regel(today)], identificatie="000000000001", dagtekening=today)
    with pytest.raises(ManualRouteRequired) as refused:
        build_jw315(request)
    assert "handmatig met de gemeente" in str(refused.value)
    assignment = assignment_from_case(case, producten=[_toegewezen(today)], identificatie="1", dagtekening=today)
    with pytest.raises(ManualRouteRequired):
        build_jw301(assignment)


@pytest.mark.django_db
def test_medisch_domein_with_agb_sends_the_code_and_no_name():
    case = _case_in_care("medisch_domein")
    case.verwijzer_code = "01234567"
    today = timezone.localdate()
    request = request_from_case(case, regels=[_regel(today)], identificatie="000000000002", dagtekening=today)
    assert request.producten[0].verwijzer == Verwijzer("02", zorgverlener_code="01234567")
    assert validate(build_jw315(request)).ok


def test_verwijzer_by_route():
    assert verwijzer_for("toegang", "gemeente", organisatie="Gemeente Tilburg") == Verwijzer("01", "Gemeente Tilburg")
    assert verwijzer_for("lta", "gemeente", naam="Toegang").type == "01"
    assert verwijzer_for("medisch_domein", "jeugdarts", naam="J. Arts") == Verwijzer("03", "J. Arts")
    assert verwijzer_for("medisch_domein", "medisch_specialist", code="87654321").type == "05"
    coa = verwijzer_for("medisch_domein", "ggd_jeugdarts_coa", naam="Dr. De Vries", code="01234567")
    assert coa.type == "03" and "GGD" in coa.naam and "COA" in coa.naam and not coa.zorgverlener_code
    assert verwijzer_for("gi", "gi_wsg") == Verwijzer("04", "William Schrikker Groep")
    assert verwijzer_for("gi", "raad_kinderbescherming").type == "08"
    with pytest.raises(MessageNotApplicable, match="geen verzoek om toewijzing"):
        verwijzer_for("gi", "gi_anders")
    with pytest.raises(MessageRefused, match="hoort niet bij de verwijsroute"):
        verwijzer_for("toegang", "huisarts")
    with pytest.raises(MessageRefused, match="Naam of AGB-code"):
        verwijzer_for("medisch_domein", "huisarts")


GI_JBB = Verwijzer("04", "Jeugdbescherming Brabant")


def _jzp(afzender="73730723", verwijzer=GI_JBB, **kw):
    request = samples.jw315(product=JEUGDZORGPLUS_PRODUCT, omvang=Omvang(7, "14", "2"), verwijzer=verwijzer, **kw)
    return replace(request, header=replace(request.header, afzender=afzender))


@pytest.mark.parametrize("agb", ["73730723", "06291021", "22220535"])
def test_jeugdzorgplus_for_the_three_providers(agb):
    assert validate(build_jw315(_jzp(agb))).ok
    assert validate(build_jw315(_jzp(agb, verwijzer=verwijzer_for("gi", "raad_kinderbescherming")))).ok
    assert validate(build_jw315(_jzp(agb, verwijzer=Verwijzer("01", "Gemeente Tilburg")))).ok


def test_jeugdzorgplus_refusals():
    with pytest.raises(MessageRefused, match="alleen voor Pactum"):
        build_jw315(_jzp("12345678"))
    with pytest.raises(MessageRefused, match="GI, de Raad voor de Kinderbescherming of de gemeente"):
        build_jw315(_jzp(verwijzer=Verwijzer("02", zorgverlener_code="01234567")))
    with pytest.raises(MessageRefused, match="eenheid 14"):
        build_jw315(replace(_jzp(), producten=(replace(_jzp().producten[0], omvang=Omvang(7, "04", "2")),)))
    with pytest.raises(MessageRefused, match="geen beschikking"):
        build_jw315(_jzp(beschikking_nummer=1, beschikking_ingangsdatum=date(2025, 3, 10)))
    toewijzing = samples.jw301(product=JEUGDZORGPLUS_PRODUCT, omvang=Omvang(7, "14", "2"))
    with pytest.raises(MessageRefused, match="alleen voor Pactum"):
        build_jw301(toewijzing)
    ok = replace(toewijzing, header=replace(toewijzing.header, ontvanger="22220535"))
    assert validate(build_jw301(ok)).ok


def test_builder_refuses_with_the_rule_code_instead_of_building_an_invalid_message():
    with pytest.raises(MessageRefused) as refused:
        build_jw315(samples.jw315(toewijzing_einddatum=None))
    assert any(r.startswith("CD076") and "ToewijzingEinddatum" in r for r in refused.value.reasons)


def test_xsd_versie_comes_from_our_xsd_files():
    root = build_jw315(samples.jw315())
    ns = {"m": schemas.NAMESPACES["jw315"], "ijw": schemas.NS_IJW}
    basis = root.xpath("m:Header/m:XsdVersie/ijw:BasisschemaXsdVersie/text()", namespaces=ns)
    bericht = root.xpath("m:Header/m:XsdVersie/ijw:BerichtXsdVersie/text()", namespaces=ns)
    assert (basis[0], bericht[0]) == schemas.xsd_versie("jw315")
    xsd = etree.parse(str(schemas.XSD_DIR / "jw315.xsd"))
    assert xsd.xpath("//*[local-name()='BerichtXsdVersie']/text()") == [bericht[0]]


def test_identificatie_comes_from_the_senders_counter():
    asked = []

    def counter(afzender):
        asked.append(afzender)
        return 17

    assert new_identificatie("12345678", counter) == "000000000017"
    assert asked == ["12345678"]
    with pytest.raises(ValueError):
        new_identificatie("12345678", lambda a: 10**12)


def test_round_trip_from_plain_data():
    request = samples.jw315(
        beschikking_nummer=4711, beschikking_ingangsdatum=date(2025, 3, 1), commentaar="Graag snel."
    )
    assert parse_jw315(parse_xml(to_bytes(build_jw315(request)))) == request
    assignment = samples.jw301(reden_wijziging="04")
    assert parse_jw301(parse_xml(to_bytes(build_jw301(assignment)))) == assignment


def test_parser_does_not_expand_entities_or_read_files():
    evil = b"""<?xml version="1.0"?>
<!DOCTYPE Bericht [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<jw315:Bericht xmlns:jw315="http://www.istandaarden.nl/ijw/3_2/jw315/schema">&x;</jw315:Bericht>"""
    with pytest.raises(UnsafeXml):
        parse_xml(evil)
    with pytest.raises(etree.XMLSyntaxError):
        parse_xml(b"<a>")


def test_unknown_message_is_refused_in_dutch():
    with pytest.raises(ValueError, match="Onbekend bericht"):
        parse_message(b"<Bericht/>")

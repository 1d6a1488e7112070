"""JW317 Verzoek om wijziging and its JW318 retour, both sides: build (XSD, each field), the in-message
rules, the gemeente's cross-message checks (each with its retourcode), the answer (JW301 changing the
toewijzingen, or JW319), the deadline, import (upload and API) and the pages."""

import copy
import re
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from messaging import selectors, services
from messaging.builders import (
    ManualRouteRequired,
    MessageRefused,
    build_jw301,
    build_jw317,
    build_retour,
    to_bytes,
)
from messaging.data import (
    BerichtHeader,
    NieuwProduct,
    Omvang,
    Product,
    TeWijzigenProduct,
    ToegewezenProduct,
    ToewijzingBericht,
    VerzoekOmWijziging,
)
from messaging.from_case import client_from_jeugdige
from messaging.models import Message, MessageState, Toewijzing
from messaging.parsing import parse_jw301, parse_message, parse_retour, parse_xml
from messaging.readable import describe
from messaging.schemas import NAMESPACES
from messaging.validation import validate, validate_rules, validate_xsd
from referrals.models import CaseEvent
from tests.helpers import FAST_HASHERS

from .traffic import Parties

pytestmark = pytest.mark.django_db

DAG = date(2026, 3, 3)
NS = {"m": NAMESPACES["jw317"], "ijw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def vow(**kw) -> VerzoekOmWijziging:
    values = {
        "header": BerichtHeader("12345678", "0855", "000000000031", DAG),
        "bsn": "999990019",
        "referentie_aanbieder": "C-2026-0001-004",
        "reden_verzoek": "2",
        "ongewijzigd": (700001,),
        "te_wijzigen": (TeWijzigenProduct(700002, date(2026, 4, 1), date(2026, 9, 30), Omvang(6, "04", "2")),),
        "nieuw": (NieuwProduct(date(2026, 4, 1), Product("45", "45A01"), date(2026, 9, 30), Omvang(2, "04", "2")),),
    }
    values.update(kw)
    return VerzoekOmWijziging(**values)


# --- Build ---------------------------------------------------------------------------------------------------


def test_jw317_is_xsd_valid_and_every_field_reads_back():
    data = vow(
        nieuw=(
            NieuwProduct(date(2026, 4, 1), Product("45", "45A01"), date(2026, 9, 30), Omvang(2, "04", "2")),
            NieuwProduct(date(2026, 5, 1), Product("54"), date(2026, 12, 31), budget=125050),
        )
    )
    root = build_jw317(data)
    assert validate(root).ok
    assert root.findtext("m:Header/m:BerichtCode", namespaces=NS) == "486"
    assert etree.QName(root).namespace == "http://www.istandaarden.nl/ijw/3_2/jw317/schema"
    verzoek = root.find("m:Client/m:Verzoek", namespaces=NS)
    assert [etree.QName(el).localname for el in verzoek] == [
        "ReferentieAanbieder",
        "RedenVerzoek",
        "OngewijzigdeProducten",
        "TeWijzigenProducten",
        "NieuweProducten",
    ]
    assert parse_message(to_bytes(root)) == data


def test_jw317_with_only_a_budget_change_and_no_unchanged_products():
    data = vow(ongewijzigd=(), te_wijzigen=(TeWijzigenProduct(5, date(2026, 1, 1), date(2026, 6, 30), budget=9900),))
    data = VerzoekOmWijziging(**{**data.__dict__, "nieuw": ()})
    root = build_jw317(data)
    assert validate(root).ok
    assert root.find("m:Client/m:Verzoek/m:OngewijzigdeProducten", namespaces=NS) is None
    assert parse_message(to_bytes(root)) == data


@pytest.mark.parametrize(
    "change, words",
    [
        ({"reden_verzoek": "3"}, "reden van het verzoek"),
        ({"te_wijzigen": (), "nieuw": ()}, "niets te wijzigen"),
        ({"bsn": "12345"}, "BSN"),
        ({"referentie_aanbieder": ""}, "referentie"),
        ({"ongewijzigd": (10**9,)}, "toewijzingnummer"),
        ({"nieuw": (NieuwProduct(date(2026, 4, 1), Product("99")),)}, "JZ020"),
    ],
)
def test_jw317_builder_refuses_in_dutch(change, words):
    with pytest.raises(MessageRefused) as e:
        build_jw317(vow(**change))
    assert words in " ".join(e.value.reasons)


def test_jw317_has_no_message_without_a_usable_bsn():
    with pytest.raises(ManualRouteRequired):
        build_jw317(vow(bsn_status="geheim"))


def test_jw318_retour_carries_codes_on_each_class_and_is_xsd_valid():
    heen = build_jw317(vow())
    te_wijzigen = heen.find(".//m:TeWijzigenProduct", namespaces=NS)
    verzoek = heen.find(".//m:Verzoek", namespaces=NS)
    retour = build_retour(
        heen, identificatie="000000000001", dagtekening=DAG, class_codes={te_wijzigen: ["9351"], verzoek: ["9349"]}
    )
    assert not validate_xsd(retour)
    data = parse_retour(retour)
    assert data.message_type == "jw318" and not data.accepted
    assert dict(data.class_codes) == {
        "Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct": ("0200",),
        "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct": ("9351",),
        "Client/Verzoek/NieuweProducten/NieuwProduct": ("0200",),
        "Client/Verzoek": ("9349",),
        "Client": ("0200",),
    }
    accepted = build_retour(heen, identificatie="000000000002", dagtekening=DAG)
    assert parse_retour(accepted).accepted and accepted.find(f"{{{NAMESPACES['jw318']}}}Client") is None


def test_readable_view_names_every_part_in_dutch():
    titles = [s.title for s in describe(vow())]
    assert titles == ["Bericht", "Verzoek", "Ongewijzigd", "Te wijzigen product 1", "Nieuw product 1"]
    rows = dict(describe(vow())[1].rows)
    assert rows["Reden"] == "Wijziging zorgplan"
    assert dict(describe(vow())[3].rows)["Gewenste ingangsdatum"] == "1 april 2026"


# --- In-message rules ----------------------------------------------------------------------------------------


def _tree():
    return build_jw317(vow())


def _line(root, name="TeWijzigenProduct"):
    return root.find(f".//m:{name}", namespaces=NS)


def _sub(parent, name, text, before=None):
    el = etree.Element(f"{{{NS['m']}}}{name}")
    el.text = text
    if before is not None:
        parent.find(f"m:{before}", namespaces=NS).addprevious(el)
    else:
        parent.append(el)
    return el


def _set(root, xpath, text):
    root.find(xpath, namespaces=NS).text = text


def _remove(root, xpath):
    el = root.find(xpath, namespaces=NS)
    el.getparent().remove(el)


def bad_bsn(root):
    _set(root, "m:Client/m:Bsn", "123456789")


def omvang_and_budget(root):
    _sub(_line(root), "Budget", "1000")


def budget_without_einddatum(root):
    line = _line(root)
    line.remove(line.find("m:Omvang", namespaces=NS))
    line.remove(line.find("m:Einddatum", namespaces=NS))
    _sub(line, "Budget", "1000")


def per_week_without_einddatum(root):
    _remove(root, ".//m:TeWijzigenProduct/m:Einddatum")


def einddatum_before_ingangsdatum(root):
    _set(root, ".//m:NieuwProduct/m:Einddatum", "2026-03-01")


def code_without_omvang(root):
    _remove(root, ".//m:NieuwProduct/m:Omvang")


def etmaal_per_dag(root):
    _set(root, ".//m:TeWijzigenProduct/m:Omvang/ijw:Eenheid", "14")
    _set(root, ".//m:TeWijzigenProduct/m:Omvang/ijw:Frequentie", "1")


def same_number_twice(root):
    parent = root.find(".//m:OngewijzigdeProducten", namespaces=NS)
    el = etree.SubElement(parent, f"{{{NS['m']}}}OngewijzigdProduct")
    _sub(el, "ToewijzingNummer", "700001")


def kept_and_changed(root):
    _set(root, ".//m:OngewijzigdProduct/m:ToewijzingNummer", "700002")


def only_new_products(root):
    for name in ("OngewijzigdeProducten", "TeWijzigenProducten"):
        _remove(root, f".//m:{name}")


def nothing_to_change(root):
    for name in ("TeWijzigenProducten", "NieuweProducten"):
        _remove(root, f".//m:{name}")


def new_product_from_the_dagtekening(root):
    _set(root, ".//m:NieuwProduct/m:GewensteIngangsdatum", DAG.isoformat())


def the_same_new_product_twice(root):
    line = _line(root, "NieuwProduct")
    line.addnext(copy.deepcopy(line))


def wrong_berichtcode(root):
    _set(root, "m:Header/m:BerichtCode", "446")


@pytest.mark.parametrize(
    "break_it, code",
    [
        (bad_bsn, "CS002"),
        (omvang_and_budget, "CD077"),
        (omvang_and_budget, "CD078"),
        (budget_without_einddatum, "CD075"),
        (per_week_without_einddatum, "CD076"),
        (einddatum_before_ingangsdatum, "CS003"),
        (code_without_omvang, "CD041"),
        (etmaal_per_dag, "CS343"),
        (same_number_twice, "TR101"),
        (kept_and_changed, "TR101"),
        (wrong_berichtcode, "RS047"),
        (only_new_products, "TR352"),
        (nothing_to_change, "TR353"),
        (new_product_from_the_dagtekening, "TR380"),
        (the_same_new_product_twice, "TR410"),
    ],
)
def test_in_message_rule_fails_on_its_own_fault_only(break_it, code):
    root = _tree()
    assert not validate_rules(root)
    break_it(root)
    found = {v.code for v in validate_rules(root)}
    assert code in found
    assert all(v.message and v.path for v in validate_rules(root))


# --- Through the services ------------------------------------------------------------------------------------


def granted(p, case, *, ingangsdatum=None, **kw):
    """A JW315 granted with a JW301: the case then has one current toewijzing."""
    today = timezone.localdate()
    jw315 = p.sent_request(case, ingangsdatum=ingangsdatum or today, **kw)
    services.accept_jw315(
        actor=p.backoffice,
        message=jw315,
        data=services.AcceptInput(ingangsdatum=ingangsdatum or today, einddatum=today + timedelta(days=180)),
    )
    return Toewijzing.objects.filter(case=case).order_by("-pk").first()


def change(toewijzing, **kw):
    values = {"toewijzing": toewijzing, "wijzigen": True, "ingangsdatum": timezone.localdate() + timedelta(days=7)}
    values.update(kw)
    return services.Wijziging(**values)


def sent_vow(p, case, *wijzigingen, reden="1", nieuw=()):
    jw317 = services.create_jw317(
        actor=p.aanmeldpunt,
        case=case,
        data=services.WijzigingInput(reden=reden, wijzigingen=list(wijzigingen), nieuw=list(nieuw)),
    )
    return services.send_message(actor=p.aanmeldpunt, message=jw317)


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("pk"))


def test_jw317_goes_concept_validated_sent_accepted_with_its_jw318(p):
    case = p.case()
    t = granted(p, case)
    new_end = t.einddatum + timedelta(days=60)
    jw317 = services.create_jw317(
        actor=p.aanmeldpunt,
        case=case,
        data=services.WijzigingInput(reden="2", wijzigingen=[change(t, einddatum=new_end)]),
    )
    assert jw317.state == MessageState.GEVALIDEERD and jw317.message_type == "jw317"
    assert (jw317.sender, jw317.receiver) == ("80000101", "0855")
    data = parse_message(jw317.data)
    assert data.bsn == case.jeugdige.bsn and data.reden_verzoek == "2"
    assert data.referentie_aanbieder == jw317.referentie
    (line,) = data.te_wijzigen
    assert (line.toewijzing_nummer, line.einddatum, line.omvang) == (t.toewijzing_nummer, new_end, Omvang(4, "04", "2"))
    jw317 = services.send_message(actor=p.aanmeldpunt, message=jw317)
    assert jw317.state == MessageState.GEACCEPTEERD
    (jw318,) = jw317.answered_by.all()
    assert jw318.message_type == "jw318" and parse_retour(parse_xml(jw318.data)).accepted
    ref = str(jw317.public_id)
    for kind in ("jw317_verzonden", "jw317_ontvangen", "retour_verzonden"):
        assert [e.payload["ref"] for e in events(case, kind)][-1] == ref
    assert jw317 in selectors.inbox(p.backoffice)


def test_a_toewijzing_left_out_of_the_input_is_sent_as_unchanged(p):
    case = p.case()
    first = granted(p, case)
    second = granted(p, case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
    jw317 = sent_vow(p, case, change(second, einddatum=second.einddatum + timedelta(days=30)))
    data = parse_message(jw317.data)
    assert data.ongewijzigd == (first.toewijzing_nummer,)
    assert [line.toewijzing_nummer for line in data.te_wijzigen] == [second.toewijzing_nummer]


def test_a_current_toewijzing_on_an_earlier_case_of_the_youth_is_named_unchanged(p):
    case = p.case()
    t = granted(p, case)
    earlier = p.case()
    earlier.jeugdige.bsn = case.jeugdige.bsn
    earlier.jeugdige.save()
    today = timezone.localdate()
    Toewijzing.objects.create(
        case=earlier,
        source="jw301",
        gemeente=t.gemeente,
        aanbieder=t.aanbieder,
        toewijzing_nummer=990123,
        categorie="54",
        ingangsdatum=today,
        toewijzingsdatum=today,
    )
    jw317 = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    assert parse_message(jw317.data).ongewijzigd == (990123,)
    assert jw317.state == MessageState.GEACCEPTEERD  # no 9349
    jw301 = services.accept_jw317(actor=p.backoffice, message=jw317)
    assert jw301.state == MessageState.GEACCEPTEERD  # the repeated number is no 9332
    assert [line.toewijzing_nummer for line in parse_jw301(parse_xml(jw301.data)).producten] == [
        t.toewijzing_nummer,
        990123,
    ]


def test_form_errors_are_dutch_at_their_field_and_nothing_is_stored(p):
    case = p.case()
    t = granted(p, case, ingangsdatum=timezone.localdate() - timedelta(days=20))
    before = Message.objects.count()
    with pytest.raises(ValidationError) as e:
        services.create_jw317(
            actor=p.aanmeldpunt,
            case=case,
            data=services.WijzigingInput(
                reden="1",
                wijzigingen=[change(t, ingangsdatum=timezone.localdate() - timedelta(days=1), volume=-1, budget=100)],
            ),
        )
    errors = e.value.message_dict
    assert "na vandaag" in errors[f"ingangsdatum_{t.pk}"][0]
    assert "0 of meer" in errors[f"volume_{t.pk}"][0]
    assert "geen budget" in errors[f"budget_{t.pk}"][0]
    with pytest.raises(ValidationError) as e:
        services.create_jw317(
            actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t)])
        )
    assert "verandert niets" in e.value.message_dict[f"wijzigen_{t.pk}"][0]
    with pytest.raises(ValidationError) as e:
        services.create_jw317(actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1"))
    assert "minstens één" in " ".join(e.value.messages)
    with pytest.raises(ValidationError) as e:
        services.create_jw317(actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="", wijzigingen=[]))
    assert "reden" in e.value.message_dict
    assert Message.objects.count() == before


def test_no_request_without_a_current_toewijzing_or_for_another_provider(p):
    from tests import factories

    case = p.case()
    with pytest.raises(ValidationError, match="geen actuele toewijzing"):
        services.create_jw317(actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1"))
    t = granted(p, case)
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000103"))
    with pytest.raises(PermissionDenied):
        services.create_jw317(
            actor=other, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t, volume=8)])
        )
    with pytest.raises(PermissionDenied):
        services.create_jw317(
            actor=p.backoffice, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t, volume=8)])
        )


def test_a_second_request_waits_for_the_answer_on_the_first(p):
    case = p.case()
    t = granted(p, case)
    sent_vow(p, case, change(t, volume=8))
    with pytest.raises(ValidationError, match="al een verzoek"):
        services.create_jw317(
            actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t, volume=9)])
        )


# --- The gemeente's answer -----------------------------------------------------------------------------------


def test_granted_new_einddatum_keeps_the_toewijzing_and_its_number(p):
    case = p.case()
    t = granted(p, case)
    new_end = t.einddatum + timedelta(days=90)
    jw317 = sent_vow(p, case, change(t, einddatum=new_end))
    jw301 = services.accept_jw317(actor=p.backoffice, message=jw317)
    assert jw301.state == MessageState.GEACCEPTEERD and jw301.answers == jw317
    (line,) = parse_jw301(parse_xml(jw301.data)).producten
    assert (line.toewijzing_nummer, line.einddatum, line.reden_wijziging) == (t.toewijzing_nummer, new_end, "12")
    assert line.referentie_aanbieder == jw317.referentie
    t.refresh_from_db()
    assert t.einddatum == new_end
    assert Toewijzing.objects.filter(case=case).count() == 1
    assert jw317 not in selectors.inbox(p.backoffice)


def test_granted_other_volume_ends_the_toewijzing_and_assigns_a_new_number(p):
    case = p.case()
    t = granted(p, case)
    per = timezone.localdate() + timedelta(days=14)
    jw317 = sent_vow(p, case, change(t, ingangsdatum=per, volume=8))
    jw301 = services.accept_jw317(actor=p.backoffice, message=jw317, data=services.AcceptWijzigingInput("Akkoord"))
    old, new = parse_jw301(parse_xml(jw301.data)).producten
    assert (old.toewijzing_nummer, old.einddatum, old.reden_wijziging) == (
        t.toewijzing_nummer,
        per - timedelta(days=1),
        "12",
    )
    assert new.toewijzing_nummer != t.toewijzing_nummer and new.ingangsdatum == per
    assert (new.omvang, new.einddatum, new.reden_wijziging) == (Omvang(8, "04", "2"), t.einddatum, "")
    t.refresh_from_db()
    assert t.einddatum == per - timedelta(days=1) and t.volume == 4
    assert Toewijzing.objects.get(toewijzing_nummer=new.toewijzing_nummer).volume == 8


def test_granted_new_volume_of_a_total_keeps_the_toewijzing_and_its_number(p):
    case = p.case()
    t = granted(p, case, volume=40, frequentie="6")
    jw317 = sent_vow(p, case, change(t, volume=60))
    (line,) = parse_jw301(parse_xml(services.accept_jw317(actor=p.backoffice, message=jw317).data)).producten
    assert (line.toewijzing_nummer, line.omvang, line.reden_wijziging) == (
        t.toewijzing_nummer,
        Omvang(60, "04", "6"),
        "12",
    )
    t.refresh_from_db()
    assert t.volume == 60 and Toewijzing.objects.filter(case=case).count() == 1


def test_a_change_over_the_whole_period_deletes_the_toewijzing_with_reden_13(p):
    case = p.case()
    start = timezone.localdate() + timedelta(days=3)
    t = granted(p, case, ingangsdatum=start)
    jw317 = sent_vow(p, case, change(t, ingangsdatum=start, volume=2))
    jw301 = services.accept_jw317(actor=p.backoffice, message=jw317)
    old, new = parse_jw301(parse_xml(jw301.data)).producten
    assert (old.reden_wijziging, old.einddatum) == ("13", start)
    assert new.ingangsdatum == start and new.omvang.volume == 2
    assert jw301.state == MessageState.GEACCEPTEERD


def test_granted_new_product_and_the_unchanged_toewijzing_are_in_one_jw301(p):
    case = p.case()
    t = granted(p, case)
    today = timezone.localdate()
    nieuw = services.base.ProductInput("45", "45A02", 1, "04", "2", today + timedelta(days=7), today + timedelta(90))
    jw317 = sent_vow(p, case, nieuw=[nieuw])
    assert parse_message(jw317.data).ongewijzigd == (t.toewijzing_nummer,)
    jw301 = services.accept_jw317(actor=p.backoffice, message=jw317)
    same, added = parse_jw301(parse_xml(jw301.data)).producten
    assert (same.toewijzing_nummer, same.reden_wijziging, same.referentie_aanbieder) == (t.toewijzing_nummer, "", "")
    assert added.product == Product("45", "45A02") and added.referentie_aanbieder == jw317.referentie
    assert jw301.state == MessageState.GEACCEPTEERD
    assert Toewijzing.objects.filter(case=case).count() == 2


def test_refused_request_gets_one_jw319_and_leaves_the_toewijzing(p):
    case = p.case()
    t = granted(p, case)
    jw317 = sent_vow(p, case, change(t, volume=12))
    jw319 = services.refuse_jw317(actor=p.backoffice, message=jw317, data=services.RefuseInput("1", "2"))
    assert jw319.message_type == "jw319" and jw319.state == MessageState.GEACCEPTEERD
    assert parse_message(jw319.data).referentie_aanbieder == jw317.referentie
    t.refresh_from_db()
    assert t.volume == 4
    assert jw317 not in selectors.inbox(p.backoffice)
    with pytest.raises(ValidationError):
        services.accept_jw317(actor=p.backoffice, message=jw317)


def test_refusal_input_errors_are_at_their_field(p):
    case = p.case()
    jw317 = sent_vow(p, case, change(granted(p, case), volume=12))
    with pytest.raises(ValidationError) as e:
        services.refuse_jw317(actor=p.backoffice, message=jw317, data=services.RefuseInput("1", ""))
    assert "reden" in e.value.message_dict


def test_in_onderzoek_then_final_answer_and_the_deadlines(p):
    from deadlines.models import Deadline, DeadlineState
    from tests.helpers import ensure_default_rules

    ensure_default_rules()
    case = p.case(gemeente=p.waalwijk)
    t = granted(p, case)
    jw317 = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    first = Deadline.objects.get(case=case, rule__code="antwoord-jw317")
    assert first.state == DeadlineState.OPEN and first.ref == str(jw317.public_id)
    services.refuse_jw317(actor=p.backoffice, message=jw317, data=services.RefuseInput("2"))
    first.refresh_from_db()
    final = Deadline.objects.get(case=case, rule__code="definitief-antwoord-jw317")
    assert (first.state, final.state) == (DeadlineState.MET, DeadlineState.OPEN)
    assert jw317 in selectors.inbox(p.backoffice)
    with pytest.raises(ValidationError):
        services.refuse_jw317(actor=p.backoffice, message=jw317, data=services.RefuseInput("2"))
    services.accept_jw317(actor=p.backoffice, message=jw317)
    final.refresh_from_db()
    assert final.state == DeadlineState.MET


def test_only_the_backoffice_answers(p):
    case = p.case()
    jw317 = sent_vow(p, case, change(granted(p, case), volume=12))
    with pytest.raises(PermissionDenied):
        services.accept_jw317(actor=p.aanmeldpunt, message=jw317)
    with pytest.raises(PermissionDenied):
        services.refuse_jw317(actor=p.regievoerder, message=jw317, data=services.RefuseInput("2"))


# --- Cross-message checks on a received JW317 (import, gemeente side) ---------------------------------------


def external_vow(case, *, ident, referentie="EXT-VOW-1", dag=None, **kw) -> bytes:
    """A JW317 as the provider's own system would send it."""
    data = VerzoekOmWijziging(
        header=BerichtHeader(
            case.regie_organisatie.agb_code, case.gemeente.cbs_code, ident, dag or timezone.localdate()
        ),
        bsn=case.jeugdige.bsn,
        referentie_aanbieder=referentie,
        reden_verzoek="1",
        **kw,
    )
    return to_bytes(build_jw317(data))


def later(t, **kw):
    values = {
        "toewijzing_nummer": t.toewijzing_nummer,
        "gewenste_ingangsdatum": timezone.localdate() + timedelta(days=10),
        "einddatum": t.einddatum + timedelta(days=10),
        "omvang": Omvang(t.volume, t.eenheid, t.frequentie),
    }
    values.update(kw)
    return TeWijzigenProduct(**values)


def imported_codes(p, data):
    result = services.import_message(actor=p.backoffice, data=data)
    return result, [code for code, _ in result.codes]


def test_imported_jw317_that_names_every_current_toewijzing_is_accepted_and_lands_in_the_inbox(p):
    case = p.case()
    t = granted(p, case)
    result, codes = imported_codes(p, external_vow(case, ident="000000880001", te_wijzigen=(later(t),)))
    assert codes == [] and result.message.state == MessageState.GEACCEPTEERD
    assert result.retour.message_type == "jw318"
    assert result.message in selectors.inbox(p.backoffice)
    assert events(case, "jw317_ontvangen")


def test_tr349_a_request_that_leaves_out_a_current_toewijzing_gets_9349(p):
    case = p.case()
    t = granted(p, case)
    granted(p, case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
    result, codes = imported_codes(p, external_vow(case, ident="000000880002", te_wijzigen=(later(t),)))
    assert codes == ["9349"] and result.message.state == MessageState.AFGEWEZEN
    retour = parse_retour(parse_xml(result.retour.data))
    assert dict(retour.class_codes)["Client/Verzoek"] == ("9349",)
    assert result.message not in selectors.inbox(p.backoffice)


def test_tr350_an_unchanged_product_without_a_current_toewijzing_gets_9350(p):
    case = p.case()
    t = granted(p, case)
    _, codes = imported_codes(p, external_vow(case, ident="000000880003", ongewijzigd=(4242,), te_wijzigen=(later(t),)))
    assert codes == ["9350"]


def test_tr351_a_product_to_change_without_a_current_toewijzing_gets_9351(p):
    case = p.case()
    t = granted(p, case)
    data = external_vow(
        case, ident="000000880004", ongewijzigd=(t.toewijzing_nummer,), te_wijzigen=(later(t, toewijzing_nummer=4243),)
    )
    result, codes = imported_codes(p, data)
    assert codes == ["9351"]
    retour = parse_retour(parse_xml(result.retour.data))
    assert dict(retour.class_codes)["Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"] == ("9351",)


def test_tr357_a_wished_start_in_the_past_other_than_the_toewijzing_start_gets_9357(p):
    case = p.case()
    start = timezone.localdate() - timedelta(days=20)
    t = granted(p, case, ingangsdatum=start)
    yesterday = timezone.localdate() - timedelta(days=1)
    _, codes = imported_codes(
        p, external_vow(case, ident="000000880005", te_wijzigen=(later(t, gewenste_ingangsdatum=yesterday),))
    )
    assert codes == ["9357"]
    _, codes = imported_codes(
        p,
        external_vow(
            case, ident="000000880006", referentie="EXT-VOW-2", te_wijzigen=(later(t, gewenste_ingangsdatum=start),)
        ),
    )
    assert codes == []


def _budget_toewijzing(p, case):
    """A budget toewijzing, as a gemeente's own system sent it (JW301 imported on the provider side)."""
    jeugdige = case.jeugdige
    jeugdige.refresh_from_db()
    start = timezone.localdate() - timedelta(days=10)
    data = ToewijzingBericht(
        header=BerichtHeader(
            case.gemeente.cbs_code, case.regie_organisatie.agb_code, "000000770101", timezone.localdate()
        ),
        client=client_from_jeugdige(jeugdige, met_adres=True),
        producten=(
            ToegewezenProduct(
                toewijzing_nummer=880101,
                toewijzingsdatum=timezone.localdate(),
                toewijzingstijd=time(9, 30),
                ingangsdatum=start,
                product=Product("54"),
                budget=150000,
                einddatum=start + timedelta(days=90),
            ),
        ),
    )
    services.import_message(actor=p.aanmeldpunt, data=to_bytes(build_jw301(data)))
    return Toewijzing.objects.get(toewijzing_nummer=880101)


def test_tr373_a_new_budget_from_another_day_than_the_toewijzing_start_gets_9373(p):
    case = p.case()
    t = _budget_toewijzing(p, case)
    assert t.budget == 150000
    line = TeWijzigenProduct(t.toewijzing_nummer, timezone.localdate() + timedelta(days=5), t.einddatum, budget=200000)
    _, codes = imported_codes(p, external_vow(case, ident="000000880007", te_wijzigen=(line,)))
    assert codes == ["9373"]
    whole = TeWijzigenProduct(t.toewijzing_nummer, t.ingangsdatum, t.einddatum, budget=200000)
    result, codes = imported_codes(
        p, external_vow(case, ident="000000880008", referentie="EXT-VOW-3", te_wijzigen=(whole,))
    )
    assert codes == []
    jw301 = services.accept_jw317(actor=p.backoffice, message=result.message)
    assert jw301.state == MessageState.GEACCEPTEERD
    t.refresh_from_db()
    assert t.budget == 200000


def test_tr374_a_request_while_another_is_still_open_gets_9374(p):
    case = p.case()
    t = granted(p, case)
    p.sent_request(case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
    _, codes = imported_codes(p, external_vow(case, ident="000000880009", te_wijzigen=(later(t),)))
    assert codes == ["9374"]


def test_tr411_a_change_of_a_toewijzing_with_a_product_code_without_omvang_gets_9411(p):
    case = p.case()
    t = granted(p, case)
    assert t.product_code
    _, codes = imported_codes(p, external_vow(case, ident="000000880031", te_wijzigen=(later(t, omvang=None),)))
    assert codes == ["9411"]


def test_tr412_a_change_of_a_toewijzing_without_a_product_code_with_omvang_gets_9412(p):
    case = p.case()
    t = _budget_toewijzing(p, case)
    assert not t.product_code
    line = TeWijzigenProduct(t.toewijzing_nummer, t.ingangsdatum, t.einddatum, Omvang(4, "04", "2"))
    _, codes = imported_codes(p, external_vow(case, ident="000000880032", te_wijzigen=(line,)))
    assert codes == ["9412"]


# TR374 is one rule for the VOT (JW315) and the VOW (JW317): no new request of the provider for the client (BSN)
# while an earlier one is open, whichever type either is (selectors.pending_requests).


def _retour_codes(message) -> set[str]:
    (retour,) = message.answered_by.filter(message_type__in=("jw316", "jw318"))
    return parse_retour(parse_xml(retour.data)).codes - {"0200"}


def test_tr374_a_jw315_while_a_jw315_is_open_gets_9374(p):
    case = p.case()
    p.sent_request(case)
    second = p.sent_request(case, product_code="45A02")
    assert second.state == MessageState.AFGEWEZEN and _retour_codes(second) == {"9374"}


def test_tr374_a_jw317_while_a_jw315_is_open_gets_9374(p):
    case = p.case()
    t = granted(p, case)
    p.sent_request(case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
    result, codes = imported_codes(p, external_vow(case, ident="000000880021", te_wijzigen=(later(t),)))
    assert codes == ["9374"] and result.message.state == MessageState.AFGEWEZEN
    assert dict(parse_retour(parse_xml(result.retour.data)).class_codes)["Client/Verzoek"] == ("9374",)


def test_tr374_a_jw315_while_a_jw317_is_open_gets_9374(p):
    case = p.case()
    t = granted(p, case)
    assert sent_vow(p, case, change(t, volume=8)).state == MessageState.GEACCEPTEERD
    jw315 = p.sent_request(case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
    assert jw315.state == MessageState.AFGEWEZEN and _retour_codes(jw315) == {"9374"}


def test_tr374_a_jw317_while_a_jw317_is_open_gets_9374_and_the_sender_side_waits(p):
    case = p.case()
    t = granted(p, case)
    _, codes = imported_codes(p, external_vow(case, ident="000000880022", te_wijzigen=(later(t),)))
    assert codes == []
    _, codes = imported_codes(
        p, external_vow(case, ident="000000880023", referentie="EXT-VOW-2", te_wijzigen=(later(t),))
    )
    assert codes == ["9374"]
    with pytest.raises(ValidationError, match="al een verzoek"):
        services.create_jw317(
            actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t, volume=9)])
        )


def test_tr374_in_onderzoek_keeps_a_jw317_open_and_a_final_answer_ends_it(p):
    case = p.case()
    t = granted(p, case)
    refused = sent_vow(p, case, change(t, volume=8))
    services.refuse_jw317(actor=p.backoffice, message=refused, data=services.RefuseInput("2"))
    assert p.sent_request(case, product_code="45A02").state == MessageState.AFGEWEZEN  # still open
    services.refuse_jw317(actor=p.backoffice, message=refused, data=services.RefuseInput("1", "2"))
    # Refused for good: a new VOW is taken in; the JW315 refused with 9374 above never counted.
    granted_vow = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    assert granted_vow.state == MessageState.GEACCEPTEERD
    services.accept_jw317(actor=p.backoffice, message=granted_vow)
    # Granted with a JW301: a new VOT is taken in.
    assert p.sent_request(case, categorie="54", product_code="", volume=None, eenheid="", frequentie="").state == (
        MessageState.GEACCEPTEERD
    )


def test_tr374_is_per_client_and_provider(p):
    case, other = p.case(), p.case()
    t = granted(p, case)
    sent_vow(p, case, change(t, volume=8))
    assert p.sent_request(other).state == MessageState.GEACCEPTEERD  # another youth (BSN)
    assert not selectors.pending_requests(sender="99999999", bsn=case.jeugdige.bsn)
    (open_vow,) = selectors.pending_requests(sender=case.regie_organisatie.agb_code, bsn=case.jeugdige.bsn)
    assert open_vow.message_type == "jw317"


def test_tr347_a_referentie_already_used_on_a_jw315_gets_9347(p):
    case = p.case()
    t = granted(p, case)
    used = Message.objects.get(case=case, message_type="jw315").referentie
    _, codes = imported_codes(p, external_vow(case, ident="000000880010", referentie=used, te_wijzigen=(later(t),)))
    assert codes == ["9347"]


def test_imported_jw317_is_for_the_gemeente_side_only(p):
    case = p.case()
    t = granted(p, case)
    with pytest.raises(services.ImportRefused):
        services.import_message(
            actor=p.aanmeldpunt, data=external_vow(case, ident="000000880011", te_wijzigen=(later(t),))
        )


def test_the_provider_side_takes_in_the_jw318_on_its_own_jw317(p):
    case = p.case()
    t = granted(p, case)
    # The provider's JW317 goes out through the national traffic: stored as sent, answered by an imported JW318.
    jw317 = services.create_jw317(
        actor=p.aanmeldpunt, case=case, data=services.WijzigingInput(reden="1", wijzigingen=[change(t, volume=9)])
    )
    from messaging.services.base import transition

    transition(jw317, MessageState.VERZONDEN, actor=p.aanmeldpunt)
    heen = parse_xml(jw317.data)
    retour = build_retour(heen, identificatie="000000990001", dagtekening=timezone.localdate())
    result = services.import_message(actor=p.aanmeldpunt, data=to_bytes(retour))
    assert result.answered == jw317 and result.accepted
    jw317.refresh_from_db()
    assert jw317.state == MessageState.GEACCEPTEERD


# --- Import by upload and through the API ------------------------------------------------------------------


def test_upload_of_a_jw317_on_the_import_page(client, p):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    case = p.case()
    t = granted(p, case)
    client.force_login(p.backoffice)
    upload = SimpleUploadedFile("jw317.xml", external_vow(case, ident="000000880020", te_wijzigen=(later(t),)))
    response = client.post(reverse("messaging:import"), {"bestand": upload})
    assert response.status_code == 200
    assert "JW317" in response.content.decode() and "JW318" in response.content.decode()
    assert Message.objects.filter(message_type="jw317", imported=True, state=MessageState.GEACCEPTEERD).exists()


def test_a_jw317_through_the_api_read_back_with_its_xml(p):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    case = p.case()
    t = granted(p, case)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=p.backoffice).key}")
    data = external_vow(case, ident="000000880021", te_wijzigen=(later(t),))
    response = api.post("/api/v1/messages/import/", data, content_type="application/xml")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["accepted"] is True and body["message"]["message_type"] == "jw317"
    meta = api.get(f"/api/v1/messages/{body['message']['id']}/").json()
    assert meta["code"] == "JW317" and meta["case"] == case.reference
    assert api.get(meta["xml"]).content == data
    listed = api.get("/api/v1/messages/", {"bericht": "jw318"}).json()["results"]
    assert [m["message_type"] for m in listed] == ["jw318"]
    refused = api.post("/api/v1/messages/import/", b"<geen xml", content_type="application/xml")
    assert refused.status_code == 422


# --- Pages ---------------------------------------------------------------------------------------------------


def _url(name, **kw):
    from django.urls import reverse

    return reverse(f"messaging:{name}", kwargs=kw)


def test_case_messages_offer_the_request_only_with_a_current_toewijzing(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    page = client.get(_url("case_messages", public_id=case.public_id)).content.decode()
    assert "Verzoek om wijziging" not in page
    assert client.get(_url("jw317_new", public_id=case.public_id)).status_code == 302
    granted(p, case)
    page = client.get(_url("case_messages", public_id=case.public_id)).content.decode()
    assert _url("jw317_new", public_id=case.public_id) in page
    t = Toewijzing.objects.get(case=case)
    jw317 = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    page = client.get(_url("case_messages", public_id=case.public_id)).content.decode()
    assert f"Verzoek om wijziging {jw317.identificatie}: antwoord van de gemeente" in page
    client.force_login(p.backoffice)
    page = client.get(_url("case_messages", public_id=case.public_id)).content.decode()
    assert _url("jw317_new", public_id=case.public_id) not in page


def test_the_form_sends_the_request_and_shows_errors_in_dutch_at_the_field(client, p):
    case = p.case()
    t = granted(p, case, ingangsdatum=timezone.localdate() - timedelta(days=20))
    client.force_login(p.aanmeldpunt)
    url = _url("jw317_new", public_id=case.public_id)
    page = client.get(url)
    assert page.status_code == 200 and f"Toewijzing {t.toewijzing_nummer}" in page.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    before = Message.objects.count()
    bad = client.post(
        url,
        {
            "reden": "1",
            f"wijzigen_{t.pk}": "wijzigen",
            f"ingangsdatum_{t.pk}": yesterday.strftime("%d-%m-%Y"),
            f"volume_{t.pk}": "9",
        },
    )
    assert bad.status_code == 200
    form = bad.context["form"]
    assert "na vandaag" in form.errors[f"ingangsdatum_{t.pk}"][0]
    assert form[f"volume_{t.pk}"].value() == "9"  # what was typed stays
    assert Message.objects.count() == before
    missing = client.post(url, {"reden": "1", f"wijzigen_{t.pk}": "wijzigen"})
    assert "Vul in vanaf wanneer" in missing.context["form"].errors[f"ingangsdatum_{t.pk}"][0]
    nieuw = client.post(url, {"reden": "1", f"wijzigen_{t.pk}": "ongewijzigd", "nieuw_volume": "2"})
    errors = nieuw.context["form"].errors
    assert "productcategorie" in errors["nieuw_categorie"][0] and "samen" in errors["nieuw_eenheid"][0]
    per = (timezone.localdate() + timedelta(days=7)).strftime("%d-%m-%Y")
    ok = client.post(
        url, {"reden": "2", f"wijzigen_{t.pk}": "wijzigen", f"ingangsdatum_{t.pk}": per, f"volume_{t.pk}": "9"}
    )
    jw317 = Message.objects.get(message_type="jw317")
    assert ok.status_code == 302 and ok.url == _url("message_detail", message_id=jw317.public_id)
    assert jw317.state == MessageState.GEACCEPTEERD


def test_others_get_403_and_another_organisations_regievoerder_is_sent_back(client, p):
    from tests import factories

    case = p.case()
    granted(p, case)
    url = _url("jw317_new", public_id=case.public_id)
    client.force_login(p.backoffice)
    assert client.get(url).status_code == 403
    client.force_login(p.toegang)
    assert client.get(url).status_code in (403, 404)
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000103"))
    client.force_login(other)
    assert client.get(url).status_code in (403, 404)


def test_backoffice_answers_from_the_inbox_detail_and_the_answer_pages(client, p):
    case = p.case()
    t = granted(p, case)
    jw317 = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    client.force_login(p.backoffice)
    inbox = client.get(_url("traffic")).content.decode()
    assert f"JW317 {jw317.identificatie}" in inbox
    detail = client.get(_url("message_detail", message_id=jw317.public_id)).content.decode()
    assert "Wijziging toewijzen (JW301)" in detail and "Te wijzigen product 1" in detail
    page = client.get(_url("accept", message_id=jw317.public_id))
    assert page.status_code == 200 and "ingangsdatum" not in page.context["form"].fields
    bad = client.post(_url("refuse", message_id=jw317.public_id), {"verzoek_antwoord": "1"})
    assert "reden" in bad.context["form"].errors
    done = client.post(_url("accept", message_id=jw317.public_id), {"commentaar": "Akkoord"})
    assert done.status_code == 302
    assert jw317.answered_by.filter(message_type="jw301", state=MessageState.GEACCEPTEERD).exists()
    client.force_login(p.aanmeldpunt)
    assert client.get(_url("accept", message_id=jw317.public_id)).status_code == 403


def test_inbox_and_case_messages_take_a_fixed_number_of_queries(client, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, user):
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    case = p.case()
    t = granted(p, case)
    vow = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    one = (count(_url("traffic"), p.backoffice), count(_url("case_messages", public_id=case.public_id), p.aanmeldpunt))
    for _ in range(2):
        other = p.case()
        t2 = granted(p, other)
        sent_vow(p, other, change(t2, einddatum=t2.einddatum + timedelta(days=30)))
        # A new request for the youth only after the open one is answered for good (TR374).
        services.refuse_jw317(actor=p.backoffice, message=vow, data=services.RefuseInput("1", "2"))
        granted(p, case, categorie="54", product_code="", volume=None, eenheid="", frequentie="")
        vow = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    more = (count(_url("traffic"), p.backoffice), count(_url("case_messages", public_id=case.public_id), p.aanmeldpunt))
    assert more == one


# --- Whatever plausible input ---------------------------------------------------------------------------------

_dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
_omvang = st.none() | st.builds(
    Omvang,
    volume=st.integers(min_value=-5, max_value=10**8 + 5),
    eenheid=st.sampled_from(["01", "04", "14", "16", "82", "83", "84", "99"]),
    frequentie=st.sampled_from(["1", "2", "4", "6", "9"]),
)
_budget = st.none() | st.integers(min_value=-5, max_value=10**8 + 5)
_nummers = st.integers(min_value=-5, max_value=10**9 + 5)
_te_wijzigen = st.builds(
    TeWijzigenProduct, _nummers, _dates, einddatum=st.none() | _dates, omvang=_omvang, budget=_budget
)
_nieuw = st.builds(
    NieuwProduct,
    _dates,
    product=st.none() | st.builds(Product, st.sampled_from(["45", "54", "99"]), st.sampled_from(["", "45A01"])),
    einddatum=st.none() | _dates,
    omvang=_omvang,
    budget=_budget,
)
_FIELD = re.compile(r"\b(Client|Header|Verzoek|OngewijzigdProduct|TeWijzigenProduct|NieuwProduct)\b")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    reden=st.sampled_from(["1", "2", "3", ""]),
    ongewijzigd=st.lists(_nummers, max_size=3).map(tuple),
    te_wijzigen=st.lists(_te_wijzigen, max_size=3).map(tuple),
    nieuw=st.lists(_nieuw, max_size=2).map(tuple),
    referentie=st.sampled_from(["R-1", "", " x ", "a" * 37]),
)
def test_jw317_is_valid_or_refused_in_dutch_naming_the_field(reden, ongewijzigd, te_wijzigen, nieuw, referentie):
    data = vow(
        reden_verzoek=reden,
        ongewijzigd=ongewijzigd,
        te_wijzigen=te_wijzigen,
        nieuw=nieuw,
        referentie_aanbieder=referentie,
    )
    try:
        root = build_jw317(data)
    except MessageRefused as refused:
        assert refused.__class__ is MessageRefused, refused.reasons  # never an XSD-invalid tree (InvalidMessage)
        for reason in refused.reasons:
            assert _FIELD.search(reason), reason
        return
    assert validate(root).ok
    assert parse_message(to_bytes(root)) == data


def test_provider_side_takes_in_the_gemeente_jw301_on_its_jw317_and_changes_the_toewijzing(p):
    """Both sides through the national traffic: our JW317 goes out, the gemeente's own system answers with a
    JW301 that repeats the toewijzing's number with RedenWijziging 12 and a later einddatum."""
    from messaging.services.base import transition

    case = p.case()
    t = granted(p, case)
    new_end = t.einddatum + timedelta(days=60)
    jw317 = services.create_jw317(
        actor=p.aanmeldpunt,
        case=case,
        data=services.WijzigingInput(reden="1", wijzigingen=[change(t, einddatum=new_end)]),
    )
    transition(jw317, MessageState.VERZONDEN, actor=p.aanmeldpunt)
    jeugdige = case.jeugdige
    jeugdige.refresh_from_db()
    answer = ToewijzingBericht(
        header=BerichtHeader(case.gemeente.cbs_code, jw317.sender, "000000770201", timezone.localdate()),
        client=client_from_jeugdige(jeugdige, met_adres=True),
        producten=(
            ToegewezenProduct(
                toewijzing_nummer=t.toewijzing_nummer,
                toewijzingsdatum=timezone.localdate(),
                toewijzingstijd=time(11, 0),
                ingangsdatum=t.ingangsdatum,
                product=Product(t.categorie, t.product_code),
                referentie_aanbieder=jw317.referentie,
                einddatum=new_end,
                reden_wijziging="12",
                omvang=Omvang(t.volume, t.eenheid, t.frequentie),
            ),
        ),
    )
    result = services.import_message(actor=p.aanmeldpunt, data=to_bytes(build_jw301(answer)))
    assert result.codes == [] and result.message.answers == jw317
    t.refresh_from_db()
    assert t.einddatum == new_end and Toewijzing.objects.filter(case=case).count() == 1
    assert events(case, "jw317_beantwoord")[-1].payload["ref"] == str(jw317.public_id)

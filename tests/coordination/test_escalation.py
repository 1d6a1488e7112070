"""Escalation (DOMAIN.md section 7): opened by coördinator, regievoerder or aanmeldpunt; the talk in the
hierarchical line; the commitment; a content escalation to the RET names its criteria. Each event carries the
escalation's ref, so that the deadline engine can run the 2-week and 5-working-day clocks per escalation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination import services
from coordination.models import Escalation
from referrals.models import CaseEvent
from tests import factories
from tests.helpers import TODAY, event_ids, make_user, roles_except

from .helpers import substitute_for, toegang_case

pytestmark = pytest.mark.django_db


def open_one(p, actor=None, **kw):
    values = {"kind": "proces", "topic": "urgentie", "description": "Niet eens over de urgentie."}
    values.update(kw)
    return services.open_escalation(actor=actor or p.coordinator, case=p.case, **values)


def test_a_process_escalation_runs_talk_then_commitment():
    p = toegang_case()
    before = event_ids(p.case)

    escalation = open_one(p)
    assert (escalation.side, escalation.opened_by, escalation.state) == ("toegang", p.coordinator, "wacht_op_gesprek")
    services.record_escalation_talk(
        actor=p.regievoerder,
        case=p.case,
        escalation_id=escalation.pk,
        held_on=TODAY,
        participants="Teamleider Toegang en manager Sterk Huis",
        summary="Besproken.",
    )
    services.record_escalation_commitment(
        actor=p.coordinator,
        case=p.case,
        escalation_id=escalation.pk,
        committed_on=TODAY,
        commitment="Sterk Huis start binnen een week.",
        agreements="Wekelijks overleg.",
    )

    escalation.refresh_from_db()
    assert escalation.state == "afgerond"
    events = list(CaseEvent.objects.filter(case=p.case).exclude(pk__in=before).order_by("id"))
    assert [e.kind for e in events] == ["escalatie_geopend", "escalatie_gesprek", "escalatie_commitment"]
    assert {e.payload["ref"] for e in events} == {str(escalation.pk)}
    assert [e.actor for e in events] == [p.coordinator, p.regievoerder, p.coordinator]


def test_a_content_escalation_to_the_ret_records_its_criteria():
    p = toegang_case()
    escalation = open_one(
        p,
        actor=p.regievoerder,
        kind="inhoud",
        topic="geadviseerde_zorg",
        ret_criteria=["thuiszitter", "meerdere_aanbieders"],
    )
    assert escalation.side == "crossroads"
    assert escalation.criteria_labels == ["(Dreigende) thuiszitter", "Meerdere aanbieders nodig"]
    assert CaseEvent.objects.get(case=p.case, kind="escalatie_geopend").payload["criteria"] == [
        "thuiszitter",
        "meerdere_aanbieders",
    ]


def test_two_escalations_of_one_case_have_their_own_ref():
    p = toegang_case()
    first, second = open_one(p), open_one(p, actor=p.aanmeldpunt, topic="afspraken")
    refs = list(CaseEvent.objects.filter(case=p.case, kind="escalatie_geopend").values_list("payload__ref", flat=True))
    assert sorted(refs) == sorted([str(first.pk), str(second.pk)])


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "inhoud", "ret_criteria": []}, "ret_criteria"),
        ({"kind": "proces", "ret_criteria": ["thuiszitter"]}, "ret_criteria"),
        ({"kind": "inhoud", "ret_criteria": ["verzonnen"]}, "ret_criteria"),
        ({"kind": "ruzie"}, "kind"),
        ({"topic": "weer"}, "topic"),
        ({"description": "   "}, "description"),
    ],
)
def test_opening_with_bad_input_is_refused_at_the_field(values, field):
    p = toegang_case()
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        open_one(p, **values)
    assert field in info.value.message_dict
    assert not Escalation.objects.exists()
    assert event_ids(p.case) == before


@pytest.mark.parametrize(
    ("held_on", "participants", "summary", "field"),
    [
        (TODAY - timedelta(days=1), "Leidinggevenden", "Besproken.", "held_on"),  # before the escalation
        (TODAY + timedelta(days=1), "Leidinggevenden", "Besproken.", "held_on"),
        (None, "Leidinggevenden", "Besproken.", "held_on"),
        (TODAY, "", "Besproken.", "participants"),
        (TODAY, "Leidinggevenden", " ", "summary"),
    ],
)
def test_the_talk_with_bad_input_is_refused(held_on, participants, summary, field):
    p = toegang_case()
    escalation = open_one(p)
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        services.record_escalation_talk(
            actor=p.coordinator,
            case=p.case,
            escalation_id=escalation.pk,
            held_on=held_on,
            participants=participants,
            summary=summary,
        )
    assert field in info.value.message_dict
    escalation.refresh_from_db()
    assert escalation.gesprek_op is None
    assert event_ids(p.case) == before


def test_commitment_needs_the_talk_first_and_comes_once():
    p = toegang_case()
    escalation = open_one(p)
    commit = {"committed_on": TODAY, "commitment": "Start.", "agreements": "Overleg."}
    with pytest.raises(ValidationError) as info:
        services.record_escalation_commitment(actor=p.coordinator, case=p.case, escalation_id=escalation.pk, **commit)
    assert "eerst het gesprek" in info.value.messages[0]
    services.record_escalation_talk(
        actor=p.coordinator, case=p.case, escalation_id=escalation.pk, held_on=TODAY, participants="Lijn", summary="Ok"
    )
    with pytest.raises(ValidationError) as info:
        services.record_escalation_talk(
            actor=p.coordinator, case=p.case, escalation_id=escalation.pk, held_on=TODAY, participants="x", summary="y"
        )
    assert "al vastgelegd" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        services.record_escalation_commitment(
            actor=p.coordinator, case=p.case, escalation_id=escalation.pk, **{**commit, "agreements": ""}
        )
    assert "agreements" in info.value.message_dict
    services.record_escalation_commitment(actor=p.coordinator, case=p.case, escalation_id=escalation.pk, **commit)
    with pytest.raises(ValidationError):
        services.record_escalation_commitment(actor=p.coordinator, case=p.case, escalation_id=escalation.pk, **commit)
    assert CaseEvent.objects.filter(case=p.case, kind="escalatie_commitment").count() == 1


def test_a_commitment_dated_before_the_talk_is_refused(time_machine):
    p = toegang_case()
    escalation = open_one(p)
    services.record_escalation_talk(
        actor=p.coordinator, case=p.case, escalation_id=escalation.pk, held_on=TODAY, participants="Lijn", summary="Ok"
    )
    with pytest.raises(ValidationError) as info:
        services.record_escalation_commitment(
            actor=p.coordinator,
            case=p.case,
            escalation_id=escalation.pk,
            committed_on=TODAY - timedelta(days=1),
            commitment="Start.",
            agreements="Overleg.",
        )
    assert "vóór het gesprek" in info.value.message_dict["committed_on"][0]


@pytest.mark.parametrize("role", roles_except("aanmeldpunt", "regievoerder"))
def test_only_coordinator_regievoerder_and_aanmeldpunt_escalate(role):
    p = toegang_case()
    before = event_ids(p.case)
    with pytest.raises(PermissionDenied):
        open_one(p, actor=make_user(role, gem=p.case.gemeente))  # a Toegang colleague is not the coördinator
    assert event_ids(p.case) == before


def test_a_substitute_coordinator_escalates_and_records_the_talk():
    p = toegang_case()
    colleague = make_user("toegang_medewerker", gem=p.case.gemeente)
    substitute_for(p.case, p.coordinator, colleague)
    escalation = open_one(p, actor=colleague)
    services.record_escalation_talk(
        actor=colleague, case=p.case, escalation_id=escalation.pk, held_on=TODAY, participants="Lijn", summary="Ok"
    )


def test_outsiders_cannot_record_the_talk():
    p = toegang_case()
    escalation = open_one(p)
    with pytest.raises(PermissionDenied):
        services.record_escalation_talk(
            actor=make_user(
                "regievoerder", partner_org=factories.partner("Amarant", "80000303")
            ),  # another partner's regievoerder
            case=p.case,
            escalation_id=escalation.pk,
            held_on=TODAY,
            participants="Lijn",
            summary="Ok",
        )

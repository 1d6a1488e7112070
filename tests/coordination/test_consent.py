"""Consent per subject (DOMAIN.md section 9): who must consent follows the youth's age on the day; withdrawal;
the case mirrors whether IPVA and WAT-brief/adviesverslag may be shared; sharing without consent is refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination import services
from coordination.models import Consent, Sharing
from referrals.models import Case, CaseEvent
from tests import factories
from tests.factories import build_case
from tests.helpers import TODAY, event_ids, make_user, roles_except, years_ago

from .helpers import event_kinds, fresh, toegang_case

pytestmark = pytest.mark.django_db

DAY = TODAY - timedelta(days=5)  # consent given on an earlier day: the age on that day counts


@pytest.mark.parametrize(
    ("born", "giver"),
    [
        (years_ago(12, DAY) + timedelta(days=1), "ouders"),  # 11 on the day, 12 the day after
        (years_ago(12, DAY), "ouders_en_jeugdige"),  # turns 12 on the day of the consent
        (years_ago(16, DAY) + timedelta(days=1), "ouders_en_jeugdige"),  # 15 on the day
        (years_ago(16, DAY), "jeugdige"),  # turns 16 on the day of the consent
    ],
)
def test_the_right_people_consent_by_age_on_the_day(born, giver):
    p = toegang_case(geboortedatum=born)
    wrong = {"ouders", "ouders_en_jeugdige", "jeugdige"} - {giver}
    before = event_ids(p.case)

    for other in sorted(wrong):
        with pytest.raises(ValidationError) as info:
            services.record_consent(
                actor=p.coordinator, case=p.case, subject="ipva_delen", given_by=other, given_on=DAY
            )
        message = info.value.message_dict["given_by"][0]
        assert "toestemming nodig van" in message
        assert f"is de jeugdige {fresh(p.case).jeugdige.age_on(DAY)} jaar" in message
    assert event_ids(p.case) == before
    assert not Consent.objects.filter(case=p.case).exists()

    consent = services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by=giver, given_on=DAY
    )
    assert (consent.given_by, consent.given_on, consent.recorded_by) == (giver, DAY, p.coordinator)
    assert fresh(p.case).ipva_delen_toegestaan is True
    assert event_kinds(p.case, before) == ["toestemming_gegeven"]
    event = CaseEvent.objects.get(case=p.case, kind="toestemming_gegeven")
    assert event.payload["onderwerp"] == "ipva_delen"


@pytest.mark.parametrize(
    ("given_on", "expected"),
    [
        (TODAY + timedelta(days=1), "toekomst"),
        (TODAY - timedelta(days=400), "meer dan een jaar"),
        (None, "Vul de datum"),
    ],
)
def test_consent_dates_must_be_sane(given_on, expected):
    p = toegang_case()
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        services.record_consent(
            actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=given_on
        )
    assert expected in info.value.message_dict["given_on"][0]
    assert event_ids(p.case) == before
    assert fresh(p.case).ipva_delen_toegestaan is False


def test_unknown_subject_and_giver_are_refused_at_their_fields():
    p = toegang_case()
    with pytest.raises(ValidationError) as info:
        services.record_consent(actor=p.coordinator, case=p.case, subject="alles", given_by="buurman", given_on=TODAY)
    assert set(info.value.message_dict) == {"subject", "given_by"}


def test_one_consent_per_subject_holds_at_a_time():
    p = toegang_case()
    services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        services.record_consent(
            actor=p.aanmeldpunt, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
        )
    assert "Trek die eerst in" in info.value.message_dict["subject"][0]
    assert event_ids(p.case) == before


def test_withdrawal_ends_the_consent_and_the_sharing():
    p = toegang_case()
    consent = services.record_consent(
        actor=p.aanmeldpunt, case=p.case, subject="wat_advies_delen", given_by="ouders_en_jeugdige", given_on=DAY
    )
    assert fresh(p.case).wat_advies_delen_toegestaan is True
    before = event_ids(p.case)

    services.withdraw_consent(
        actor=p.regievoerder,
        case=p.case,
        consent_id=consent.pk,
        withdrawn_on=TODAY,
        reden="Ouders willen het niet meer.",
    )

    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (TODAY, p.regievoerder)
    assert fresh(p.case).wat_advies_delen_toegestaan is False
    assert event_kinds(p.case, before) == ["toestemming_ingetrokken"]
    # and a new consent may follow
    services.record_consent(
        actor=p.aanmeldpunt, case=p.case, subject="wat_advies_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )
    assert fresh(p.case).wat_advies_delen_toegestaan is True


@pytest.mark.parametrize(
    ("withdrawn_on", "expected"),
    [
        (DAY - timedelta(days=1), "vóór de toestemming"),
        (TODAY + timedelta(days=1), "toekomst"),
        (None, "Vul de datum"),
    ],
)
def test_withdrawal_dates_must_be_sane(withdrawn_on, expected):
    p = toegang_case()
    consent = services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=DAY
    )
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        services.withdraw_consent(actor=p.coordinator, case=p.case, consent_id=consent.pk, withdrawn_on=withdrawn_on)
    assert expected in info.value.message_dict["withdrawn_on"][0]
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert fresh(p.case).ipva_delen_toegestaan is True
    assert event_ids(p.case) == before


def test_withdrawing_twice_or_another_case_consent_is_refused():
    p = toegang_case()
    other = toegang_case()
    consent = services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=DAY
    )
    services.withdraw_consent(actor=p.coordinator, case=p.case, consent_id=consent.pk, withdrawn_on=TODAY)
    with pytest.raises(ValidationError) as info:
        services.withdraw_consent(actor=p.coordinator, case=p.case, consent_id=consent.pk, withdrawn_on=TODAY)
    assert "al ingetrokken" in info.value.messages[0]
    with pytest.raises(ValidationError):
        services.withdraw_consent(actor=other.coordinator, case=other.case, consent_id=consent.pk, withdrawn_on=TODAY)


@pytest.mark.parametrize("role", roles_except("toegang_medewerker", "aanmeldpunt", "regievoerder"))
def test_consent_is_recorded_only_by_who_works_with_the_family(role):
    p = toegang_case()
    before = event_ids(p.case)
    with pytest.raises(PermissionDenied):
        services.record_consent(
            actor=make_user(role, gem=p.case.gemeente),
            case=p.case,
            subject="ipva_delen",
            given_by="ouders_en_jeugdige",
            given_on=TODAY,
        )
    assert event_ids(p.case) == before


def test_a_regievoerder_of_another_organisation_records_no_consent():
    p = toegang_case()
    outsider = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))
    with pytest.raises(PermissionDenied):
        services.record_consent(
            actor=outsider, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
        )


# --- sharing ----------------------------------------------------------------------------------------------


def test_sharing_the_ipva_is_refused_without_consent_and_allowed_with_it():
    p = toegang_case()
    before = event_ids(p.case)

    with pytest.raises(ValidationError) as info:
        services.share_documents(actor=p.coordinator, case=p.case, subject="ipva_delen")
    assert "Zonder toestemming wordt niet gedeeld" in info.value.messages[0]
    assert event_ids(p.case) == before
    assert not Sharing.objects.exists()

    services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )
    sharing = services.share_documents(actor=p.coordinator, case=p.case, subject="ipva_delen")
    assert sharing.shared_with == "regievoerder (Sterk Huis)"
    assert event_kinds(p.case)[-1] == "gedeeld"


def test_after_withdrawal_nothing_is_shared():
    p = toegang_case()
    consent = services.record_consent(
        actor=p.aanmeldpunt, case=p.case, subject="wat_advies_delen", given_by="ouders_en_jeugdige", given_on=DAY
    )
    services.share_documents(actor=p.aanmeldpunt, case=p.case, subject="wat_advies_delen")
    services.withdraw_consent(actor=p.aanmeldpunt, case=p.case, consent_id=consent.pk, withdrawn_on=TODAY)
    with pytest.raises(ValidationError):
        services.share_documents(actor=p.regievoerder, case=p.case, subject="wat_advies_delen")
    assert Sharing.objects.filter(case=p.case).count() == 1


def test_each_side_shares_its_own_documents():
    p = toegang_case()
    for subject in ("ipva_delen", "wat_advies_delen"):
        services.record_consent(
            actor=p.aanmeldpunt, case=p.case, subject=subject, given_by="ouders_en_jeugdige", given_on=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.share_documents(actor=p.aanmeldpunt, case=p.case, subject="ipva_delen")
    with pytest.raises(PermissionDenied):
        services.share_documents(actor=p.coordinator, case=p.case, subject="wat_advies_delen")
    services.share_documents(actor=p.regievoerder, case=p.case, subject="wat_advies_delen")
    assert Sharing.objects.get(case=p.case).shared_with.startswith("coördinator (")


def test_the_ipva_waits_for_a_regievoerder():
    case = build_case(stage="aanmeld")
    toegang = Case.objects.get(pk=case.pk).verwijzer_user
    services.record_consent(
        actor=toegang, case=case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )
    with pytest.raises(ValidationError) as info:
        services.share_documents(actor=toegang, case=case, subject="ipva_delen")
    assert "nog geen regievoerder" in info.value.messages[0]

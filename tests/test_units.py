"""Small pure parts of the intake: the BSN elfproef, the segment check, the Dutch guard reasons, the
protected phase field on the pinned django-fsm-2, and the insert-only audit tables."""

import re
import tomllib
from datetime import timedelta
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AccessLog
from accounts.services import log_access
from referrals import guards, services
from referrals.bsn import is_valid_bsn, mask_bsn, normalise_bsn, validate_bsn
from referrals.models import Case, CaseEvent, Phase
from referrals.segment_check import ALWAYS_SEGMENT1_PRODUCTS, segment_advice
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, TODAY, years_ago

# --- BSN -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bsn", ["123456782", "111222333", "010000021", "999999990"])
def test_valid_bsns_pass_the_elfproef(bsn):
    assert is_valid_bsn(bsn)
    validate_bsn(bsn)  # no error


@pytest.mark.parametrize(
    "bsn",
    [
        "123456789",  # elfproef fails
        "123456781",
        "000000000",  # passes the sum, but is no number
        "12345678",  # 8 digits: only valid after normalising
        "1234567820",
        "12345678a",
        "",
        "１２３４５６７８２",  # full-width digits
        "١٢٣٤٥٦٧٨٢",  # Arabic-Indic digits
    ],
)
def test_invalid_bsns_fail_with_a_dutch_message(bsn):
    assert not is_valid_bsn(bsn)
    with pytest.raises(ValidationError) as info:
        validate_bsn(bsn)
    assert "elfproef" in info.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("10000021", "010000021"),  # a leading zero dropped by a spreadsheet
        ("1234.56.782", "123456782"),
        ("1234 56 782", "123456782"),
        ("1234-56-782", "123456782"),
        (" 123456782 ", "123456782"),
        ("123456782", "123456782"),
        ("１２３４５６７８", "１２３４５６７８"),  # not ASCII digits: left alone, so the elfproef refuses it
    ],
)
def test_normalise_bsn(typed, normalised):
    assert normalise_bsn(typed) == normalised


def test_an_8_digit_bsn_is_valid_after_normalising():
    assert not is_valid_bsn("10000021")
    assert is_valid_bsn(normalise_bsn("10000021"))


def test_mask_bsn_shows_only_the_last_three_digits():
    assert mask_bsn("123456782") == "••••••782"
    assert mask_bsn("") == ""


# --- segment check ---------------------------------------------------------------------------------


def advice(begeleiding=None, behandeling=None, products=None):
    return segment_advice(
        hours_begeleiding=None if begeleiding is None else Decimal(begeleiding),
        hours_behandeling=None if behandeling is None else Decimal(behandeling),
        products=products,
    )


@pytest.mark.parametrize(
    ("begeleiding", "behandeling", "score", "segment1", "consult"),
    [
        (300, None, "1.00", False, True),  # right at the rule of thumb: consult Crossroads
        (400, None, "1.33", True, False),
        (200, None, "0.67", False, False),
        (None, 230, "1.00", False, True),
        (None, 300, "1.30", True, False),
        (None, 150, "0.65", False, False),
        (150, 115, "1.00", False, True),  # half of each: weighed by ratio, exactly at the threshold
        (240, 184, "1.60", True, False),  # 0.8 + 0.8: neither alone, together segment 1
        (150, 50, "0.72", False, False),
        (0, 0, "0.00", False, False),
    ],
)
def test_hours_are_weighed_against_300_begeleiding_and_230_behandeling(
    begeleiding, behandeling, score, segment1, consult
):
    result = advice(begeleiding, behandeling)

    assert result.score == Decimal(score)
    assert (result.segment1, result.consult) == (segment1, consult)
    assert result.text.startswith(f"Score {score.replace('.', ',')}")


@pytest.mark.parametrize(
    ("begeleiding", "consult", "segment1"),
    [
        (252, False, False),  # 0.84: below the band
        (255, True, False),  # 0.85: lower edge of the band
        (345, True, True),  # 1.15: upper edge, above the rule
        (348, False, True),  # 1.16: clearly segment 1
    ],
)
def test_the_consult_band_runs_from_085_to_115(begeleiding, consult, segment1):
    result = advice(begeleiding)

    assert (result.consult, result.segment1) == (consult, segment1)
    if consult:
        assert "Overleg met het aanmeldpunt" in result.text


@pytest.mark.parametrize("product", sorted(ALWAYS_SEGMENT1_PRODUCTS))
def test_some_products_are_always_segment_1(product):
    result = advice(10, None, [product])

    assert result.segment1 is True
    assert result.consult is False
    assert result.score is None
    assert ALWAYS_SEGMENT1_PRODUCTS[product] in result.text
    assert "altijd in segment 1" in result.text


def test_an_unknown_product_does_not_make_segment_1():
    result = advice(10, None, ["kernreactor"])

    assert result.segment1 is False
    assert result.score == Decimal("0.03")


def test_without_hours_the_check_asks_for_them():
    result = advice()

    assert (result.score, result.segment1, result.consult) == (None, False, False)
    assert "Vul de verwachte uren in" in result.text


# --- guard reasons ---------------------------------------------------------------------------------

DUTCH_WORDS = {"de", "het", "een", "is", "van", "bij", "kan", "nog", "niet", "of", "en", "eerst", "alleen"}
ENGLISH_WORDS = {"the", "not", "must", "is required", "missing", "permission", "allowed"}


def all_reasons():
    reasons = []
    for name in ("aanmelden", "start_hulpverlening", "terugverwijzen", "voortijdig_beeindigen"):
        for t in Case._meta.get_field("phase").get_all_transitions(Case):
            if t.name == name:
                reasons += [(f"{name}:{c.__name__}", c.reason) for c in t.conditions]
                reasons.append((f"{name}:rol", guards.role_reason(t)))
    return sorted(set(reasons))


@pytest.mark.parametrize(("where", "reason"), all_reasons())
def test_every_guard_explains_itself_in_dutch(where, reason):
    assert isinstance(reason, str)
    assert len(reason.strip()) > 20, where
    words = set(re.findall(r"[a-zë]+", reason.lower()))
    assert words & DUTCH_WORDS, (where, reason)
    assert not {w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", reason.lower())}, (where, reason)


def test_every_transition_guard_has_a_reason():
    conditions = [c for t in Case._meta.get_field("phase").get_all_transitions(Case) for c in t.conditions]
    assert conditions
    assert all(getattr(c, "reason", "").strip() for c in conditions)
    assert {c.__name__ for c in conditions} >= {
        "gegevens_compleet",
        "jonger_dan_18",
        "ipva_aanwezig",
        "telefonisch_overleg_vastgelegd",
        "aanmeldgesprek_gehouden",
        "advies_segment1",
        "coordinatie_aangevraagd",
        "advies_niet_segment1",
        "verwijzer_geraadpleegd",
    }
    assert guards.may_aanmelden.reason and guards.may_voortijdig_beeindigen.reason


# --- the protected phase ---------------------------------------------------------------------------


@pytest.fixture
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def test_the_pinned_django_fsm_2_is_the_one_installed():
    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    pins = dict(d.split("==") for d in pyproject["project"]["dependencies"] if "==" in d)
    assert version("django-fsm-2") == pins["django-fsm-2"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock_and_fast_users")
def test_the_phase_cannot_be_assigned_directly(aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    case = Case.objects.get(pk=case.pk)

    with pytest.raises(AttributeError):
        case.phase = Phase.AFGESLOTEN

    assert case.phase == Phase.AANMELD
    assert Case.objects.get(pk=case.pk).phase == Phase.AANMELD


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock_and_fast_users")
def test_refresh_from_db_reloads_the_phase(aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    stale = Case.objects.get(pk=case.pk)
    services.start_hulpverlening(actor=aanmeldpunt_user, case=Case.objects.get(pk=case.pk))
    assert stale.phase == Phase.AANMELD

    stale.refresh_from_db()

    assert stale.phase == Phase.HULPVERLENEND
    # ... and the next step from the refreshed copy is not mistaken for a stale one.
    services.voortijdig_beeindigen(
        actor=aanmeldpunt_user, case=stale, expected_phase=Phase.HULPVERLENEND, reden="wlz", toelichting="Wlz."
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.AFGESLOTEN


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock_and_fast_users")
def test_age_of_the_youth_follows_the_birthday(toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user, geboortedatum=years_ago(12))
    jeugdige = case.jeugdige

    assert jeugdige.age_on(TODAY) == 12
    assert jeugdige.age_on(TODAY - timedelta(days=1)) == 11


# --- insert-only audit tables ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock_and_fast_users")
def test_case_events_cannot_be_changed_or_removed(toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    event = CaseEvent.objects.filter(case=case).first()
    n = CaseEvent.objects.count()

    event.reason = "herschreven"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(reason="herschreven")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(PermissionError):
        case.events.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update runs in its own atomic block
        CaseEvent.objects.bulk_update([event], ["reason"])

    assert CaseEvent.objects.count() == n
    assert not CaseEvent.objects.filter(reason="herschreven").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock_and_fast_users")
def test_access_log_rows_cannot_be_changed_or_removed(toegang_user):
    log_access(user=toegang_user, action="inzien", object_type="casus", object_id="abc", description="S1-000001")
    row = AccessLog.objects.get()

    row.action = "niets"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.update(action="niets")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AccessLog.objects.bulk_update([row], ["action"])

    assert AccessLog.objects.get().action == "inzien"


# --- The phases the page rules name ------------------------------------------------------------------


def test_the_page_rules_name_the_phases_of_the_machine():
    """guards cannot import Phase (the models import the guards), so their phase values are checked here."""
    assert set(guards.INTAKE_PHASES) == {Phase.CONCEPT, Phase.AANMELD}
    assert set(guards.CARE_PHASES) == set(services.CARE_PHASES) == {Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND}
    assert set(guards.CLOSED_PHASES) == {Phase.AFGESLOTEN, Phase.TERUGVERWEZEN}
    assert {"aanmeld", "hulpverlenend", "crisis", "afrondend"} <= set(Phase.values)

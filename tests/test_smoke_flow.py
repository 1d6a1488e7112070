import pytest

from referrals.models import CaseEvent, Phase
from tests.factories import build_case


@pytest.mark.django_db
def test_case_goes_from_concept_to_hulpverlenend_through_the_services(toegang_user, aanmeldpunt_user, sterk_huis):
    case = build_case(
        stage="hulpverlenend", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis
    )
    case.refresh_from_db()
    assert case.phase == Phase.HULPVERLENEND
    assert case.regie_organisatie == sterk_huis
    kinds = list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        "aangemaakt",
        "ipva_bijgewerkt",
        "telefonisch_overleg",
        "aangemeld",
        "coordinator_toegewezen",  # the verwijzer becomes coördinator licht (ADR 0009)
        "coordinatie_vastgesteld",
        "aanmeldgesprek_gepland",
        "aanmeldgesprek_gehouden",
        "advies_vastgelegd",
        "hulpverlening_gestart",
    ]


@pytest.mark.django_db
def test_a_medisch_domein_case_reaches_care_after_the_coordination_request(aanmeldpunt_user, sterk_huis):
    case = build_case(
        stage="hulpverlenend",
        route="medisch_domein",
        aanmeldpunt_user=aanmeldpunt_user,
        partner_org=sterk_huis,
        tussenvoegsel="van der",
    )
    case.refresh_from_db()
    assert case.phase == Phase.HULPVERLENEND
    assert case.coordinatie_aangevraagd_op is not None
    assert case.jeugdige.tussenvoegsel == "van der"

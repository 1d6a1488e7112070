"""Test data for the coordination tests: cases through the real services, the people around them, and the
few rows of the other part of the case (substitution, eindevaluatie) whose services live in referrals."""

from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import User
from coordination import services
from coordination.models import Coordination, Level
from referrals.models import Case, CaseEvent, Eindevaluatie, Substitution
from tests import factories
from tests.factories import build_case
from tests.helpers import TODAY, make_user


@dataclass
class People:
    case: Case
    coordinator: User  # the verwijzer, coördinator licht by default
    gedragswetenschapper: User
    regievoerder: User
    aanmeldpunt: User


def toegang_case(stage="hulpverlenend", **kw) -> People:
    """A Toegang referral taken to `stage`: its verwijzer is coördinator licht since the aanmelding."""
    gem = factories.gemeente()
    verwijzer = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(gem))
    aanmeldpunt = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
    partner = factories.partner()
    case = build_case(stage=stage, toegang_user=verwijzer, aanmeldpunt_user=aanmeldpunt, partner_org=partner, **kw)
    return People(
        case=fresh(case),
        coordinator=verwijzer,
        gedragswetenschapper=make_user("gedragswetenschapper", gem=gem),
        regievoerder=factories.UserFactory(role="regievoerder", organisation=partner),
        aanmeldpunt=aanmeldpunt,
    )


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def level_of(case: Case) -> str:
    row = Coordination.objects.filter(case=case).values_list("level", flat=True).first()
    return row or Level.GEEN


def event_kinds(case: Case, before: set[int] | None = None) -> list[str]:
    qs = CaseEvent.objects.filter(case=case).order_by("id")
    if before:
        qs = qs.exclude(pk__in=before)
    return list(qs.values_list("kind", flat=True))


def joint(day: date = TODAY, **kw) -> services.JointDecision:
    values = {
        "decided_on": day,
        "met_coordinator": True,
        "met_gedragswetenschapper": True,
        "met_regievoerder": True,
        "met_crossroads": True,
    }
    values.update(kw)
    return services.JointDecision(**values)


def to_zwaar(p: People, **kw) -> Case:
    services.opschalen(
        actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"], **kw)
    )
    return fresh(p.case)


def eindevaluatie(case: Case, *, coordinator_aanwezig=True) -> Eindevaluatie:
    """The final evaluation, as the regievoerder's part of the case records it."""
    return Eindevaluatie.objects.create(
        case=case,
        datum=TODAY,
        jeugdige_aanwezig=True,
        verwijzer_aanwezig=True,
        coordinator_aanwezig=coordinator_aanwezig,
        verslag="Doelen bereikt.",
        recorded_by=case.coordinator,
    )


def substitute_for(case: Case, absent: User, substitute: User, *, days=7) -> Substitution:
    return Substitution.objects.create(
        case=case,
        role="coordinator",
        absent=absent,
        substitute=substitute,
        start=TODAY - timedelta(days=1),
        end=TODAY + timedelta(days=days),
        gezin_geinformeerd=True,
        andere_partij_geinformeerd=True,
        recorded_by=absent,
    )

"""The region the synthetic cases live in: the regio fixture, national gemeenten with a Toegang team
each, and a few people per organisation; made once, reused after."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from accounts.models import Organisation, OrganisationKind, User
from deadlines.models import DeadlineRule

NATIONAL_GEMEENTEN = 342  # the Netherlands in 2025
TOEGANG_USERS_PER_TEAM = 3
BENCH_USERS = {
    # username: (role, organisation name); the people the benchmark looks through.
    "bench.aanmeldpunt": ("aanmeldpunt", "Crossroads (aanmeldpunt)"),
    "bench.toegang": ("toegang_medewerker", "Toegang Tilburg"),
    "bench.manager": ("manager_crossroads", "Crossroads (aanmeldpunt)"),
    "bench.manager.tilburg": ("manager_gemeente", "Gemeente Tilburg"),
}


@dataclass
class Region:
    gemeenten: list  # [(gemeente id, cbs code, team id, [toegang user ids])]
    weights: list[int]
    crossroads: int
    aanmeldpunt_users: list[int]
    partners: list  # [(partner id, agb code, [regievoerder user ids])]
    rules: dict  # code -> (id, amount, unit)
    users: dict = field(default_factory=dict)  # bench username -> User


def _ensure_gemeenten() -> None:
    if not Organisation.objects.filter(name="Crossroads (aanmeldpunt)").exists():
        call_command("loaddata", "regio", verbosity=0)
    have = set(Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).values_list("name", flat=True))
    extra = NATIONAL_GEMEENTEN - len(have)
    for i in range(extra):
        name = f"Gemeente Landelijk {i + 1:03d}"
        if name in have:
            continue
        gem = Organisation.objects.create(kind=OrganisationKind.GEMEENTE, name=name, cbs_code=f"{3000 + i:04d}")
        Organisation.objects.create(kind=OrganisationKind.TOEGANG, name=f"Toegang Landelijk {i + 1:03d}", gemeente=gem)


def _missing_users(teams, crossroads: Organisation) -> list[User]:
    """The people not made yet: a few per Toegang team, per partner, at the aanmeldpunt, and the bench's."""
    password = make_password(None)
    existing = set(User.objects.values_list("username", flat=True))
    wanted = [
        (f"vol.toegang.{team.pk}.{k}", "toegang_medewerker", team)
        for team in teams
        for k in range(TOEGANG_USERS_PER_TEAM)
    ]
    wanted += [(f"vol.aanmeldpunt.{k}", "aanmeldpunt", crossroads) for k in range(6)]
    wanted += [
        (f"vol.regie.{partner.pk}.{k}", "regievoerder", partner)
        for partner in Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        for k in range(4)
    ]
    users = [
        User(username=name, role=role, organisation=org, password=password)
        for name, role, org in wanted
        if name not in existing
    ]
    for username, (role, org) in BENCH_USERS.items():
        if username not in existing:
            users.append(
                User(
                    username=username,
                    role=role,
                    organisation=Organisation.objects.get(name=org),
                    password=password,
                    first_name="Bench",
                    last_name=username.split(".", 1)[1],
                )
            )
    return users


def _gemeenten(teams) -> tuple[list, list[int]]:
    by_team: dict[int, list[int]] = {}
    for pk, team in User.objects.filter(username__startswith="vol.toegang.").values_list("pk", "organisation_id"):
        by_team.setdefault(team, []).append(pk)
    gemeenten, weights = [], []
    for team in teams.select_related("gemeente"):
        gem = team.gemeente
        gemeenten.append((gem.pk, gem.cbs_code, team.pk, by_team.get(team.pk, [])))
        # The regio's gemeenten are larger than the synthetic ones; Tilburg the largest (about 5%).
        weights.append(200 if gem.name == "Gemeente Tilburg" else 12 if "Landelijk" not in gem.name else 10)
    return gemeenten, weights


def _partners() -> list:
    partners = []
    for partner in Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("pk"):
        regie = list(User.objects.filter(role="regievoerder", organisation=partner).values_list("pk", flat=True))
        partners.append((partner.pk, partner.agb_code, regie))
    return partners


def ensure_region() -> Region:
    """The regio fixture, national gemeenten with a Toegang team each, and a few people per organisation;
    made once, reused after."""
    _ensure_gemeenten()
    teams = Organisation.objects.filter(kind=OrganisationKind.TOEGANG).order_by("pk")
    crossroads = Organisation.objects.get(name="Crossroads (aanmeldpunt)")
    User.objects.bulk_create(_missing_users(teams, crossroads))
    gemeenten, weights = _gemeenten(teams)
    return Region(
        gemeenten=gemeenten,
        weights=weights,
        crossroads=crossroads.pk,
        aanmeldpunt_users=list(
            User.objects.filter(username__startswith="vol.aanmeldpunt.").values_list("pk", flat=True)
        ),
        partners=_partners(),
        rules={r.code: (r.pk, r.amount, r.unit) for r in DeadlineRule.objects.all()},
        users={u.username: u for u in User.objects.filter(username__in=BENCH_USERS)},
    )

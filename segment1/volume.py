"""Synthetic national-size data for the benchmark (`manage.py seed_volume`, `manage.py bench`).

Cases over all routes and phases, with their youth and family, the intake rows, a timeline, deadlines
(open, met on time or late, breached with their warning, lapsed) and, for some, the JW315 that was sent.
The rows are written with PostgreSQL COPY (tab-separated text made in memory), one batch of cases per
transaction, with ids given here so the rows of one case can point at each other without a round trip.

Resumable: `seed(n)` counts the cases already there and adds only the missing ones; an interrupted
batch rolls back as a whole. The organisations of the regio fixture are reused, ~330 synthetic gemeenten
(with a Toegang team each) make it national, and a few users per organisation are added once.
"""

import hashlib
import io
import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from deadlines.models import DashboardTally, Deadline, DeadlineRule, DeadlineWarning
from messaging.models import Message
from referrals.models import (
    Aanmeldgesprek,
    AanmeldtafelAdvies,
    Case,
    CaseEvent,
    Gezin,
    Ipva,
    Jeugdige,
)

from . import names

BATCH = 10_000
NATIONAL_GEMEENTEN = 342  # the Netherlands in 2025
TOEGANG_USERS_PER_TEAM = 3
BENCH_USERS = {
    # username: (role, organisation name); the people the benchmark looks through.
    "bench.aanmeldpunt": ("aanmeldpunt", "Crossroads (aanmeldpunt)"),
    "bench.toegang": ("toegang_medewerker", "Toegang Tilburg"),
    "bench.manager": ("manager_crossroads", "Crossroads (aanmeldpunt)"),
    "bench.manager.tilburg": ("manager_gemeente", "Gemeente Tilburg"),
}

# The demo's names and as many again: more variety for a million youths.
FIRST_NAMES = [
    *names.FIRST_NAMES,
    "Luuk",
    "Sophie",
    "Mohammed",
    "Fenna",
    "Adam",
    "Lieke",
    "Jayden",
    "Saar",
    "Ryan",
    "Nova",
    "Sven",
    "Roos",
    "Stijn",
    "Maud",
    "Jens",
    "Lina",
    "Tygo",
    "Elin",
    "Bas",
    "Noor",
    "Teun",
    "Hanna",
    "Dex",
    "Ilse",
    "Owen",
    "Vera",
    "Siem",
    "Liv",
    "Joep",
    "Femke",
]
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Jong"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Bruin"),
    ("van der", "Heijden"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("van der", "Wal"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Aydın"),
    ("", "Bouzid"),
    ("", "Yılmaz"),
    ("El", "Amrani"),
    ("", "Smulders"),
    ("", "Kuijpers"),
    ("van", "Rooij"),
    ("", "Verschuren"),
    ("van", "Gils"),
    ("van", "Oers"),
    ("", "Hoogland"),
    ("", "Schellekens"),
    ("", "Pijnenburg"),
    ("", "Timmermans"),
]
STREETS = ["Stationsstraat", "Kerkstraat", "Dorpsstraat", "Schoolstraat", "Molenstraat", "Heuvelring", "Ringbaan"]

# (phase, weight); the aanmeld phase is split by how far the intake got.
STAGES = [
    ("concept", 3),
    ("aanmeld", 4),
    ("gepland", 3),
    ("gehouden", 2),
    ("advies", 2),
    ("hulpverlenend", 28),
    ("crisis", 2),
    ("afrondend", 5),
    ("terugverwezen", 15),
    ("afgesloten", 33),
    ("voortijdig", 3),
]
PHASE_OF = {"gepland": "aanmeld", "gehouden": "aanmeld", "advies": "aanmeld", "voortijdig": "afgesloten"}
ROUTES = [
    ("toegang", "gemeente", 60),
    ("medisch_domein", "huisarts", 14),
    ("medisch_domein", "jeugdarts", 6),
    ("gi", "gi_jbb", 10),
    ("overgangsclient", "gemeente", 5),
    ("lta", "gemeente", 5),
]
IN_CARE = {"hulpverlenend", "crisis", "afrondend", "afgesloten"}
HULPVORMEN = ["behandelverblijf_open", "intensief_ambulant", "behandelverblijf_gesloten", "lta"]


# --- Text format for COPY ---------------------------------------------------------------------------


def _v(value) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "t" if value else "f"
    return str(value)  # int, date, datetime (UTC), uuid


class Table:
    """Rows for one table, kept as COPY text."""

    def __init__(self, model, columns: list[str]):
        self.table = model._meta.db_table
        self.columns = columns
        self.buf = io.StringIO()
        self.rows = 0

    def add(self, *values) -> None:
        self.buf.write("\t".join(map(_v, values)))
        self.buf.write("\n")
        self.rows += 1

    def copy(self, cursor) -> None:
        if not self.rows:
            return
        self.buf.seek(0)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        cursor.copy_expert(f'COPY "{self.table}" ({cols}) FROM STDIN', self.buf)


# --- The region: organisations and people -----------------------------------------------------------


@dataclass
class Region:
    gemeenten: list  # [(gemeente id, cbs code, team id, [toegang user ids])]
    weights: list[int]
    crossroads: int
    aanmeldpunt_users: list[int]
    partners: list  # [(partner id, agb code, [regievoerder user ids])]
    rules: dict  # code -> (id, amount, unit)
    users: dict = field(default_factory=dict)  # bench username -> User


def ensure_region() -> Region:
    """The regio fixture, national gemeenten with a Toegang team each, and a few people per organisation;
    made once, reused after."""
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
    password = make_password(None)
    users = []
    existing = set(User.objects.values_list("username", flat=True))
    teams = Organisation.objects.filter(kind=OrganisationKind.TOEGANG).order_by("pk")
    for team in teams:
        for k in range(TOEGANG_USERS_PER_TEAM):
            name = f"vol.toegang.{team.pk}.{k}"
            if name not in existing:
                users.append(User(username=name, role="toegang_medewerker", organisation=team, password=password))
    crossroads = Organisation.objects.get(name="Crossroads (aanmeldpunt)")
    for k in range(6):
        name = f"vol.aanmeldpunt.{k}"
        if name not in existing:
            users.append(User(username=name, role="aanmeldpunt", organisation=crossroads, password=password))
    for partner in Organisation.objects.filter(kind=OrganisationKind.PARTNER):
        for k in range(4):
            name = f"vol.regie.{partner.pk}.{k}"
            if name not in existing:
                users.append(User(username=name, role="regievoerder", organisation=partner, password=password))
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
    User.objects.bulk_create(users)

    by_team: dict[int, list[int]] = {}
    for pk, team in User.objects.filter(username__startswith="vol.toegang.").values_list("pk", "organisation_id"):
        by_team.setdefault(team, []).append(pk)
    gemeenten, weights = [], []
    for team in teams.select_related("gemeente"):
        gem = team.gemeente
        gemeenten.append((gem.pk, gem.cbs_code, team.pk, by_team.get(team.pk, [])))
        # The regio's gemeenten are larger than the synthetic ones; Tilburg the largest (about 5%).
        weights.append(200 if gem.name == "Gemeente Tilburg" else 12 if "Landelijk" not in gem.name else 10)
    partners = []
    for partner in Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("pk"):
        regie = list(User.objects.filter(role="regievoerder", organisation=partner).values_list("pk", flat=True))
        partners.append((partner.pk, partner.agb_code, regie))
    return Region(
        gemeenten=gemeenten,
        weights=weights,
        crossroads=crossroads.pk,
        aanmeldpunt_users=list(
            User.objects.filter(username__startswith="vol.aanmeldpunt.").values_list("pk", flat=True)
        ),
        partners=partners,
        rules={r.code: (r.pk, r.amount, r.unit) for r in DeadlineRule.objects.all()},
        users={u.username: u for u in User.objects.filter(username__in=BENCH_USERS)},
    )


# --- Cases -------------------------------------------------------------------------------------------


def _next_ids(cursor, models) -> dict:
    ids = {}
    for model in models:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
        ids[model] = cursor.fetchone()[0] + 1
    return ids


def _reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


def _bsn(n: int) -> str:
    """A valid BSN (elfproef) made from a counter: 8 digits, then the check digit that fits, or the next."""
    while True:
        digits = f"{n % 10**8:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check < 10:
            return digits + str(check)
        n += 1


SEEDED_MODELS = [Gezin, Jeugdige, Case, CaseEvent, Ipva, Aanmeldgesprek, AanmeldtafelAdvies, Deadline]
SEEDED_MODELS += [DeadlineWarning, Message]


def _jw315_content() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<iJw:Bericht xmlns:iJw="http://www.istandaarden.nl/ijw/3_2/jw315/'
        b'schema"><iJw:Header><iJw:BerichtCode>439</iJw:BerichtCode><iJw:BerichtVersie>3</iJw:BerichtVersie>'
        b"<iJw:BerichtSubversie>2</iJw:BerichtSubversie></iJw:Header><iJw:Client>"
        + b"<iJw:Naam>synthetisch</iJw:Naam>" * 20
        + b"</iJw:Client></iJw:Bericht>"
    )


class Generator:
    def __init__(self, region: Region, now: datetime):
        self.r = region
        self.now = now.astimezone(UTC)
        self.today = self.now.date()
        self.stage_names = [s for s, _ in STAGES]
        self.stage_cum = list(itertools.accumulate(w for _, w in STAGES))
        self.route_cum = list(itertools.accumulate(w for *_, w in ROUTES))
        self.gemeente_cum = list(itertools.accumulate(region.weights))
        self.content = "\\\\x" + _jw315_content().hex()
        self.sha = hashlib.sha256(_jw315_content()).hexdigest()

    @staticmethod
    def uuid(rnd) -> str:
        return f"{rnd.getrandbits(128):032x}"

    def batch(self, index: int, n: int, ids: dict) -> list[Table]:
        rnd = random.Random(index)
        gezinnen = Table(Gezin, ["id", "public_id", "naam", "created_at"])
        jeugdigen = Table(
            Jeugdige,
            [
                "id",
                "gezin_id",
                "bsn_status",
                "bsn",
                "voornaam",
                "tussenvoegsel",
                "achternaam",
                "geboortedatum",
                "geslacht",
                "straat",
                "huisnummer",
                "postcode",
                "woonplaats",
                "segment",
                "producten",
            ],
        )
        cases = Table(
            Case,
            [
                "id",
                "public_id",
                "jeugdige_id",
                "gemeente_id",
                "route",
                "verwijzer_type",
                "verwijzer_naam",
                "verwijzer_organisatie",
                "verwijzer_code",
                "verwijzer_user_id",
                "urgent",
                "urgentie_motivatie",
                "hulpvraag",
                "phase",
                "aanmelddatum",
                "regie_organisatie_id",
                "coordinatie_aangevraagd_op",
                "regievoerder_id",
                "coordinator_id",
                "ipva_delen_toegestaan",
                "wat_advies_delen_toegestaan",
                "afgesloten_op",
                "zorg_gestart_op",
                "overbruggingszorg",
                "geadviseerd_segment",
                "einde_reden",
                "created_by_id",
                "created_by_organisation_id",
                "created_at",
                "updated_at",
                # Outside the model: the youth's names as search matches them (referrals migration 0010).
                "zoek_voornaam",
                "zoek_tussenvoegsel",
                "zoek_achternaam",
            ],
        )
        events = Table(
            CaseEvent,
            ["id", "case_id", "kind", "at", "actor_id", "actor_role", "from_phase", "to_phase", "reason", "payload"],
        )
        ipvas = Table(
            Ipva,
            [
                "id",
                "case_id",
                "ontwikkeling",
                "gezondheid",
                "school_werk",
                "wonen_financien",
                "netwerk_veiligheid",
                "updated_by_id",
                "updated_at",
            ],
        )
        gesprekken = Table(
            Aanmeldgesprek,
            [
                "id",
                "case_id",
                "gepland_op",
                "locatie",
                "jeugdige_uitgenodigd",
                "verwijzer_uitgenodigd",
                "gehouden_op",
                "aanwezigen",
                "verslag",
                "planned_by_id",
            ],
        )
        adviezen = Table(
            AanmeldtafelAdvies,
            [
                "id",
                "case_id",
                "datum",
                "segment1_nodig",
                "regie_partner_id",
                "hulpvorm",
                "geadviseerd_segment",
                "toelichting",
                "te_behalen_resultaten",
                "verwijzer_geraadpleegd_op",
                "recorded_by_id",
                "recorded_at",
            ],
        )
        deadlines = Table(
            Deadline,
            [
                "id",
                "rule_id",
                "case_id",
                "start_event_id",
                "met_event_id",
                "started_at",
                "due_at",
                "original_due_at",
                "remind_at",
                "met_at",
                "breached_at",
                "state",
                "outcome",
                "paused_at",
                "pause_reason",
                "paused_total",
                "extended",
                "extension_reason",
                "ref",
                # Outside the model: the case's gemeente, partner and stage for the dashboard's counts
                # (deadlines migration 0008; its trigger fills them on an ordinary insert).
                "dash_gemeente_id",
                "dash_partner_id",
                "dash_stage",
            ],
        )
        warnings = Table(DeadlineWarning, ["id", "deadline_id", "kind", "created_at", "sweep_run"])
        messages = Table(
            Message,
            [
                "id",
                "public_id",
                "message_type",
                "direction",
                "sender",
                "receiver",
                "identificatie",
                "dagtekening",
                "gemeente_id",
                "aanbieder_id",
                "case_id",
                "content",
                "sha256",
                "xsd_versie",
                "referentie",
                "summary",
                "state",
                "imported",
                "created_by_id",
                "created_at",
            ],
        )
        sweep_run = uuid.uuid4()
        r, now = self.r, self.now
        day = timedelta(days=1)
        for k in range(n):
            seq = index + k
            stage = rnd.choices(self.stage_names, cum_weights=self.stage_cum)[0]
            phase = PHASE_OF.get(stage, stage)
            route, verwijzer_type, _ = rnd.choices(ROUTES, cum_weights=self.route_cum)[0]
            gem_id, cbs, team_id, team_users = rnd.choices(r.gemeenten, cum_weights=self.gemeente_cum)[0]
            toegang_user = rnd.choice(team_users) if team_users else None
            aanmeldpunt = rnd.choice(r.aanmeldpunt_users)
            by_toegang = route == "toegang" and toegang_user is not None
            creator, creator_org = (toegang_user, team_id) if by_toegang else (aanmeldpunt, r.crossroads)
            # When: intake cases recent, cases in care months back, ended ones up to three years back.
            intake = stage in ("concept", "aanmeld", "gepland", "gehouden", "advies")
            if intake:
                span = rnd.randint(6, 50)
            elif phase in ("hulpverlenend", "crisis", "afrondend"):
                span = rnd.randint(40, 700)
            else:
                span = rnd.randint(40, 1100)
            aangemeld = self.today - span * day
            back = rnd.randint(1, 20)
            t1 = datetime(
                aangemeld.year, aangemeld.month, aangemeld.day, 8 + rnd.randint(0, 8), rnd.randint(0, 59), tzinfo=UTC
            )
            t0 = t1 - back * day - timedelta(hours=1)
            gid, jid, cid = ids[Gezin], ids[Jeugdige], ids[Case]
            ids[Gezin] += 1
            ids[Jeugdige] += 1
            ids[Case] += 1
            tv, an = rnd.choice(LAST_NAMES)
            age = rnd.randint(4, 17)
            born = aangemeld - timedelta(days=age * 365 + rnd.randint(0, 364))
            bsn_status = rnd.choices(["normaal", "geen_bsn", "geheim"], [96, 3, 1])[0]
            gezinnen.add(gid, self.uuid(rnd), an, t0)
            voornaam = rnd.choice(FIRST_NAMES)
            jeugdigen.add(
                jid,
                gid,
                bsn_status,
                _bsn(10_000_000 + seq * 7) if bsn_status == "normaal" else "",
                voornaam,
                tv,
                an,
                born,
                rnd.choice("12"),
                rnd.choice(STREETS),
                str(rnd.randint(1, 200)),
                f"{rnd.randint(1000, 9999)} {rnd.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rnd.choice('ABCDEGHJKLMNPRSTVWXZ')}",
                f"Plaats {cbs}",
                "1",
                "[]",
            )
            urgent = rnd.random() < 0.08
            partner_id, agb, regie_users = rnd.choice(r.partners)
            in_care = stage in IN_CARE or stage == "advies"
            advised_s1 = stage != "terugverwezen"
            regie_org = partner_id if phase in ("hulpverlenend", "crisis", "afrondend", "afgesloten") else None
            # The steps and when they happened.
            held = t1 + (min(rnd.randint(3, 20), span - 4) if intake else rnd.randint(3, 20)) * day
            advies_at = held + (1 if intake else rnd.randint(1, 10)) * day
            start_care = advies_at + rnd.randint(1, 5) * day
            zorg = start_care + rnd.randint(3, 40) * day
            beschikking = zorg + rnd.randint(0, 30) * day
            ended = None
            reached = {
                "gepland": stage not in ("concept", "aanmeld"),
                "held": stage not in ("concept", "aanmeld", "gepland", "voortijdig"),
                "advies": stage not in ("concept", "aanmeld", "gepland", "gehouden", "voortijdig"),
                "care": stage in ("hulpverlenend", "crisis", "afrondend", "afgesloten"),
            }
            zorg_gestart = reached["care"] and (zorg < now) and rnd.random() < 0.9
            beschikt = zorg_gestart and beschikking < now and rnd.random() < 0.9
            if stage in ("terugverwezen",):
                ended = advies_at + day
            elif stage == "afgesloten":
                ended = max(beschikking, zorg) + rnd.randint(60, 400) * day
                if ended > now:
                    ended = now - rnd.randint(1, 20) * day
            elif stage == "voortijdig":
                ended = t1 + rnd.randint(2, 30) * day
                if ended > now:
                    ended = now - day
            cases.add(
                cid,
                self.uuid(rnd),
                jid,
                gem_id,
                route,
                verwijzer_type,
                "Verwijzer " + ("Toegang" if route == "toegang" else verwijzer_type),
                "",
                "01123456" if verwijzer_type in ("huisarts", "jeugdarts") else "",
                toegang_user if by_toegang else None,
                urgent,
                "Acuut risico voor de ontwikkeling." if urgent else "",
                "Hulpvraag van de jeugdige en het gezin.",
                phase,
                aangemeld if phase != "concept" else None,
                regie_org,
                t1 + 2 * day if in_care and route in ("medisch_domein", "overgangsclient") else None,
                rnd.choice(regie_users) if regie_org and regie_users and rnd.random() < 0.85 else None,
                toegang_user if regie_org and toegang_user and rnd.random() < 0.7 else None,
                in_care,
                in_care,
                ended.date() if ended and phase == "afgesloten" else None,
                zorg.date() if zorg_gestart else None,
                "",
                "" if advised_s1 else rnd.choice("234"),
                "geen_hulpvraag" if stage == "voortijdig" else "",
                creator,
                creator_org,
                t0,
                ended or (zorg if zorg_gestart else t1),
                voornaam.upper(),
                tv.upper(),
                an.upper(),
            )
            # Timeline.
            ev = {}

            def event(kind, at, actor, role, frm="", to="", payload="{}", _cid=cid, ev=ev):
                eid = ids[CaseEvent]
                ids[CaseEvent] += 1
                events.add(eid, _cid, kind, at, actor, role, frm, to, "", payload)
                ev[kind] = (eid, at)
                return eid

            creator_role = "toegang_medewerker" if by_toegang else "aanmeldpunt"
            event("aangemaakt", t0, creator, creator_role, "", "concept")
            if by_toegang:
                ipvas.add(ids[Ipva], cid, "Analyse.", "Analyse.", "Analyse.", "Analyse.", "Analyse.", toegang_user, t0)
                ids[Ipva] += 1
                event("ipva_bijgewerkt", t0 + timedelta(hours=1), toegang_user, "toegang_medewerker")
            if phase == "concept":
                continue
            event("aangemeld", t1, creator, creator_role, "concept", "aanmeld")
            if reached["gepland"]:
                gesprekken.add(
                    ids[Aanmeldgesprek],
                    cid,
                    held,
                    "Crossroads, Tilburg",
                    True,
                    True,
                    held if reached["held"] else None,
                    "jeugdige, ouders, verwijzer" if reached["held"] else "",
                    "Verslag van het gesprek." if reached["held"] else "",
                    aanmeldpunt,
                )
                ids[Aanmeldgesprek] += 1
                event("aanmeldgesprek_gepland", t1 + day, aanmeldpunt, "aanmeldpunt")
            if reached["held"]:
                event("aanmeldgesprek_gehouden", held, aanmeldpunt, "aanmeldpunt")
            if reached["advies"]:
                adviezen.add(
                    ids[AanmeldtafelAdvies],
                    cid,
                    advies_at.date(),
                    advised_s1,
                    partner_id if advised_s1 else None,
                    rnd.choice(HULPVORMEN) if advised_s1 else "",
                    "" if advised_s1 else rnd.choice("234"),
                    "",
                    "Weer naar school; rust thuis." if advised_s1 else "",
                    None if advised_s1 else advies_at.date(),
                    aanmeldpunt,
                    advies_at,
                )
                ids[AanmeldtafelAdvies] += 1
                event("advies_vastgelegd", advies_at, aanmeldpunt, "aanmeldpunt")
            if stage == "terugverwezen":
                event("terugverwezen", ended, aanmeldpunt, "aanmeldpunt", "aanmeld", "terugverwezen")
            if reached["care"]:
                event("hulpverlening_gestart", start_care, aanmeldpunt, "aanmeldpunt", "aanmeld", "hulpverlenend")
                if route in ("toegang", "lta", "overgangsclient") and rnd.random() < 0.5:
                    mid = ids[Message]
                    ids[Message] += 1
                    messages.add(
                        mid,
                        self.uuid(rnd),
                        "jw315",
                        "naar_gemeente",
                        agb,
                        cbs,
                        f"{mid:012d}",
                        start_care.date(),
                        gem_id,
                        partner_id,
                        cid,
                        self.content,
                        self.sha,
                        "synthetisch",
                        f"S1-{cid:06d}-001",
                        f"Verzoek om toewijzing voor S1-{cid:06d}",
                        "geaccepteerd",
                        False,
                        aanmeldpunt,
                        start_care,
                    )
                    event("jw315_verzonden", start_care, aanmeldpunt, "aanmeldpunt", payload=f'{{"message": {mid}}}')
            if zorg_gestart:
                event("zorg_gestart", zorg, None, "regievoerder")
            if beschikt:
                event("beschikking_afgegeven", beschikking, aanmeldpunt, "aanmeldpunt")
            if stage == "crisis":
                event("crisis_gemeld", now - rnd.randint(1, 30) * day, None, "regievoerder", "hulpverlenend", "crisis")
            if stage in ("afrondend", "afgesloten"):
                event(
                    "afronding_gestart", (ended or now) - 10 * day, None, "regievoerder", "hulpverlenend", "afrondend"
                )
            if stage == "afgesloten":
                event("afgesloten", ended, None, "regievoerder", "afrondend", "afgesloten")
            if stage == "voortijdig":
                event("voortijdig_beeindigd", ended, aanmeldpunt, "aanmeldpunt", "aanmeld", "afgesloten")

            # Deadlines the aanmelding opened (and the start of care), as the engine would have left them.
            case_ended = ended if phase in ("terugverwezen", "afgesloten") else None
            dims = (
                gem_id,
                regie_org,
                2 if phase in ("terugverwezen", "afgesloten") else 0 if phase == "concept" else 1,
            )
            plans = [
                ("aanmeldgesprek", "aangemeld", "aanmeldgesprek_gehouden"),
                ("start-jeugdhulp", "aangemeld", "zorg_gestart"),
                ("beschikking", "aangemeld", "beschikking_afgegeven"),
            ]
            if zorg_gestart:
                plans.append(("start-melden", "zorg_gestart", None))
            for code, start_kind, met_kind in plans:
                rule = r.rules.get(code)
                if rule is None or start_kind not in ev:
                    continue
                rule_id, amount, unit = rule
                start_id, started = ev[start_kind]
                length = {"weeks": 7 * amount, "working_days": amount * 7 // 5 + 1, "days": amount}.get(unit, 30)
                due = started + length * day
                remind = due - 3 * day
                met = ev.get(met_kind) if met_kind else None
                if code == "start-melden":  # the JW305: sent, mostly on time
                    met = (start_id, started + rnd.randint(0, 9) * day) if rnd.random() < 0.95 else None
                    if met and met[1] > now:
                        met = None
                did = ids[Deadline]
                ids[Deadline] += 1
                met_event, met_at, breached_at, state, outcome = None, None, None, "open", ""
                if met and met[1] <= now:
                    met_event, met_at = (met[0] if met_kind else None), met[1]
                    state, outcome = "met", "on_time" if met_at <= due else "late"
                elif case_ended is not None:
                    state = "lapsed"
                elif due < now and rnd.random() < 0.9:
                    # Swept already: breached, with its warning. The rest is overdue but not swept yet.
                    state, breached_at = "breached", due + timedelta(minutes=5)
                deadlines.add(
                    did,
                    rule_id,
                    cid,
                    start_id,
                    met_event,
                    started,
                    due,
                    due,
                    remind,
                    met_at,
                    breached_at,
                    state,
                    outcome,
                    None,
                    "",
                    "0",
                    False,
                    "",
                    "",
                    *dims,
                )
                if state == "breached":
                    warnings.add(ids[DeadlineWarning], did, "breach", breached_at, sweep_run)
                    ids[DeadlineWarning] += 1
            # The perspectiefplan 18-/18+ for youths in care before their 16th birthday: due at 16 and at
            # 17.5, open for years; most of the open deadlines of the region are these.
            if reached["care"] and age < 15 and "hulpverlening_gestart" in ev:
                start_id, started = ev["hulpverlening_gestart"]
                for code, months in (("perspectiefplan-start", 192), ("perspectiefplan-gereed", 210)):
                    rule = r.rules.get(code)
                    if rule is None:
                        continue
                    due = datetime(born.year, born.month, born.day, tzinfo=UTC) + months * 30.44 * day
                    state, breached_at = "open", None
                    if case_ended is not None:
                        state = "lapsed"
                    elif due < now and rnd.random() < 0.9:
                        state, breached_at = "breached", due + timedelta(minutes=5)
                    did = ids[Deadline]
                    ids[Deadline] += 1
                    deadlines.add(
                        did, rule[0], cid, start_id, None, started, due, due, due - 60 * day, None, breached_at,
                        state, "", None, "", "0", False, "", "", *dims,
                    )  # fmt: skip
                    if state == "breached":
                        warnings.add(ids[DeadlineWarning], did, "breach", breached_at, sweep_run)
                        ids[DeadlineWarning] += 1
        return [gezinnen, jeugdigen, cases, events, ipvas, gesprekken, adviezen, messages, deadlines, warnings]


# Adding this many cases or more, the non-unique indexes of the seeded tables are dropped first and built
# again at the end: one sort per index instead of maintaining it row by row (the usual bulk-load practice).
# Their definitions wait in a small table meanwhile, so an interrupted run is finished by the next one.
BULK = 50_000
SAVED_INDEXES = "volume_dropped_index"


def _drop_indexes(cursor) -> int:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {SAVED_INDEXES} (name text PRIMARY KEY, definition text NOT NULL)")
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s) "
        "AND indexdef NOT LIKE 'CREATE UNIQUE %%'",
        [[m._meta.db_table for m in SEEDED_MODELS]],
    )
    rows = cursor.fetchall()
    for name, definition in rows:
        cursor.execute(f"INSERT INTO {SAVED_INDEXES} VALUES (%s, %s) ON CONFLICT (name) DO NOTHING", [name, definition])
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return len(rows)


def _restore_indexes(cursor, log) -> None:
    cursor.execute("SELECT to_regclass(%s)", [SAVED_INDEXES])
    if cursor.fetchone()[0] is None:
        return
    cursor.execute(f"SELECT name, definition FROM {SAVED_INDEXES} ORDER BY name")
    rows = cursor.fetchall()
    started = time.perf_counter()
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending: CREATE INDEX refuses those
    for _name, definition in rows:
        cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    cursor.execute(f"DROP TABLE {SAVED_INDEXES}")
    if rows:
        log(f"seed_volume: {len(rows)} indexen opnieuw gebouwd in {time.perf_counter() - started:.0f} s")


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def seed(n: int, *, log=print, now: datetime | None = None) -> int:
    """Make sure there are at least `n` cases; returns how many were added."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_volume schrijft met COPY en werkt alleen op PostgreSQL.")
    region = ensure_region()
    have = Case.objects.count()
    missing = max(0, n - have)
    if missing >= BULK:
        with transaction.atomic(), connection.cursor() as cursor:
            _drop_indexes(cursor)
    generator = Generator(region, now or timezone.now())
    superuser = _is_superuser()
    started = time.perf_counter()
    done = 0
    while done < missing:
        size = min(BATCH, missing - done)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            if superuser:
                # As pg_restore --disable-triggers does: no per-row foreign-key checks at commit (the
                # generator makes every reference itself) and no row triggers; their sums are made at the end.
                cursor.execute("SET LOCAL session_replication_role = replica")
            ids = _next_ids(cursor, SEEDED_MODELS)
            tables = generator.batch(ids[Case], size, ids)
            for table in tables:
                table.copy(cursor.cursor)
        done += size
        if done == missing or done % (BATCH * 10) == 0:
            rate = done / (time.perf_counter() - started)
            log(f"seed_volume: {have + done} casussen ({done} nieuw, {rate:.0f} casussen/s)")
    with transaction.atomic(), connection.cursor() as cursor:
        _restore_indexes(cursor, log)
    if not done:
        log(f"seed_volume: {have} casussen aanwezig, niets toegevoegd.")
        return 0
    with connection.cursor() as cursor:
        _reset_sequences(cursor, SEEDED_MODELS)
        started = time.perf_counter()
        # The COPY ran without triggers: the dashboard's counts are made once, over everything.
        cursor.execute("SELECT deadlines_dashboard_rebuild()")
        log(f"seed_volume: dashboardtellingen opnieuw gemaakt in {time.perf_counter() - started:.0f} s")
        # VACUUM as after any bulk load (pg_restore's advice): the visibility map lets index-only scans
        # skip the rows (the dashboard's live part reads one). Not possible inside a transaction (tests).
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for model in [*SEEDED_MODELS, DashboardTally]:
            cursor.execute(f'{analyze} "{model._meta.db_table}"')
    return done

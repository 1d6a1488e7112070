"""The rows of a batch of synthetic cases, as COPY text: per case the youth and family, the case, the intake
rows, a timeline, the deadlines as the engine would have left them and, for some, the JW315 that was sent.
Ids are handed out here, so the rows of one case point at each other without a round trip; one random
generator per batch, seeded with the batch's first id, so a batch is the same every time."""

import hashlib
import itertools
import random
import uuid
from datetime import UTC, datetime, timedelta

from deadlines.models import Deadline, DeadlineWarning
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

from .population import FIRST_NAMES, HULPVORMEN, IN_CARE, LAST_NAMES, PHASE_OF, ROUTES, STAGES, STREETS
from .region import Region
from .tables import Table, Tables

SEEDED_MODELS = [Gezin, Jeugdige, Case, CaseEvent, Ipva, Aanmeldgesprek, AanmeldtafelAdvies, Deadline]
SEEDED_MODELS += [DeadlineWarning, Message]
DAY = timedelta(days=1)


def _bsn(n: int) -> str:
    """A valid BSN (elfproef) made from a counter: 8 digits, then the check digit that fits, or the next."""
    while True:
        digits = f"{n % 10**8:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check < 10:
            return digits + str(check)
        n += 1


def _jw315_content() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<iJw:Bericht xmlns:iJw="http://www.istandaarden.nl/ijw/3_2/jw315/'
        b'schema"><iJw:Header><iJw:BerichtCode>439</iJw:BerichtCode><iJw:BerichtVersie>3</iJw:BerichtVersie>'
        b"<iJw:BerichtSubversie>2</iJw:BerichtSubversie></iJw:Header><iJw:Client>"
        + b"<iJw:Naam>synthetisch</iJw:Naam>" * 20
        + b"</iJw:Client></iJw:Bericht>"
    )


# --- Cases -------------------------------------------------------------------------------------------


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
        tables = Tables()
        maker = _CaseRows(self, random.Random(index), tables, ids, sweep_run=uuid.uuid4())
        for k in range(n):
            maker.make(index + k)
        return tables.all()


class _CaseRows:
    """Writes the rows of one case after another into the batch's tables. The draws from the batch's random
    generator come in a fixed order (each step below in turn), so the same batch gives the same rows."""

    def __init__(self, generator: Generator, rnd: random.Random, tables: Tables, ids: dict, sweep_run):
        self.g, self.r, self.rnd, self.t, self.ids, self.sweep_run = (
            generator,
            generator.r,
            rnd,
            tables,
            ids,
            sweep_run,
        )
        self.now = generator.now

    def _next(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    def make(self, seq: int) -> None:
        self._who()
        self._when()
        self._youth(seq)
        self._steps()
        self._case_row()
        self.ev = {}  # event kind -> (id, moment)
        self._opening_events()
        if self.phase == "concept":
            return
        self._intake_events()
        self._care_events()
        self._end_events()
        self._opened_deadlines()
        self._plan_deadlines()

    # --- Who and when ---------------------------------------------------------------------------------

    def _who(self) -> None:
        g, r, rnd = self.g, self.r, self.rnd
        self.stage = rnd.choices(g.stage_names, cum_weights=g.stage_cum)[0]
        self.phase = PHASE_OF.get(self.stage, self.stage)
        self.route, self.verwijzer_type, _ = rnd.choices(ROUTES, cum_weights=g.route_cum)[0]
        self.gem_id, self.cbs, team_id, team_users = rnd.choices(r.gemeenten, cum_weights=g.gemeente_cum)[0]
        self.toegang_user = rnd.choice(team_users) if team_users else None
        self.aanmeldpunt = rnd.choice(r.aanmeldpunt_users)
        self.by_toegang = self.route == "toegang" and self.toegang_user is not None
        self.creator, self.creator_org = (
            (self.toegang_user, team_id) if self.by_toegang else (self.aanmeldpunt, r.crossroads)
        )

    def _when(self) -> None:
        rnd = self.rnd
        # When: intake cases recent, cases in care months back, ended ones up to three years back.
        self.intake = self.stage in ("concept", "aanmeld", "gepland", "gehouden", "advies")
        if self.intake:
            self.span = rnd.randint(6, 50)
        elif self.phase in ("hulpverlenend", "crisis", "afrondend"):
            self.span = rnd.randint(40, 700)
        else:
            self.span = rnd.randint(40, 1100)
        aangemeld = self.aangemeld = self.g.today - self.span * DAY
        back = rnd.randint(1, 20)
        self.t1 = datetime(
            aangemeld.year, aangemeld.month, aangemeld.day, 8 + rnd.randint(0, 8), rnd.randint(0, 59), tzinfo=UTC
        )
        self.t0 = self.t1 - back * DAY - timedelta(hours=1)

    def _youth(self, seq: int) -> None:
        rnd = self.rnd
        gid, jid, self.cid = self._next(Gezin), self._next(Jeugdige), self._next(Case)
        self.jid = jid
        self.tv, self.an = rnd.choice(LAST_NAMES)
        self.age = rnd.randint(4, 17)
        self.born = self.aangemeld - timedelta(days=self.age * 365 + rnd.randint(0, 364))
        bsn_status = rnd.choices(["normaal", "geen_bsn", "geheim"], [96, 3, 1])[0]
        self.t.gezinnen.add(gid, self.g.uuid(rnd), self.an, self.t0)
        self.voornaam = rnd.choice(FIRST_NAMES)
        self.t.jeugdigen.add(
            jid,
            gid,
            bsn_status,
            _bsn(10_000_000 + seq * 7) if bsn_status == "normaal" else "",
            self.voornaam,
            self.tv,
            self.an,
            self.born,
            rnd.choice("12"),
            rnd.choice(STREETS),
            str(rnd.randint(1, 200)),
            f"{rnd.randint(1000, 9999)} {rnd.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rnd.choice('ABCDEGHJKLMNPRSTVWXZ')}",
            f"Plaats {self.cbs}",
            "NL",
            "1",
            "[]",
        )

    def _steps(self) -> None:
        """The steps and when they happened."""
        rnd, now, stage, t1 = self.rnd, self.now, self.stage, self.t1
        self.urgent = rnd.random() < 0.08
        self.partner_id, self.agb, self.regie_users = rnd.choice(self.r.partners)
        self.in_care = stage in IN_CARE or stage == "advies"
        self.advised_s1 = stage != "terugverwezen"
        in_partner_phase = self.phase in ("hulpverlenend", "crisis", "afrondend", "afgesloten")
        self.regie_org = self.partner_id if in_partner_phase else None
        self.held = t1 + (min(rnd.randint(3, 20), self.span - 4) if self.intake else rnd.randint(3, 20)) * DAY
        self.advies_at = self.held + (1 if self.intake else rnd.randint(1, 10)) * DAY
        self.start_care = self.advies_at + rnd.randint(1, 5) * DAY
        self.zorg = self.start_care + rnd.randint(3, 40) * DAY
        self.beschikking = self.zorg + rnd.randint(0, 30) * DAY
        self.reached = {
            "gepland": stage not in ("concept", "aanmeld"),
            "held": stage not in ("concept", "aanmeld", "gepland", "voortijdig"),
            "advies": stage not in ("concept", "aanmeld", "gepland", "gehouden", "voortijdig"),
            "care": stage in ("hulpverlenend", "crisis", "afrondend", "afgesloten"),
        }
        self.zorg_gestart = self.reached["care"] and (self.zorg < now) and rnd.random() < 0.9
        self.beschikt = self.zorg_gestart and self.beschikking < now and rnd.random() < 0.9
        self.ended = self._ended()

    def _ended(self):
        rnd, now = self.rnd, self.now
        if self.stage in ("terugverwezen",):
            return self.advies_at + DAY
        if self.stage == "afgesloten":
            ended = max(self.beschikking, self.zorg) + rnd.randint(60, 400) * DAY
            return now - rnd.randint(1, 20) * DAY if ended > now else ended
        if self.stage == "voortijdig":
            ended = self.t1 + rnd.randint(2, 30) * DAY
            return now - DAY if ended > now else ended
        return None

    def _case_row(self) -> None:
        rnd, route, verwijzer_type, ended, phase = self.rnd, self.route, self.verwijzer_type, self.ended, self.phase
        regie_org, toegang_user, in_care, zorg = self.regie_org, self.toegang_user, self.in_care, self.zorg
        self.t.cases.add(
            self.cid,
            self.g.uuid(rnd),
            self.jid,
            self.gem_id,
            route,
            verwijzer_type,
            "Verwijzer " + ("Toegang" if route == "toegang" else verwijzer_type),
            "",
            "01123456" if verwijzer_type in ("huisarts", "jeugdarts") else "",
            toegang_user if self.by_toegang else None,
            self.urgent,
            "Acuut risico voor de ontwikkeling." if self.urgent else "",
            "Hulpvraag van de jeugdige en het gezin.",
            phase,
            self.aangemeld if phase != "concept" else None,
            regie_org,
            self.t1 + 2 * DAY if in_care and route in ("medisch_domein", "overgangsclient") else None,
            rnd.choice(self.regie_users) if regie_org and self.regie_users and rnd.random() < 0.85 else None,
            toegang_user if regie_org and toegang_user and rnd.random() < 0.7 else None,
            in_care,
            in_care,
            ended.date() if ended and phase == "afgesloten" else None,
            zorg.date() if self.zorg_gestart else None,
            "",
            "" if self.advised_s1 else rnd.choice("234"),
            "geen_hulpvraag" if self.stage == "voortijdig" else "",
            self.creator,
            self.creator_org,
            self.t0,
            ended or (zorg if self.zorg_gestart else self.t1),
            self.voornaam.upper(),
            self.tv.upper(),
            self.an.upper(),
        )

    # --- Timeline ---------------------------------------------------------------------------------------

    def _event(self, kind, at, actor, role, frm="", to="", payload="{}") -> int:
        eid = self._next(CaseEvent)
        self.t.events.add(eid, self.cid, kind, at, actor, role, frm, to, "", payload)
        self.ev[kind] = (eid, at)
        return eid

    def _opening_events(self) -> None:
        event, t0, toegang_user = self._event, self.t0, self.toegang_user
        self.creator_role = "toegang_medewerker" if self.by_toegang else "aanmeldpunt"
        event("aangemaakt", t0, self.creator, self.creator_role, "", "concept")
        if self.by_toegang:
            ipva = self._next(Ipva)
            analyse = ("Analyse.",) * 5
            self.t.ipvas.add(ipva, self.cid, *analyse, toegang_user, t0)
            event("ipva_bijgewerkt", t0 + timedelta(hours=1), toegang_user, "toegang_medewerker")

    def _intake_events(self) -> None:
        event, rnd, aanmeldpunt, reached, held = self._event, self.rnd, self.aanmeldpunt, self.reached, self.held
        event("aangemeld", self.t1, self.creator, self.creator_role, "concept", "aanmeld")
        if reached["gepland"]:
            self.t.gesprekken.add(
                self._next(Aanmeldgesprek),
                self.cid,
                held,
                "Crossroads, Tilburg",
                True,
                True,
                held if reached["held"] else None,
                "jeugdige, ouders, verwijzer" if reached["held"] else "",
                "Verslag van het gesprek." if reached["held"] else "",
                aanmeldpunt,
            )
            event("aanmeldgesprek_gepland", self.t1 + DAY, aanmeldpunt, "aanmeldpunt")
        if reached["held"]:
            event("aanmeldgesprek_gehouden", held, aanmeldpunt, "aanmeldpunt")
        if reached["advies"]:
            advised_s1, advies_at = self.advised_s1, self.advies_at
            self.t.adviezen.add(
                self._next(AanmeldtafelAdvies),
                self.cid,
                advies_at.date(),
                advised_s1,
                self.partner_id if advised_s1 else None,
                rnd.choice(HULPVORMEN) if advised_s1 else "",
                "" if advised_s1 else rnd.choice("234"),
                "",
                "Weer naar school; rust thuis." if advised_s1 else "",
                None if advised_s1 else advies_at.date(),
                aanmeldpunt,
                advies_at,
            )
            event("advies_vastgelegd", advies_at, aanmeldpunt, "aanmeldpunt")
        if self.stage == "terugverwezen":
            event("terugverwezen", self.ended, aanmeldpunt, "aanmeldpunt", "aanmeld", "terugverwezen")

    def _care_events(self) -> None:
        event, aanmeldpunt, start_care = self._event, self.aanmeldpunt, self.start_care
        if self.reached["care"]:
            event("hulpverlening_gestart", start_care, aanmeldpunt, "aanmeldpunt", "aanmeld", "hulpverlenend")
            if self.route in ("toegang", "lta", "overgangsclient") and self.rnd.random() < 0.5:
                mid = self._jw315()
                event("jw315_verzonden", start_care, aanmeldpunt, "aanmeldpunt", payload=f'{{"message": {mid}}}')
        if self.zorg_gestart:
            event("zorg_gestart", self.zorg, None, "regievoerder")
        if self.beschikt:
            event("beschikking_afgegeven", self.beschikking, aanmeldpunt, "aanmeldpunt")

    def _jw315(self) -> int:
        mid, cid, start_care = self._next(Message), self.cid, self.start_care
        self.t.messages.add(
            mid,
            self.g.uuid(self.rnd),
            "jw315",
            "naar_gemeente",
            self.agb,
            self.cbs,
            f"{mid:012d}",
            start_care.date(),
            self.gem_id,
            self.partner_id,
            cid,
            self.g.content,
            self.g.sha,
            "synthetisch",
            f"S1-{cid:06d}-001",
            f"Verzoek om toewijzing voor S1-{cid:06d}",
            "geaccepteerd",
            False,
            False,
            self.aanmeldpunt,
            start_care,
        )
        return mid

    def _end_events(self) -> None:
        event, stage, ended, now = self._event, self.stage, self.ended, self.now
        if stage == "crisis":
            event("crisis_gemeld", now - self.rnd.randint(1, 30) * DAY, None, "regievoerder", "hulpverlenend", "crisis")
        if stage in ("afrondend", "afgesloten"):
            event("afronding_gestart", (ended or now) - 10 * DAY, None, "regievoerder", "hulpverlenend", "afrondend")
        if stage == "afgesloten":
            event("afgesloten", ended, None, "regievoerder", "afrondend", "afgesloten")
        if stage == "voortijdig":
            event("voortijdig_beeindigd", ended, self.aanmeldpunt, "aanmeldpunt", "aanmeld", "afgesloten")

    # --- Deadlines, as the engine would have left them ----------------------------------------------------

    def _deadline(self, rule_id, start_id, started, due, remind, met_event, met_at, breached_at, state, outcome):
        did = self._next(Deadline)
        self.t.deadlines.add(
            did, rule_id, self.cid, start_id, met_event, started, due, due, remind, met_at, breached_at,
            state, outcome, None, "", "0", False, "", "", *self.dims,
        )  # fmt: skip
        if state == "breached":
            self.t.warnings.add(self._next(DeadlineWarning), did, "breach", breached_at, self.sweep_run)

    def _unmet_state(self, due) -> tuple[str, datetime | None]:
        """A deadline not met: lapsed when its case ended, else mostly swept already (breached, with its
        warning) once past due; the rest is overdue but not swept yet, or still running."""
        if self.case_ended is not None:
            return "lapsed", None
        if due < self.now and self.rnd.random() < 0.9:
            return "breached", due + timedelta(minutes=5)
        return "open", None

    def _opened_deadlines(self) -> None:
        """The deadlines the aanmelding opened (and the start of care)."""
        phase, now, ev = self.phase, self.now, self.ev
        ended_phase = phase in ("terugverwezen", "afgesloten")
        self.case_ended = self.ended if ended_phase else None
        self.dims = (self.gem_id, self.regie_org, 2 if ended_phase else 0 if phase == "concept" else 1)
        plans = [
            ("aanmeldgesprek", "aangemeld", "aanmeldgesprek_gehouden"),
            ("start-jeugdhulp", "aangemeld", "zorg_gestart"),
            ("beschikking", "aangemeld", "beschikking_afgegeven"),
        ]
        if self.zorg_gestart:
            plans.append(("start-melden", "zorg_gestart", None))
        for code, start_kind, met_kind in plans:
            rule = self.r.rules.get(code)
            if rule is None or start_kind not in ev:
                continue
            rule_id, amount, unit = rule
            start_id, started = ev[start_kind]
            length = {"weeks": 7 * amount, "working_days": amount * 7 // 5 + 1, "days": amount}.get(unit, 30)
            due = started + length * DAY
            met = ev.get(met_kind) if met_kind else None
            if code == "start-melden":  # the JW305: sent, mostly on time
                met = (start_id, started + self.rnd.randint(0, 9) * DAY) if self.rnd.random() < 0.95 else None
                if met and met[1] > now:
                    met = None
            met_event, met_at, breached_at, outcome = None, None, None, ""
            if met and met[1] <= now:
                met_event, met_at = (met[0] if met_kind else None), met[1]
                state, outcome = "met", "on_time" if met_at <= due else "late"
            else:
                state, breached_at = self._unmet_state(due)
            self._deadline(
                rule_id, start_id, started, due, due - 3 * DAY, met_event, met_at, breached_at, state, outcome
            )

    def _plan_deadlines(self) -> None:
        """The perspectiefplan 18-/18+ for youths in care before their 16th birthday: due at 16 and at 17.5,
        open for years; most of the open deadlines of the region are these."""
        if not (self.reached["care"] and self.age < 15 and "hulpverlening_gestart" in self.ev):
            return
        start_id, started = self.ev["hulpverlening_gestart"]
        born = self.born
        for code, months in (("perspectiefplan-start", 192), ("perspectiefplan-gereed", 210)):
            rule = self.r.rules.get(code)
            if rule is None:
                continue
            due = datetime(born.year, born.month, born.day, tzinfo=UTC) + months * 30.44 * DAY
            state, breached_at = self._unmet_state(due)
            self._deadline(rule[0], start_id, started, due, due - 60 * DAY, None, None, breached_at, state, "")

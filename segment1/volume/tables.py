"""The rows of a batch as COPY text: one Table per seeded table, its columns in the order the generator
writes them."""

import io

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


class Tables:
    """The tables of one batch, in the order they are copied."""

    def __init__(self):
        self.gezinnen = Table(Gezin, ["id", "public_id", "naam", "created_at"])
        self.jeugdigen = Table(
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
                "land",
                "segment",
                "producten",
            ],
        )
        self.cases = Table(
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
        self.events = Table(
            CaseEvent,
            ["id", "case_id", "kind", "at", "actor_id", "actor_role", "from_phase", "to_phase", "reason", "payload"],
        )
        self.ipvas = Table(
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
        self.gesprekken = Table(
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
        self.adviezen = Table(
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
        self.deadlines = Table(
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
        self.warnings = Table(DeadlineWarning, ["id", "deadline_id", "kind", "created_at", "sweep_run"])
        self.messages = Table(
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
                "duplicate",
                "created_by_id",
                "created_at",
            ],
        )

    def all(self) -> list[Table]:
        return [
            self.gezinnen,
            self.jeugdigen,
            self.cases,
            self.events,
            self.ipvas,
            self.gesprekken,
            self.adviezen,
            self.messages,
            self.deadlines,
            self.warnings,
        ]

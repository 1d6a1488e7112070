"""The dashboard's counts, kept by PostgreSQL triggers (ADR 0015, docs/performance.md).

1. Each deadline carries its case's gemeente, regievoerende partner and stage (0 concept, 1 open, 2 ended)
   in three columns outside the Django model (dash_gemeente_id, dash_partner_id, dash_stage): filled from
   the case on insert (the case row is read FOR SHARE, so a concurrent change of the case waits for this
   transaction, whose deadlines it then updates), and updated on all deadlines of a case when one of the
   three changes on the case.
2. Every statement that writes deadlines adds its change to deadlines_dashboardtally, as the facts of the
   new rows (+1) less those of the old rows (-1), from the statement's transition tables: set-based, one
   INSERT per statement whatever its rows, and append-only, so writers never wait on each other's counts.
3. The rows are written in the order the dashboard reads them (kind, month), so a read touches few pages.
   deadlines_dashboard_rebuild() counts everything anew (used here and after a bulk load);
   deadlines_dashboard_compact() folds the rows into one per key (a nightly task calls it).
PostgreSQL only; elsewhere the dashboard counts the deadlines themselves.
"""

from django.db import migrations, models

AMS = "'Europe/Amsterdam'"
OPEN_PHASES = "('aanmeld', 'hulpverlenend', 'crisis', 'afrondend')"
END_PHASES = "('terugverwezen', 'afgesloten')"
TALLY = "deadlines_dashboardtally"
KEYS = "kind, rule_id, gemeente_id, partner_id, stage, month, days"
# The lead times the dashboard reports: rules that start at the aanmelding and end at one of these steps.
LEAD_STEPS = "('aanmeldgesprek_gehouden', 'zorg_gestart', 'beschikking_afgegeven')"

# The facts of the deadline rows in {src}, each with its on-time count: what each row contributes.
# - settled: met or breached, by rule, gemeente, partner and the month of the settle moment;
# - lead, lead_g, lead_p: a lead time met, by rule, month met and days taken; per gemeente and partner
#   ('lead', read when the view is narrowed to a gemeente or partner), per gemeente ('lead_g') and per
#   partner ('lead_p') (read for all of them: a third of the rows of 'lead' at national size);
# - open, breached: the current state, by rule, gemeente, partner and stage.
FACTS = f"""
SELECT 'settled'::varchar AS kind, d.rule_id, d.dash_gemeente_id AS gemeente_id, d.dash_partner_id AS partner_id,
       NULL::smallint AS stage,
       date_trunc('month', (CASE WHEN d.outcome = 'on_time' THEN d.met_at ELSE d.due_at END) AT TIME ZONE {AMS})::date
           AS month,
       NULL::integer AS days, (d.outcome = 'on_time')::integer AS on_time
  FROM {{src}} d WHERE d.state IN ('met', 'breached') AND d.dash_stage <> 0
UNION ALL
SELECT k.kind, d.rule_id,
       CASE WHEN k.kind <> 'lead_p' THEN d.dash_gemeente_id END, CASE WHEN k.kind <> 'lead_g' THEN d.dash_partner_id END,
       NULL, date_trunc('month', d.met_at AT TIME ZONE {AMS})::date,
       (d.met_at AT TIME ZONE {AMS})::date - (d.started_at AT TIME ZONE {AMS})::date, 0
  FROM {{src}} d
  JOIN deadlines_deadlinerule r ON r.id = d.rule_id AND r.start_event = 'aangemeld' AND r.met_by_event IN {LEAD_STEPS}
 CROSS JOIN (VALUES ('lead'), ('lead_g'), ('lead_p')) AS k (kind)
 WHERE d.state = 'met' AND d.dash_stage <> 0
UNION ALL
SELECT d.state, d.rule_id, d.dash_gemeente_id, d.dash_partner_id, d.dash_stage, NULL, NULL, 0
  FROM {{src}} d WHERE d.state IN ('open', 'breached')
"""


def _count(sources) -> str:
    """INSERT the sum of the facts of (relation, sign) pairs, one row per key that changed."""
    union = " UNION ALL ".join(f"SELECT f.*, {sign} AS sign FROM ({FACTS.format(src=src)}) f" for src, sign in sources)
    return (
        f"INSERT INTO {TALLY} ({KEYS}, n, on_time) SELECT {KEYS}, sum(sign), sum(sign * on_time) FROM ({union}) x "
        f"GROUP BY {KEYS} HAVING sum(sign) <> 0 OR sum(sign * on_time) <> 0 ORDER BY kind, month, gemeente_id"
    )


CREATE = [
    "ALTER TABLE deadlines_deadline ADD COLUMN IF NOT EXISTS dash_gemeente_id integer, "
    "ADD COLUMN IF NOT EXISTS dash_partner_id integer, ADD COLUMN IF NOT EXISTS dash_stage smallint",
    f"""CREATE OR REPLACE FUNCTION deadlines_case_stage(phase text) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
        SELECT (CASE WHEN phase IN {OPEN_PHASES} THEN 1 WHEN phase IN {END_PHASES} THEN 2 ELSE 0 END)::smallint $$""",
    """UPDATE deadlines_deadline d SET dash_gemeente_id = c.gemeente_id, dash_partner_id = c.regie_organisatie_id,
        dash_stage = deadlines_case_stage(c.phase) FROM referrals_case c WHERE c.id = d.case_id AND d.dash_stage IS NULL""",
    """CREATE OR REPLACE FUNCTION deadlines_fill_case_dims() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        SELECT c.gemeente_id, c.regie_organisatie_id, deadlines_case_stage(c.phase)
          INTO NEW.dash_gemeente_id, NEW.dash_partner_id, NEW.dash_stage
          FROM referrals_case c WHERE c.id = NEW.case_id FOR SHARE;
        RETURN NEW; END $$""",
    "CREATE TRIGGER deadlines_deadline_case_dims BEFORE INSERT OR UPDATE OF case_id ON deadlines_deadline "
    "FOR EACH ROW EXECUTE FUNCTION deadlines_fill_case_dims()",
    """CREATE OR REPLACE FUNCTION deadlines_follow_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE deadlines_deadline SET dash_gemeente_id = NEW.gemeente_id, dash_partner_id = NEW.regie_organisatie_id,
               dash_stage = deadlines_case_stage(NEW.phase)
         WHERE case_id = NEW.id;
        RETURN NULL; END $$""",
    "CREATE TRIGGER referrals_case_dashboard_dims AFTER UPDATE ON referrals_case FOR EACH ROW WHEN ("
    "OLD.gemeente_id IS DISTINCT FROM NEW.gemeente_id "
    "OR OLD.regie_organisatie_id IS DISTINCT FROM NEW.regie_organisatie_id "
    "OR deadlines_case_stage(OLD.phase) <> deadlines_case_stage(NEW.phase)) "
    "EXECUTE FUNCTION deadlines_follow_case()",
    f"""CREATE OR REPLACE FUNCTION deadlines_dashboard_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP = 'INSERT' THEN {_count([("new_rows", 1)])};
        ELSIF TG_OP = 'DELETE' THEN {_count([("old_rows", -1)])};
        ELSE {_count([("new_rows", 1), ("old_rows", -1)])};
        END IF;
        RETURN NULL; END $$""",
    "CREATE TRIGGER deadlines_deadline_count_insert AFTER INSERT ON deadlines_deadline "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deadlines_dashboard_count()",
    "CREATE TRIGGER deadlines_deadline_count_update AFTER UPDATE ON deadlines_deadline "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION deadlines_dashboard_count()",
    "CREATE TRIGGER deadlines_deadline_count_delete AFTER DELETE ON deadlines_deadline "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deadlines_dashboard_count()",
    f"""CREATE OR REPLACE FUNCTION deadlines_dashboard_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        DELETE FROM {TALLY}; RETURN NULL; END $$""",
    "CREATE TRIGGER deadlines_deadline_count_truncate AFTER TRUNCATE ON deadlines_deadline "
    "FOR EACH STATEMENT EXECUTE FUNCTION deadlines_dashboard_forget()",
    f"""CREATE OR REPLACE FUNCTION deadlines_dashboard_rebuild() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
        LOCK TABLE {TALLY} IN EXCLUSIVE MODE;
        DELETE FROM {TALLY};
        {_count([("deadlines_deadline", 1)])};
        END $$""",
    # Rows already gone from this snapshot's view are skipped by a concurrent compaction; rows a running
    # transaction adds are not visible here and stay as they are: nothing is counted twice or lost.
    # A rule that starts or ends elsewhere now is counted anew (its lead-time facts change with it).
    f"""CREATE OR REPLACE FUNCTION deadlines_dashboard_recount_rule() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        DELETE FROM {TALLY} WHERE rule_id = NEW.id;
        {_count([("(SELECT * FROM deadlines_deadline WHERE rule_id = NEW.id)", 1)])};
        RETURN NULL; END $$""",
    "CREATE TRIGGER deadlines_deadlinerule_recount AFTER UPDATE ON deadlines_deadlinerule FOR EACH ROW WHEN ("
    "OLD.start_event IS DISTINCT FROM NEW.start_event OR OLD.met_by_event IS DISTINCT FROM NEW.met_by_event) "
    "EXECUTE FUNCTION deadlines_dashboard_recount_rule()",
    f"""CREATE OR REPLACE FUNCTION deadlines_dashboard_compact() RETURNS void LANGUAGE sql AS $$
        WITH gone AS (DELETE FROM {TALLY} RETURNING {KEYS}, n, on_time)
        INSERT INTO {TALLY} ({KEYS}, n, on_time) SELECT {KEYS}, sum(n), sum(on_time) FROM gone GROUP BY {KEYS}
        HAVING sum(n) <> 0 OR sum(on_time) <> 0 ORDER BY kind, month, gemeente_id $$""",
    # What the clock alone moves (running and due by the end of the week: late but not swept yet, or due
    # this week) is read live off this index, without visiting the rows.
    "CREATE INDEX IF NOT EXISTS deadline_running_due ON deadlines_deadline (due_at) "
    "INCLUDE (rule_id, dash_stage, dash_gemeente_id, dash_partner_id) WHERE state = 'open' AND paused_at IS NULL",
    "SELECT deadlines_dashboard_rebuild()",
]

DROP = [
    "DROP INDEX IF EXISTS deadline_running_due",
    "DROP TRIGGER IF EXISTS deadlines_deadline_count_truncate ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadlines_deadline_count_delete ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadlines_deadline_count_update ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadlines_deadline_count_insert ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS referrals_case_dashboard_dims ON referrals_case",
    "DROP TRIGGER IF EXISTS deadlines_deadline_case_dims ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadlines_deadlinerule_recount ON deadlines_deadlinerule",
    "DROP FUNCTION IF EXISTS deadlines_dashboard_recount_rule()",
    "DROP FUNCTION IF EXISTS deadlines_dashboard_compact()",
    "DROP FUNCTION IF EXISTS deadlines_dashboard_rebuild()",
    "DROP FUNCTION IF EXISTS deadlines_dashboard_forget()",
    "DROP FUNCTION IF EXISTS deadlines_dashboard_count()",
    "DROP FUNCTION IF EXISTS deadlines_follow_case()",
    "DROP FUNCTION IF EXISTS deadlines_fill_case_dims()",
    "DROP FUNCTION IF EXISTS deadlines_case_stage(text)",
    "ALTER TABLE deadlines_deadline DROP COLUMN IF EXISTS dash_gemeente_id, DROP COLUMN IF EXISTS dash_partner_id, "
    "DROP COLUMN IF EXISTS dash_stage",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0007_dashboard_generation"),
        ("referrals", "0009_case_list_and_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DashboardTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("rule_id", models.IntegerField()),
                ("gemeente_id", models.IntegerField(null=True)),
                ("partner_id", models.IntegerField(null=True)),
                ("stage", models.SmallIntegerField(null=True)),
                ("month", models.DateField(null=True)),
                ("days", models.IntegerField(null=True)),
                ("n", models.IntegerField()),
                ("on_time", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "dashboardtelling",
                "verbose_name_plural": "dashboardtellingen",
                "indexes": [
                    models.Index(fields=["kind", "month"], name="dashboard_tally_kind_month"),
                    models.Index(fields=["gemeente_id", "kind"], name="dashboard_tally_gemeente"),
                    models.Index(fields=["partner_id", "kind"], name="dashboard_tally_partner"),
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]

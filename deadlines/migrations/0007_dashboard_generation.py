"""A generation number for the dashboard's cache (docs/performance.md, ADR 0014).

Any statement that writes deadlines, cases or deadline rules takes the next value of the sequence
deadlines_dashboard_generation (statement-level triggers: one nextval per statement, whatever its rows;
a sequence, not a counter row, so concurrent writers never wait on each other). The dashboard keeps its
figures under the current value, so a write anywhere, in any process, makes the next page compute anew.
PostgreSQL only; elsewhere (the demo's SQLite) the dashboard computes every time.
"""

from django.db import migrations

TABLES = ["deadlines_deadline", "deadlines_deadlinerule", "referrals_case"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS deadlines_dashboard_generation")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION deadlines_dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM nextval('deadlines_dashboard_generation'); RETURN NULL; END $$"
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_dashboard_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION deadlines_dashboard_bump()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_dashboard_bump ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS deadlines_dashboard_bump()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS deadlines_dashboard_generation")


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0006_remaining_default_rules"),
        ("referrals", "0007_beschikking_and_perspectiefplan"),
    ]

    operations = [migrations.RunPython(create, drop)]

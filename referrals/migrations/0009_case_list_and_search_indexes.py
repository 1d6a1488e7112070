"""Indexes for national-size data (docs/performance.md, ADR 0014).

- case_list_order matches the case list's ORDER BY (-urgent, -aanmelddatum, -id), so its first page is
  read off the index instead of sorting every visible case.
- Search by name (selectors.search_cases) filters on UPPER(voornaam/achternaam) LIKE '%word%' and
  UPPER(tussenvoegsel) = 'WORD': trigram GIN indexes (pg_trgm) on the first two and a b-tree on the third
  let PostgreSQL find the matches without reading every youth. They exist on PostgreSQL only (the demo's
  SQLite has no GIN), so they are made with SQL here and kept out of the model state.
"""

from django.db import migrations, models

SEARCH_INDEXES = [
    "CREATE INDEX IF NOT EXISTS jeugdige_voornaam_trgm ON referrals_jeugdige "
    "USING gin ((UPPER(voornaam::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS jeugdige_achternaam_trgm ON referrals_jeugdige "
    "USING gin ((UPPER(achternaam::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS jeugdige_tussenvoegsel_upper ON referrals_jeugdige (UPPER(tussenvoegsel::text))",
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in SEARCH_INDEXES:
        schema_editor.execute(sql)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("jeugdige_voornaam_trgm", "jeugdige_achternaam_trgm", "jeugdige_tussenvoegsel_upper"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0008_letters_and_document_jobs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-urgent", "-aanmelddatum", "-id"], name="case_list_order"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]

"""The youth's names on the case row, for search at national size (docs/performance.md, ADR 0015).

Search by name (selectors.search_cases) matched UPPER(voornaam/achternaam) LIKE '%word%' on the youth
and then joined the matches with the cases the user may see: at 1,000,000 cases a common name (15,000
Jansens) against a gemeente's 54,000 cases read some 36,000 pages. With the names on the case itself the
name's trigram bitmap and the visibility's bitmap (gemeente, verwijzer) are intersected before a row is
read. The three columns are outside the Django model, uppercased copies kept by triggers: filled from the
youth when a case is inserted or moved to another youth (the youth row read FOR SHARE, so a concurrent
change of the names waits and then updates this case too), and updated on every case of a youth whose
names change. PostgreSQL only; elsewhere search matches the youth's own columns.
"""

from django.db import migrations

CREATE = [
    "ALTER TABLE referrals_case ADD COLUMN IF NOT EXISTS zoek_voornaam text, "
    "ADD COLUMN IF NOT EXISTS zoek_tussenvoegsel text, ADD COLUMN IF NOT EXISTS zoek_achternaam text",
    """UPDATE referrals_case c SET zoek_voornaam = UPPER(j.voornaam), zoek_tussenvoegsel = UPPER(j.tussenvoegsel),
        zoek_achternaam = UPPER(j.achternaam) FROM referrals_jeugdige j WHERE j.id = c.jeugdige_id""",
    """CREATE OR REPLACE FUNCTION referrals_case_search_names() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        SELECT UPPER(j.voornaam), UPPER(j.tussenvoegsel), UPPER(j.achternaam)
          INTO NEW.zoek_voornaam, NEW.zoek_tussenvoegsel, NEW.zoek_achternaam
          FROM referrals_jeugdige j WHERE j.id = NEW.jeugdige_id FOR SHARE;
        RETURN NEW; END $$""",
    "CREATE TRIGGER referrals_case_search_names BEFORE INSERT OR UPDATE OF jeugdige_id ON referrals_case "
    "FOR EACH ROW EXECUTE FUNCTION referrals_case_search_names()",
    """CREATE OR REPLACE FUNCTION referrals_jeugdige_search_names() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE referrals_case SET zoek_voornaam = UPPER(NEW.voornaam), zoek_tussenvoegsel = UPPER(NEW.tussenvoegsel),
               zoek_achternaam = UPPER(NEW.achternaam)
         WHERE jeugdige_id = NEW.id;
        RETURN NULL; END $$""",
    "CREATE TRIGGER referrals_jeugdige_search_names AFTER UPDATE ON referrals_jeugdige FOR EACH ROW WHEN ("
    "OLD.voornaam IS DISTINCT FROM NEW.voornaam OR OLD.tussenvoegsel IS DISTINCT FROM NEW.tussenvoegsel "
    "OR OLD.achternaam IS DISTINCT FROM NEW.achternaam) EXECUTE FUNCTION referrals_jeugdige_search_names()",
    "CREATE INDEX IF NOT EXISTS case_zoek_voornaam_trgm ON referrals_case USING gin (zoek_voornaam gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS case_zoek_achternaam_trgm ON referrals_case USING gin (zoek_achternaam gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS case_zoek_tussenvoegsel ON referrals_case (zoek_tussenvoegsel)",
]

DROP = [
    "DROP TRIGGER IF EXISTS referrals_jeugdige_search_names ON referrals_jeugdige",
    "DROP TRIGGER IF EXISTS referrals_case_search_names ON referrals_case",
    "DROP FUNCTION IF EXISTS referrals_jeugdige_search_names()",
    "DROP FUNCTION IF EXISTS referrals_case_search_names()",
    "ALTER TABLE referrals_case DROP COLUMN IF EXISTS zoek_voornaam, DROP COLUMN IF EXISTS zoek_tussenvoegsel, "
    "DROP COLUMN IF EXISTS zoek_achternaam",
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
        ("referrals", "0009_case_list_and_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]

"""Synthetic national-size data for the benchmark (`manage.py seed_volume`, `manage.py bench`).

Cases over all routes and phases, with their youth and family, the intake rows, a timeline, deadlines
(open, met on time or late, breached with their warning, lapsed) and, for some, the JW315 that was sent.
The rows are written with PostgreSQL COPY (tab-separated text made in memory, `rows.py`), one batch of cases
per transaction, with ids given here so the rows of one case can point at each other without a round trip.

Resumable: `seed(n)` counts the cases already there and adds only the missing ones; an interrupted
batch rolls back as a whole. The organisations of the regio fixture are reused, ~330 synthetic gemeenten
(with a Toegang team each) make it national, and a few users per organisation are added once (`region.py`).
This module loads them.
"""

import time
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from deadlines.models import DashboardTally
from referrals.models import Case

from .region import BENCH_USERS, Region, ensure_region
from .rows import SEEDED_MODELS, Generator
from .tables import Table

__all__ = ["BATCH", "BENCH_USERS", "BULK", "SEEDED_MODELS", "Generator", "Region", "Table", "ensure_region", "seed"]

BATCH = 10_000


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

"""The scale benchmark (`manage.py bench`, `make bench`): pages, the deadline sweep and JW315 throughput on
the data of segment1.volume, each beside the same work at its limit.

- Pages are requested in this process with Django's test Client (the whole stack: middleware, selectors,
  templates, the access log); after a warm-up, `runs` timed requests give the median and the 95th
  percentile. One more request with CaptureQueriesContext gives the number of queries and their SQL; that
  SQL, run bare through a cursor (in a transaction that is rolled back), is the page's limit. A request
  under tracemalloc gives the peak of Python memory it allocated.
- The sweep (deadlines.sweep.run_sweep) runs in a transaction that is rolled back after each run, so every
  run sees the same overdue deadlines; its limit is one hand-written UPDATE marking them breached.
- JW315: built with the app's builder (pre-checks, XSD, rules, bytes) against the same document built
  with bare lxml and validated against the same compiled XSD.
"""

import json
import os
import platform
import re
import resource
import statistics
import time
import tracemalloc
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from lxml import etree

from accounts.models import User
from deadlines.models import Deadline, DeadlineState
from deadlines.sweep import run_sweep
from referrals.models import Case, Phase

from . import volume

TARGETS = {
    "Casussen (aanmeldpunt)": (0.150, 0.400),
    "Casussen (Toegang)": (0.150, 0.400),
    "Zoeken (aanmeldpunt)": (0.150, 0.400),
    "Zoeken (Toegang)": (0.150, 0.400),
    "Casuspagina": (0.150, None),
    "Dashboard (manager)": (None, None),  # 0.3 s at 100k, 1 s at 1M: set in run()
    "Dashboard (manager, zonder cache)": (None, None),
}
MAX_QUERIES = 15
SEED_TARGET_S = 15 * 60  # 1,000,000 cases (ADR 0014); prorated for other sizes
SLOW, SLOW_RUNS = 2.0, 5
RATIO = 3


class Rollback(Exception):
    pass


def quantiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s) + 0.5) - 1))]
    return statistics.median(s), p95


@dataclass
class Figure:
    name: str
    median_s: float
    p95_s: float
    limit_median_s: float
    ratio: float
    cpu_median_s: float | None = None
    queries: int | None = None
    peak_kib: int | None = None
    target: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)


def _time(fn, runs: int, warmup: int, cpu: list | None = None) -> list[float]:
    """Wall-clock seconds of each run; the process's CPU seconds of each run go to `cpu` when given (the
    CPU is shared with other work: CPU time says what the page costs, wall time what a user waited)."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return out


def _peak(fn) -> int:
    """Peak Python allocation (KiB) while fn runs."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak // 1024


DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.S)


def _bare_sql(sqls: list[str]):
    # A queryset's iterator() runs in a named (server-side) cursor: run its SELECT plainly.
    sqls = [DECLARE.sub("", sql) for sql in sqls]

    def run():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for sql in sqls:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()
                raise Rollback
        except Rollback:
            pass

    return run


def measure_page(name: str, client: Client, urls: list[str], runs: int, warmup: int, before=None) -> Figure:
    i = iter(range(10**9))
    before = before or (lambda: None)

    def get():
        url = urls[next(i) % len(urls)]
        before()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    start = time.perf_counter()
    get()
    if time.perf_counter() - start > SLOW:  # a page of seconds: fewer runs, or the benchmark takes hours
        runs, warmup = min(runs, SLOW_RUNS), 0
    cpu: list[float] = []
    samples = _time(get, runs, warmup, cpu)
    before()
    with CaptureQueriesContext(connection) as ctx:
        client.get(urls[0])
    sqls = [q["sql"] for q in ctx.captured_queries]
    # The same SQL for every url of the page: the bare run repeats the first one's.
    bare = _time(_bare_sql(sqls), runs, warmup)
    before()
    peak = _peak(lambda: client.get(urls[0]))
    median, p95 = quantiles(samples)
    limit = statistics.median(bare)
    return Figure(
        name=name,
        median_s=median,
        p95_s=p95,
        cpu_median_s=statistics.median(cpu),
        limit_median_s=limit,
        ratio=median / limit if limit else float("inf"),
        queries=len(sqls),
        peak_kib=peak,
    )


# The sweep's database work as one statement: mark the overdue deadlines breached, insert the breach and
# reminder warnings not given yet (once, by the unique constraint) and a notification for every recipient
# (the rule's role, narrowed as deadlines.sweep does: the verwijzer, the regie organisation's regievoerders,
# the gemeente's Toegang team or the gemeente itself). No e-mail, no Python per row.
SWEEP_SQL = """
WITH breached AS (
    UPDATE deadlines_deadline SET state = 'breached', breached_at = %(now)s
    WHERE state = 'open' AND paused_at IS NULL AND due_at < %(now)s
    RETURNING id
), due AS (
    SELECT id, 'breach' AS kind FROM breached
    UNION ALL
    SELECT d.id, 'breach' FROM deadlines_deadline d WHERE d.state = 'breached'
        AND NOT EXISTS (SELECT 1 FROM deadlines_deadlinewarning w WHERE w.deadline_id = d.id AND w.kind = 'breach')
    UNION ALL
    SELECT d.id, 'reminder' FROM deadlines_deadline d
    WHERE d.state = 'open' AND d.paused_at IS NULL AND d.remind_at <= %(now)s AND d.due_at >= %(now)s
        AND NOT EXISTS (SELECT 1 FROM deadlines_deadlinewarning w WHERE w.deadline_id = d.id AND w.kind = 'reminder')
), warned AS (
    INSERT INTO deadlines_deadlinewarning (deadline_id, kind, created_at, sweep_run)
    SELECT id, kind, %(now)s, %(run)s FROM due
    ON CONFLICT DO NOTHING
    RETURNING deadline_id, kind
), target AS (
    SELECT w.kind, d.case_id, d.due_at, r.name, r.warn, c.verwijzer_user_id, c.regie_organisatie_id, c.gemeente_id
    FROM warned w
    JOIN deadlines_deadline d ON d.id = w.deadline_id
    JOIN deadlines_deadlinerule r ON r.id = d.rule_id
    JOIN referrals_case c ON c.id = d.case_id
), recipient AS (
    SELECT t.*, u.id AS user_id FROM target t JOIN accounts_user u ON u.id = t.verwijzer_user_id
        WHERE t.warn = 'verwijzer' AND u.is_active
    UNION ALL
    SELECT t.*, u.id FROM target t
        JOIN accounts_user u ON u.role = t.warn AND u.organisation_id = t.regie_organisatie_id
        WHERE t.warn = 'regievoerder' AND u.is_active
    UNION ALL
    SELECT t.*, u.id FROM target t JOIN accounts_organisation o ON o.gemeente_id = t.gemeente_id
        JOIN accounts_user u ON u.role = t.warn AND u.organisation_id = o.id
        WHERE t.warn IN ('toegang_medewerker', 'gedragswetenschapper') AND u.is_active
    UNION ALL
    SELECT t.*, u.id FROM target t JOIN accounts_user u ON u.role = t.warn AND u.organisation_id = t.gemeente_id
        WHERE t.warn IN ('manager_gemeente', 'backoffice') AND u.is_active
    UNION ALL
    SELECT t.*, u.id FROM target t JOIN accounts_user u ON u.role = t.warn
        WHERE t.warn NOT IN ('verwijzer', 'regievoerder', 'toegang_medewerker', 'gedragswetenschapper',
                             'manager_gemeente', 'backoffice') AND u.is_active
)
INSERT INTO deadlines_notification (user_id, case_id, text, created_at)
SELECT user_id, case_id,
    'S1-' || lpad(case_id::text, 6, '0') || ': de termijn ''' || name || ''' '
    || CASE WHEN kind = 'breach' THEN 'is verstreken (uiterlijk ' ELSE 'verloopt op ' END
    || to_char(due_at AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY')
    || CASE WHEN kind = 'breach' THEN ').' ELSE '.' END,
    %(now)s
FROM recipient
"""


def measure_sweep(runs: int) -> Figure:
    now = timezone.now()

    def sweep():
        try:
            with transaction.atomic():
                sweep.result = run_sweep(now)
                raise Rollback
        except Rollback:
            pass

    def bare():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(SWEEP_SQL, {"now": now, "run": uuid.uuid4()})
                bare.rows = cursor.rowcount
                raise Rollback
        except Rollback:
            pass

    cpu: list[float] = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        samples = _time(sweep, runs, 1, cpu)
        peak = _peak(sweep)
    limit = _time(bare, runs, 1)
    open_now = Deadline.objects.filter(state=DeadlineState.OPEN).count()
    median, p95 = quantiles(samples)
    r = sweep.result
    return Figure(
        name="Termijnensweep",
        median_s=median,
        p95_s=p95,
        cpu_median_s=statistics.median(cpu),
        limit_median_s=statistics.median(limit),
        ratio=median / statistics.median(limit),
        peak_kib=peak,
        extra={
            "open_deadlines": open_now,
            "breached_per_run": r.breached,
            "breach_warnings_per_run": r.breach_warnings,
            "reminders_per_run": r.reminders,
            "notifications_per_run": r.notifications,
            "bare_notifications": bare.rows,
        },
    )


def _bare_builder(reference: bytes):
    """A function that builds `reference`'s tree again with bare lxml calls (Element/SubElement/text),
    changing the message number, then validates and serialises it: the floor under build_jw315."""
    root = etree.fromstring(reference)
    plan = []  # (parent index, tag, text, attrib)
    index = {root: 0}
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        index[el] = len(index)
        plan.append((index[el.getparent()], el.tag, el.text if len(el) == 0 else None, dict(el.attrib)))
    root_tag, nsmap = root.tag, root.nsmap

    def build(number: str) -> bytes:
        elements = [etree.Element(root_tag, nsmap=nsmap)]
        for parent, tag, text, attrib in plan:
            el = etree.SubElement(elements[parent], tag, attrib)
            if text is not None:
                el.text = number if tag.endswith("}Identificatie") else text
            elements.append(el)
        return elements[0], etree.tostring(elements[0], xml_declaration=True, encoding="UTF-8")

    return build


def measure_jw315(n: int) -> Figure:
    from messaging.builders import build_jw315, to_bytes
    from messaging.management.commands.bench_messages import samples
    from messaging.schemas import thread_schema

    work = [data for build, data in samples(2 * n) if build is build_jw315]
    to_bytes(build_jw315(work[0]))  # warm-up

    def app():
        for data in work:
            to_bytes(build_jw315(data))

    build = _bare_builder(to_bytes(build_jw315(work[0])))
    schema = thread_schema("jw315")

    def bare():
        for k in range(len(work)):
            root, _ = build(f"{k + 1:012d}")
            if not schema.validate(root):
                raise AssertionError(schema.error_log)

    app_cpu: list[float] = []
    bare_cpu: list[float] = []
    app_s = _time(app, 3, 0, app_cpu)
    bare_s = _time(bare, 3, 1, bare_cpu)
    app_rate = len(work) / statistics.median(app_s)
    bare_rate = len(work) / statistics.median(bare_s)
    # Per CPU second: what one core does, whatever else ran on the machine meanwhile.
    cpu_rate = len(work) / statistics.median(app_cpu)
    bare_cpu_rate = len(work) / statistics.median(bare_cpu)
    return Figure(
        name="JW315 bouwen en valideren",
        median_s=statistics.median(app_s) / len(work),
        p95_s=max(app_s) / len(work),
        cpu_median_s=statistics.median(app_cpu) / len(work),
        limit_median_s=statistics.median(bare_s) / len(work),
        ratio=bare_cpu_rate / cpu_rate,
        target=">= 500/s",
        met=cpu_rate >= 500,
        extra={
            "messages": len(work),
            "rate_per_s": round(app_rate),
            "bare_rate_per_s": round(bare_rate),
            "rate_per_cpu_s": round(cpu_rate),
            "bare_rate_per_cpu_s": round(bare_cpu_rate),
        },
    )


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "postgresql": pg,
        "python": platform.python_version(),
        "note": f"load average {os.getloadavg()[0]:.1f} when the run started",
    }


def data_size() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM referrals_case), (SELECT count(*) FROM referrals_caseevent), "
            "(SELECT count(*) FROM deadlines_deadline), "
            "(SELECT count(*) FROM deadlines_deadline WHERE state = 'open'), "
            "(SELECT count(*) FROM messaging_message)"
        )
        cases, events, deadlines, open_, messages = cursor.fetchone()
    return {"cases": cases, "events": events, "deadlines": deadlines, "open_deadlines": open_, "messages": messages}


def case_page_urls(user: User, k: int = 20) -> list[str]:
    """Cases in care with a long timeline, spread over the table."""
    ids = list(
        Case.objects.filter(phase=Phase.HULPVERLENEND, jeugdige__bsn_status="normaal")
        .order_by()
        .values_list("pk", flat=True)[:5000]
    )
    step = max(1, len(ids) // k)
    public = Case.objects.filter(pk__in=ids[::step][:k]).values_list("public_id", flat=True)
    return [f"/casussen/{p}/" for p in public]


def run(*, runs: int = 20, warmup: int = 3, log=print) -> dict:
    users = {u.username: u for u in User.objects.filter(username__in=volume.BENCH_USERS)}
    size = data_size()
    cases = size["cases"]
    figures: list[Figure] = []
    with override_settings(ALLOWED_HOSTS=["testserver", *os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")]):
        pages = [
            ("Casussen (aanmeldpunt)", "bench.aanmeldpunt", ["/casussen/"]),
            ("Casussen (Toegang)", "bench.toegang", ["/casussen/"]),
            ("Zoeken (aanmeldpunt)", "bench.aanmeldpunt", ["/casussen/?q=jansen", "/casussen/?q=de+vries"]),
            ("Zoeken (Toegang)", "bench.toegang", ["/casussen/?q=jansen", "/casussen/?q=de+vries"]),
            ("Casuspagina", "bench.aanmeldpunt", None),
            ("Dashboard (manager)", "bench.manager", ["/dashboard/"]),
            ("Dashboard (manager, zonder cache)", "bench.manager", ["/dashboard/"]),
        ]
        for name, username, urls in pages:
            client = Client()
            client.force_login(users[username])
            if urls is None:
                urls = case_page_urls(users[username])
            # Without cache: every request computes the figures, as the first one after a write does.
            before = cache.clear if "zonder cache" in name else None
            figure = measure_page(name, client, urls, runs, warmup, before)
            median_t, p95_t = TARGETS[name]
            if name.startswith("Dashboard"):
                median_t = 0.3 if cases <= 150_000 else 1.0
            parts, met = [], True
            if median_t:
                parts.append(f"mediaan < {median_t * 1000:.0f} ms")
                met &= figure.median_s < median_t
            if p95_t:
                parts.append(f"p95 < {p95_t * 1000:.0f} ms")
                met &= figure.p95_s < p95_t
            if not name.startswith("Dashboard") and not name.startswith("Casuspagina"):
                parts.append(f"<= {MAX_QUERIES} queries")
                met &= figure.queries <= MAX_QUERIES
            figure.target, figure.met = ", ".join(parts), met
            figures.append(figure)
            log(f"bench: {name}: {figure.median_s * 1000:.1f} ms ({figure.queries} queries)")
    sweep = measure_sweep(max(3, runs // 5))
    sweep.target = "< 30 s, geheugen groeit niet mee"
    sweep.met = sweep.median_s < 30
    figures.append(sweep)
    log(f"bench: sweep {sweep.median_s:.2f} s")
    jw = measure_jw315(1000)
    figures.append(jw)
    log(f"bench: JW315 {jw.extra['rate_per_s']}/s")
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "data": size,
        "runs": runs,
        "warmup": warmup,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "figures": [asdict(f) for f in figures],
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def markdown(result: dict) -> str:
    m, d = result["machine"], result["data"]
    lines = [
        "# Benchmark results",
        "",
        f"{result['date']}: {d['cases']:,} cases, {d['events']:,} timeline events, {d['deadlines']:,} deadlines "
        f"({d['open_deadlines']:,} open), {d['messages']:,} messages. Machine: {m['cpus']} cores ({m['cpu']}), "
        f"{m['memory']}, PostgreSQL {m['postgresql']}, Python {m['python']}; {m['note']}. "
        f"Median and p95 over {result['runs']} runs after {result['warmup']} warm-up runs; peak memory of the "
        f"bench process {result['max_rss_mib']} MiB RSS. Produced by `make bench` (docs/performance.md).",
        "",
        "| what | median | p95 | median CPU | queries | peak Python memory | limit (bare) | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in result["figures"]:
        cpu = _ms(f["cpu_median_s"]) if f.get("cpu_median_s") is not None else "-"
        if f["name"].startswith("JW315"):
            e = f["extra"]
            median = f"{e['rate_per_s']}/s"
            p95 = "-"
            cpu = f"{e['rate_per_cpu_s']}/CPU-s"
            limit = f"{e['bare_rate_per_cpu_s']}/CPU-s"
        else:
            median, p95, limit = _ms(f["median_s"]), _ms(f["p95_s"]), _ms(f["limit_median_s"])
        peak = f"{f['peak_kib']:,} KiB" if f["peak_kib"] is not None else "-"
        queries = str(f["queries"]) if f["queries"] is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[f["met"]]
        ratio_flag = "" if f["ratio"] < RATIO else " (> 3)"
        lines.append(
            f"| {f['name']} | {median} | {p95} | {cpu} | {queries} | {peak} | {limit} | {f['ratio']:.1f}{ratio_flag} "
            f"| {f['target']} | {met} |"
        )
    sweep = next(f for f in result["figures"] if f["name"] == "Termijnensweep")
    e = sweep["extra"]
    if "seed" in result:
        seed = result["seed"]
        target = seed["target_seconds"] * seed["added"] / 1_000_000
        lines += [
            "",
            f"Seeding: {seed['added']:,} cases added in {seed['seconds']:.0f} s "
            f"({seed['added'] / seed['seconds']:,.0f} cases/s, indexes and the dashboard's counts included); "
            f"target {target:.0f} s: {'met' if seed['seconds'] < target else '**not met**'}.",
        ]
    lines += [
        "",
        f"Sweep: {e['open_deadlines']:,} open deadlines; each run marks {e['breached_per_run']:,} breached, "
        f"inserts {e['breach_warnings_per_run']:,} breach warnings and {e['reminders_per_run']:,} reminders and "
        f"{e['notifications_per_run']:,} notifications (rolled back after each run). Limit: one statement "
        f"(UPDATE, warnings and {e['bare_notifications']:,} notifications; segment1/bench.py SWEEP_SQL).",
        "",
        "Limits: a page's limit is its own captured SQL run bare through a cursor; the sweep's one hand-written "
        "statement doing its database work; JW315 the same document built with bare lxml calls and validated "
        "against the same compiled XSD (ratio = bare rate / app rate, per CPU second). Median CPU is the bench "
        "process's CPU time per run (the database's work is not in it); the wall-clock figures include waiting "
        "for a shared CPU.",
        "",
    ]
    return "\n".join(lines)


def write(result: dict, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    (directory / "results.md").write_text(markdown(result))

"""The kept counts (ADR 0015) give exactly the figures that counting the deadlines gives, and stay right
through every kind of write: deadlines met, breached by the sweep, paused, a case moving to another
gemeente or partner, a case ending, deadlines deleted, a bulk load followed by a rebuild, and compaction."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from deadlines import dashboard
from deadlines.figures import figures as compute_figures
from deadlines.figures.counted import counted_figures
from deadlines.figures.kept import kept_figures
from deadlines.models import DashboardTally, Deadline, DeadlineRule, DeadlineState
from deadlines.sweep import run_sweep
from deadlines.tasks import fold_dashboard_counts, sweep_deadlines
from referrals.models import Case, EventKind
from referrals.services import record_event
from tests import factories

from . import test_dashboard as data
from .test_dashboard import NOW, at

pytestmark = pytest.mark.django_db
world = data.world  # the five cases of the dashboard's tests


def comparable(f: dashboard.Figures) -> dict:
    """The figures as the page shows them (a zero is the same as no entry)."""

    def lead(d: dict) -> dict:
        return {k: (v.n, v.median, v.p90, v.waiting) for k, v in d.items() if v.n or v.waiting}

    def rate(r: dashboard.Rate) -> tuple:
        return (r.settled, r.on_time)

    def groups(rows) -> list:
        return [(g.pk, g.name, rate(g.rate), g.overdue, lead(g.lead)) for g in rows]

    return {
        "monthly": {k: rate(v) for k, v in f.monthly.items() if v.settled},
        "monthly_total": {k: rate(v) for k, v in f.monthly_total.items() if v.settled},
        "rule_rate": {k: rate(v) for k, v in f.rule_rate.items() if v.settled},
        "total": rate(f.total),
        "overdue_by_rule": {k: v for k, v in f.overdue_by_rule.items() if v},
        "week_by_rule": {k: v for k, v in f.week_by_rule.items() if v},
        "overdue": f.overdue,
        "due_this_week": f.due_this_week,
        "lead": lead(f.lead),
        "by_gemeente": groups(f.by_gemeente),
        "by_partner": groups(f.by_partner),
    }


def tally_rows() -> Counter:
    keys = ("kind", "rule_id", "gemeente_id", "partner_id", "stage", "month", "days", "n", "on_time")
    return Counter(DashboardTally.objects.values_list(*keys))


def views(world):
    """Every scope and filter the page offers, as (user, filters)."""
    default = dashboard.Filters.default(NOW.date())
    rule = Deadline.objects.values_list("rule_id", flat=True).first()
    out = []
    for user in (world["crossroads"], world["manager_tilburg"], world["manager_waalwijk"]):
        out.append((user, default))
        out.append((user, dashboard.Filters(start=at(2026, 1, 1).date(), end=at(2026, 3, 1).date())))
        for extra in (
            {"gemeente": world["tilburg"].pk},
            {"gemeente": world["waalwijk"].pk},
            {"partner": world["sterk_huis"].pk},
            {"rule": rule},
            {"gemeente": world["tilburg"].pk, "partner": world["sterk_huis"].pk, "rule": rule},
        ):
            out.append((user, dashboard.Filters(start=default.start, end=default.end, **extra)))
    return out


def assert_same(world, now=NOW):
    for user, filters in views(world):
        counted = comparable(counted_figures(user, filters, now))
        tallied = comparable(kept_figures(user, filters, now))
        assert tallied == counted, (user.role, user.organisation, filters)


def test_kept_counts_give_the_counted_figures(world):
    assert connection.vendor == "postgresql"
    assert_same(world)
    # Not trivially: the data set has every kind of figure in it.
    f = comparable(kept_figures(world["crossroads"], dashboard.Filters.default(NOW.date()), NOW))
    assert f["total"][0] > f["total"][1] > 0 and f["overdue"] and f["due_this_week"]
    assert f["lead"]["aanmeldgesprek"][0] == 3 and f["lead"]["aanmeldgesprek"][3] == 2
    assert {g[1] for g in f["by_gemeente"]} == {"Gemeente Tilburg", "Gemeente Waalwijk"}


def test_the_page_uses_the_kept_counts(world):
    assert comparable(compute_figures(world["crossroads"], dashboard.Filters.default(NOW.date()), NOW)) == comparable(
        kept_figures(world["crossroads"], dashboard.Filters.default(NOW.date()), NOW)
    )


def test_every_kind_of_write_keeps_the_counts_right(world, time_machine):
    c1, c2, c3, c4, c5 = world["cases"]
    regie = factories.UserFactory(role="regievoerder", organisation=world["sterk_huis"])

    # The clock moves on: past due but not swept counts as late and overdue; then the sweep marks it.
    later = NOW + timedelta(days=4)
    time_machine.move_to(later, tick=False)
    assert_same(world, later)
    assert run_sweep(later).breached > 0
    assert_same(world, later)

    # A deadline met late, one paused, one met on time.
    record_event(c4, EventKind.AANMELDGESPREK_GEHOUDEN, regie, payload={"moment": later.isoformat()})
    paused = Deadline.objects.filter(case=c3, state=DeadlineState.OPEN).first()
    Deadline.objects.filter(pk=paused.pk).update(paused_at=later, pause_reason="Wacht op de ouders.")
    record_event(c1, EventKind.JW305_VERZONDEN, regie, payload={"moment": later.isoformat()})
    assert_same(world, later)

    # A case moves to another gemeente (an update statement) and another partner (a save).
    Case.objects.filter(pk=c5.pk).update(gemeente=world["waalwijk"])
    c2.refresh_from_db()
    c2.regie_organisatie = world["sterk_huis"]
    c2.save(update_fields=["regie_organisatie"])
    assert_same(world, later)

    # A rule now met by another step: its lead-time counts follow.
    rule = DeadlineRule.objects.get(code="aanmeldgesprek")
    rule.met_by_event = EventKind.JW305_VERZONDEN
    rule.save()
    assert_same(world, later)
    rule.met_by_event = EventKind.AANMELDGESPREK_GEHOUDEN
    rule.save()
    assert_same(world, later)

    # A case ends: its open deadlines lapse, and its breached ones stop being overdue.
    Case.objects.filter(pk=c3.pk).update(phase="terugverwezen")
    record_event(Case.objects.get(pk=c3.pk), EventKind.TERUGVERWEZEN, world["crossroads"], to_phase="terugverwezen")
    assert Deadline.objects.filter(case=c3, state=DeadlineState.LAPSED).exists()
    assert_same(world, later)

    # Deadlines deleted.
    Deadline.objects.filter(case=c4).delete()
    assert_same(world, later)

    # Folding the rows into one per key changes no figure, and a rebuild gives the same rows.
    rows_before = DashboardTally.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlines_dashboard_compact()")
    assert DashboardTally.objects.count() < rows_before
    assert_same(world, later)
    kept = tally_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlines_dashboard_rebuild()")
    assert tally_rows() == kept


def test_a_new_deadline_takes_its_case_as_it_is(world):
    c5 = world["cases"][4]
    Case.objects.filter(pk=c5.pk).update(gemeente=world["waalwijk"])
    record_event(Case.objects.get(pk=c5.pk), EventKind.ZORG_GESTART, world["crossroads"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT dash_gemeente_id, dash_stage FROM deadlines_deadline WHERE case_id = %s", [c5.pk]
        )
        assert cursor.fetchall() == [(world["waalwijk"].pk, 1)]
    assert_same(world)


def test_the_nightly_task_folds_the_counts(world, time_machine, settings):
    assert settings.CELERY_BEAT_SCHEDULE["fold-dashboard-counts"]["task"] == fold_dashboard_counts.name
    later = NOW + timedelta(days=4)
    time_machine.move_to(later, tick=False)
    sweep_deadlines()
    keys = ("kind", "rule_id", "gemeente_id", "partner_id", "stage", "month", "days")
    assert DashboardTally.objects.values(*keys).distinct().count() < DashboardTally.objects.count()
    fold_dashboard_counts()
    assert DashboardTally.objects.values(*keys).distinct().count() == DashboardTally.objects.count()
    assert_same(world, later)

"""The managers' dashboard page's side of the figures: keeping them for a minute and until the next write,
and the names the page uses. The figures themselves, and what they mean, are in `deadlines.figures`."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.models import User

from .figures import figures
from .figures.definitions import (
    MAX_MONTHS,
    STEP_LABELS,
    STEPS,
    Figures,
    Filters,
    Lead,
    Rate,
    add_months,
    end_of_week,
    first_of_month,
    gemeente_choices,
    month_label,
    month_name,
    partner_choices,
    require_manager,
)
from .figures.lists import LISTS, ListSpec, deadline_list, list_row, list_title

__all__ = [
    "LISTS",
    "MAX_MONTHS",
    "STEPS",
    "STEP_LABELS",
    "Figures",
    "Filters",
    "Lead",
    "ListSpec",
    "Rate",
    "add_months",
    "cache_seconds",
    "cached_figures",
    "deadline_list",
    "end_of_week",
    "first_of_month",
    "gemeente_choices",
    "generation",
    "list_row",
    "list_title",
    "month_label",
    "month_name",
    "partner_choices",
    "require_manager",
]


def generation() -> int | None:
    """The number every write to deadlines, rules or cases moves on (migration 0007); None without it."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM deadlines_dashboard_generation")
        return cursor.fetchone()[0]


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)


def cached_figures(user: User, filters: Filters, now: datetime) -> Figures:
    """figures(), kept for at most DASHBOARD_CACHE_SECONDS (60) and only until the next write.

    The key holds the write generation, so a deadline met, breached, paused or a case moved on makes the
    next page compute anew in every process; and the time window, so figures that change with the clock
    alone (open past its due moment counts as overdue) are at most one window old. The scope is the
    manager's role and organisation (what scoped_deadlines() depends on)."""
    require_manager(user)
    seconds = cache_seconds()
    gen = generation()
    if gen is None or seconds <= 0:
        return figures(user, filters, now)
    window = int(now.timestamp()) // seconds
    scope = f"{gen}:{window}:{user.role}:{user.organisation_id}:{sorted(filters.query().items())}"
    key = "dashboard:" + hashlib.sha256(scope.encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = figures(user, filters, now)
        cache.set(key, result, seconds)
    result.cache_key = key
    return result

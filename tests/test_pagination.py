"""The case list's paginator shows the same pages in the same order as the database would, whether it
sorts the matches itself (at most 1000) or reads them in order (more than that; here a cap of 4)."""

from datetime import date

import pytest

from referrals.models import Case
from referrals.pagination import CappedPaginator
from tests.factories import build_case

pytestmark = pytest.mark.django_db


class SmallCap(CappedPaginator):
    cap = 4


@pytest.fixture
def cases(toegang_user):
    made = [build_case(stage="aanmeld", toegang_user=toegang_user) for _ in range(5)]
    made.append(build_case(stage="concept", toegang_user=toegang_user))  # no aanmelddatum: NULL
    days = [date(2026, 3, 2), date(2026, 3, 2), date(2026, 1, 5), date(2026, 2, 9), date(2026, 3, 2)]
    for case, day, urgent in zip(made, days, [False, True, False, False, False], strict=False):
        motivation = "Acuut." if urgent else ""
        Case.objects.filter(pk=case.pk).update(aanmelddatum=day, urgent=urgent, urgentie_motivatie=motivation)
    return Case.objects.order_by("-urgent", "-aanmelddatum", "-pk")


def pages(paginator) -> list[list[int]]:
    return [[c.pk for c in paginator.page(n).object_list] for n in paginator.page_range]


def test_sorted_here_as_the_database_sorts(cases):
    expected = [c.pk for c in cases]
    paginator = CappedPaginator(cases, 2)
    assert not paginator.capped and paginator.count == 6
    assert pages(paginator) == [expected[0:2], expected[2:4], expected[4:6]]
    assert Case.objects.get(pk=expected[1]).aanmelddatum is None  # NULL first in a descending order


def test_past_the_cap_the_pages_stop_there(cases):
    expected = [c.pk for c in cases]
    paginator = SmallCap(cases, 3)
    assert paginator.capped and paginator.count == 4
    assert pages(paginator) == [expected[0:3], expected[3:4]]


def test_ascending_orders_put_null_last(cases):
    ordered = cases.order_by("aanmelddatum", "pk")
    assert pages(CappedPaginator(ordered, 10)) == [[c.pk for c in ordered]]

"""The pages the scale benchmark measures cost the same number of queries on 50 and on 200 synthetic cases
(segment1.volume): what they cost does not grow with the data (counts, not times)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from referrals.models import Case, Gezin
from segment1 import bench, volume
from tests.helpers import FAST_HASHERS

pytestmark = pytest.mark.django_db

PAGES = [
    # (name, who looks, url; None: a case page)
    ("case list (aanmeldpunt)", "bench.aanmeldpunt", "/casussen/"),
    ("case list (Toegang)", "bench.toegang", "/casussen/"),
    ("search (aanmeldpunt)", "bench.aanmeldpunt", "/casussen/?q=jansen"),
    ("search (Toegang)", "bench.toegang", "/casussen/?q=de+vries"),
    ("case page", "bench.aanmeldpunt", None),
    ("dashboard", "bench.manager", "/dashboard/"),
]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def costs(client) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=volume.BENCH_USERS)}
    out = {}
    for name, username, url in PAGES:
        client.force_login(users[username])
        url = url or bench.case_page_urls(users[username], 1)[0]
        client.get(url)  # warm the per-process caches (content types, permissions)
        out[name] = count(client, url)
    return out


def test_pages_cost_the_same_for_50_and_200_cases(client, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    volume.seed(50, log=lambda *_: None)
    small = costs(client)
    volume.seed(200, log=lambda *_: None)
    assert Case.objects.count() == 200
    large = costs(client)

    assert small == large
    for name in ("case list (aanmeldpunt)", "case list (Toegang)", "search (aanmeldpunt)", "search (Toegang)"):
        assert large[name] <= bench.MAX_QUERIES, name


def test_seeding_is_resumable():
    assert volume.seed(30, log=lambda *_: None) == 30
    assert volume.seed(30, log=lambda *_: None) == 0
    assert volume.seed(45, log=lambda *_: None) == 15
    assert Case.objects.count() == 45
    # The ids handed out by COPY are behind the sequences: the next row made by the ORM does not collide.
    highest = Gezin.objects.order_by("-pk").first().pk
    assert Gezin.objects.create(naam="Nieuw").pk > highest


def test_a_large_seed_drops_the_indexes_and_builds_them_again(monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename IN ('referrals_caseevent', 'deadlines_deadline')"
            )
            return sorted(row[0] for row in cursor.fetchall())

    before = indexes()
    monkeypatch.setattr(volume, "BULK", 10)
    assert volume.seed(20, log=lambda *_: None) == 20
    assert indexes() == before

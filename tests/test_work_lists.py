"""Work lists on the start page show their first rows, most pressing first, and lead to the rest."""

import pytest
from django.urls import reverse

import segment1.views
from tests.factories import build_case
from tests.helpers import read_page

pytestmark = pytest.mark.django_db


def test_a_long_intake_queue_shows_its_first_rows_and_links_to_the_rest(client, aanmeldpunt_user, monkeypatch):
    monkeypatch.setattr(segment1.views, "WORK_LIST_ROWS", 2)
    cases = [build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user, achternaam=f"Rij{n}") for n in range(3)]
    client.force_login(aanmeldpunt_user)
    page = read_page(client.get(reverse("start")))
    shown = [
        (url, ref)
        for url, ref in page.links
        if url.startswith("/casussen/") and url.endswith("/") and ref.startswith("S1-")
    ]
    assert len(shown) == 2  # of 3 waiting
    assert {text for _, text in shown} < {c.reference for c in cases}
    assert ("/casussen/?fase=aanmeld", "Alle casussen in de lijst met zoeken en filters") in page.links


def test_a_short_queue_shows_every_row_and_no_link(client, aanmeldpunt_user):
    build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    page = read_page(client.get(reverse("start")))
    assert "Alle casussen in de lijst met zoeken en filters" not in [text for _, text in page.links]

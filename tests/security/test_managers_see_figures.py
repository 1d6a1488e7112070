"""A manager aggregates and has the lists needed to act, not the files (DOMAIN.md section 9): the figures and
the lists name the cases, but a case page, its parts, documents and letters open only for a manager who is
on the case; every other attempt is refused and logged as such."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from tests.helpers import read_page, text

pytestmark = pytest.mark.django_db

MANAGERS = ["manager_crossroads", "manager_gemeente"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_url(case) -> str:
    return reverse("referrals:case_detail", args=[case.public_id])


def document_url(case, document) -> str:
    return reverse("referrals:document_download", args=[case.public_id, document.public_id])


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_not_on_the_case_is_refused_its_page_parts_and_documents_and_each_attempt_is_logged(role, world):
    manager = world.users[role]
    client = client_for(manager)
    case = world.own  # in this manager's figures and lists (Tilburg, and the coalition)

    answers = [
        client.get(case_url(case)).status_code,
        client.get(reverse("coordination:case", args=[case.public_id])).status_code,
        client.get(document_url(case, world.own_document)).status_code,
        client.get(reverse("referrals:gezin", args=[case.jeugdige.gezin.public_id])).status_code,
        client.get(reverse("api:case", args=[case.public_id])).status_code,
        client.get(reverse("api:document_content", args=[case.public_id, world.own_document.public_id])).status_code,
    ]

    assert answers == [404] * 6
    refused = AccessLog.objects.filter(user=manager, action="geweigerd")
    assert refused.count() == 6
    assert all(case.reference in row.description or row.object_type == "gezin" for row in refused)
    assert not AccessLog.objects.filter(user=manager, action__in=["inzien", "downloaden"])


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_keeps_the_figures_and_the_lists_with_numbers_but_no_links_to_the_files(role, world):
    manager = world.users[role]
    client = client_for(manager)

    start = client.get(reverse("start"))
    listing = client.get(reverse("referrals:case_list"))
    dashboard = client.get(reverse("deadlines:dashboard"))

    assert (start.status_code, listing.status_code, dashboard.status_code) == (200, 200, 200)
    assert "Casussen per fase" in text(start)
    assert world.own.reference in text(listing)
    links = [href for href, _ in read_page(listing).links]
    assert case_url(world.own) not in links
    assert AccessLog.objects.filter(user=manager, action="lijst", description__contains=world.own.reference)


def test_a_manager_who_is_on_the_case_opens_it_and_its_documents(world, tilburg):
    """A Toegang worker who became the gemeente's manager is still coördinator of the cases they took on."""
    manager = world.users["toegang_medewerker"]  # the coördinator and verwijzer of the own case
    manager.role = "manager_gemeente"
    manager.organisation = tilburg
    manager.save()
    client = client_for(manager)

    page = client.get(case_url(world.own))
    document = client.get(document_url(world.own, world.own_document))
    b"".join(document.streaming_content)

    assert (page.status_code, document.status_code) == (200, 200)
    assert "Eigen" in text(page)
    reads = AccessLog.objects.filter(user=manager, object_id__in=[world.own.public_id, world.own_document.public_id])
    assert {row.action for row in reads} == {"inzien", "downloaden"}
    # Their list links the case they are on.
    listing = client.get(reverse("referrals:case_list"))
    assert case_url(world.own) in [href for href, _ in read_page(listing).links]

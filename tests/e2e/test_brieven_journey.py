"""Letters in the browser: the regievoerder downloads the beschikking as a PDF, stores it with the case's
documents, and has the dossieroverzicht made in the background by the real Celery worker, watching its progress.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def letters_card(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Documenten maken"))


def letter(page: Page, title: str):
    return letters_card(page).get_by_role("listitem").filter(has_text=title)


@pytest.fixture
def case_with_beschikking(demo_server, django_db_blocker) -> tuple[str, str]:
    """A demo case of Sterk Huis whose beschikking is recorded."""
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(beschikking__isnull=False, regie_organisatie__name="Sterk Huis")
            .exclude(phase="afgesloten")
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus van Sterk Huis met een beschikking"
        return f"/casussen/{case.public_id}/", case.reference


def test_the_regievoerder_makes_and_stores_letters(page: Page, demo_password, case_with_beschikking, check_page):
    url, reference = case_with_beschikking
    log_in(page, "regie.sterkhuis", demo_password)
    page.goto(url)
    beschikking = letter(page, "Beschikking jeugdhulp")
    expect(beschikking.get_by_role("link", name=re.compile("^Downloaden"))).to_be_visible()
    letters_card(page).scroll_into_view_if_needed()
    check_page(page, "brieven-01-documenten-maken")

    with page.expect_download() as download_info:
        beschikking.get_by_role("link", name=re.compile("^Downloaden")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and reference in download.suggested_filename
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    beschikking.get_by_role("button", name=re.compile("^Bewaren")).click()
    expect_message(page, "Beschikking jeugdhulp is bewaard bij de documenten (versie")
    documents = page.locator("section").filter(has=page.get_by_role("heading", name="Documenten", exact=True))
    expect(documents).to_contain_text("Beschikking")

    # The dossieroverzicht is made in the background: the page shows the progress, then the download.
    letter(page, "Dossieroverzicht voor overdracht").get_by_role("button", name="Maken").click()
    expect(page.get_by_role("heading", name="Dossieroverzicht voor overdracht", level=1)).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Klaar.", timeout=60_000)
    check_page(page, "brieven-02-dossieroverzicht-klaar")
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Downloaden").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    check_page.assert_accessible()

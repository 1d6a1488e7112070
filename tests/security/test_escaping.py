"""Names and free text with HTML and script in them are shown as text everywhere: pages, lists, the
access log, the messages after a step, and PDFs. Nothing typed by a user ever becomes markup."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referrals import services
from referrals.models import Case, Leefgebied
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile_case(world) -> Case:
    toegang = world.users["toegang_medewerker"]
    (case,) = services.register_case(
        actor=toegang,
        gezin_naam=f"Gezin {SCRIPT}",
        jeugdigen=[factories.youth(voornaam=SCRIPT, achternaam=IMG)],
        gemeente=toegang.organisation.own_gemeente,
        route="toegang",
        verwijzer_type="gemeente",
        verwijzer_naam=IMG,
        hulpvraag=f"Hulpvraag {SCRIPT}",
    )
    services.save_ipva(actor=toegang, case=case, texts=dict.fromkeys(Leefgebied.values, f"Analyse {SCRIPT}"))
    return Case.objects.get(pk=case.pk)


def assert_escaped(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in page and IMG not in page, "raw markup from user input in the page"
    assert ESCAPED_SCRIPT in page


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("toegang_medewerker", "case_detail"),
        ("toegang_medewerker", "case_list"),
        ("toegang_medewerker", "start"),
        ("toegang_medewerker", "ipva"),
        ("toegang_medewerker", "transition"),
    ],
)
def test_names_and_free_text_are_escaped_on_the_pages(client, world, hostile_case, role, where):
    client.force_login(world.users[role])
    url = {
        "case_detail": reverse("referrals:case_detail", args=[hostile_case.public_id]),
        "case_list": reverse("referrals:case_list"),
        "start": reverse("start"),
        "ipva": reverse("referrals:ipva", args=[hostile_case.public_id]),
        "transition": reverse("referrals:transition", args=[hostile_case.public_id, "aanmelden"]),
    }[where]

    assert_escaped(client.get(url))


def test_a_search_term_with_script_is_escaped_in_the_form_and_in_the_access_log(client, world, hostile_case):
    client.force_login(world.users["aanmeldpunt"])
    listing = client.get(reverse("referrals:case_list"), {"q": SCRIPT})
    assert SCRIPT not in listing.content.decode()

    client.force_login(world.users["privacy_officer"])
    log = client.get(reverse("privacy:access_log"), {"actie": "zoeken"})

    assert_escaped(log)


def test_a_refused_step_with_markup_in_the_posted_data_shows_none_of_it(client, world, hostile_case):
    """A refused or stale step answers with a message on the case page; posted markup never shows raw."""
    client.force_login(world.users["toegang_medewerker"])
    response = client.post(
        reverse("referrals:transition", args=[hostile_case.public_id, "aanmelden"]),
        {"expected_phase": SCRIPT},
        follow=True,
    )

    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


def test_the_pdf_shows_script_as_text(client, world, hostile_case):
    client.force_login(world.users["toegang_medewerker"])
    client.get(reverse("referrals:case_detail", args=[hostile_case.public_id]))
    client.force_login(world.users["privacy_officer"])

    response = client.get(reverse("privacy:avg_report", args=[hostile_case.public_id]))

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    squeezed = "".join(text.split())
    # Escaped, the markup is printed as the characters the user typed; as markup it would vanish.
    assert "".join(SCRIPT.split()) in squeezed
    assert "".join(IMG.split()) in squeezed

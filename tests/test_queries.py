"""A page costs a fixed number of queries however many cases, youths, documents or events it shows."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from messaging import services as messaging_services
from referrals import services
from referrals.models import Case, Leefgebied
from tests import factories
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, TODAY

pytestmark = pytest.mark.django_db

STAGES = ["aanmeld", "gepland", "gehouden", "advies", "hulpverlenend", "terugverwezen"]


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


CASE_LINK = re.compile(r'href="/casussen/[0-9a-f-]{36}/"')


def measure(client, url) -> tuple[int, int, list[str]]:
    """(queries, case rows shown, the SQL) of one page view."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return (
        len(ctx.captured_queries),
        len(CASE_LINK.findall(response.content.decode())),
        [q["sql"] for q in ctx.captured_queries],
    )


def add_cases(n, *, toegang_user, aanmeldpunt_user, partners, stages, offset=0):
    for i in range(n):
        build_case(
            stage=stages[(i + offset) % len(stages)],
            toegang_user=toegang_user,
            aanmeldpunt_user=aanmeldpunt_user,
            partner_org=partners[i % len(partners)],
            segment1=(i + offset) % len(stages) != len(stages) - 1,
            bsn_status="geheim" if i % 4 == 3 else "normaal",
            achternaam=f"Jansen{i + offset}",
        )


def assert_same_cost(client, url, grow, *, rows_before, rows_after):
    client.get(url)  # warm the per-process caches (content types, permissions)
    small, small_rows, _ = measure(client, url)
    grow()
    large, large_rows, large_sql = measure(client, url)
    assert (small_rows, large_rows) == (rows_before, rows_after), "the page must really show more cases"
    assert small == large, "\n".join(large_sql)


@pytest.fixture
def people(toegang_user, aanmeldpunt_user, sterk_huis):
    return {
        "toegang_user": toegang_user,
        "aanmeldpunt_user": aanmeldpunt_user,
        "partners": [sterk_huis, factories.partner("Amarant", "80000303")],
    }


LIST_PAGES = {
    # page: (who looks, url, the stages of the cases that page shows)
    "case list": ("aanmeldpunt_user", reverse_lazy("referrals:case_list"), STAGES),
    "case list (Toegang)": ("toegang_user", reverse_lazy("referrals:case_list"), ["voorbereid", *STAGES]),
    "case search": ("aanmeldpunt_user", f"{reverse_lazy('referrals:case_list')}?q=jansen&urgent=", STAGES),
    "start (aanmeldpunt)": ("aanmeldpunt_user", reverse_lazy("start"), ["aanmeld", "gepland", "gehouden", "advies"]),
    "start (Toegang)": (
        "toegang_user",
        reverse_lazy("start"),
        ["concept", "voorbereid", "aanmeld", "gepland", "terugverwezen"],
    ),
}


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_page_costs_the_same_for_2_and_12_cases(client, people, page):
    viewer, url, stages = LIST_PAGES[page]
    add_cases(2, stages=stages, **people)
    client.force_login(people[viewer])

    assert_same_cost(
        client,
        str(url),
        lambda: add_cases(10, stages=stages, offset=2, **people),
        rows_before=2,
        rows_after=12,
    )


def family_case(n, toegang_user) -> Case:
    """A family of `n` youths (each a case); the first has n documents and is submitted."""
    cases = services.register_case(
        actor=toegang_user,
        gezin_naam="Groot",
        jeugdigen=[factories.youth(voornaam=f"Kind{i}", achternaam="Groot", age_years=2 + i % 15) for i in range(n)],
        gemeente=toegang_user.organisation.own_gemeente,
        route="toegang",
        verwijzer_type="gemeente",
        verwijzer_naam="Verwijzer",
    )
    case = cases[0]
    services.save_ipva(actor=toegang_user, case=case, texts=dict.fromkeys(Leefgebied.values, "Analyse."))
    services.record_phone_consultation(
        actor=toegang_user, case=case, datum=TODAY, contactpersoon="Aanmeldpunt", samenvatting="Besproken."
    )
    for i in range(n):
        services.store_document(
            actor=toegang_user,
            case=case,
            kind=["ipva", "dat_brief", "overig"][i % 3],
            title=f"Document {i}",
            uploaded_file=SimpleUploadedFile(f"d{i}.pdf", b"%PDF-1.7\n"),
        )
    return services.aanmelden(actor=toegang_user, case=Case.objects.get(pk=case.pk))


@pytest.mark.parametrize("viewer", ["toegang_user", "aanmeldpunt_user"])
def test_case_page_costs_the_same_for_2_and_12(client, people, viewer):
    small_case = family_case(2, people["toegang_user"])
    large_case = family_case(12, people["toegang_user"])
    client.force_login(people[viewer])
    small_url = reverse("referrals:case_detail", args=[small_case.public_id])
    large_url = reverse("referrals:case_detail", args=[large_case.public_id])
    client.get(small_url)  # warm-up

    small, _, _ = measure(client, small_url)
    large, _, large_sql = measure(client, large_url)

    assert large_case.jeugdige.gezin.jeugdigen.count() == 12
    assert large_case.documents.count() == 12
    assert small == large, "\n".join(large_sql)


def test_backoffice_start_page_costs_the_same_for_2_and_12_running_toewijzingen(client, people, tilburg):
    """The backoffice's task of running toewijzingen in segment 2–4 to end [HvB-S1]."""
    backoffice = factories.UserFactory(role="backoffice", organisation=tilburg)

    def add(n, offset=0):
        for i in range(n):
            case = build_case(
                stage="hulpverlenend",
                toegang_user=people["toegang_user"],
                aanmeldpunt_user=people["aanmeldpunt_user"],
                partner_org=people["partners"][i % 2],
                achternaam=f"Jansen{i + offset}",
            )
            messaging_services.record_lopende_toewijzing(
                actor=people["aanmeldpunt_user"],
                case=case,
                data=messaging_services.LopendeToewijzingInput(
                    aanbieder_naam=f"Aanbieder {i}", sinds=TODAY - timedelta(days=30 + i)
                ),
            )

    def cost() -> tuple[int, int, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("start"))
        assert response.status_code == 200
        rows = len(re.findall(r'href="/casussen/[0-9a-f-]{36}/berichten/#lopend-', response.content.decode()))
        return len(ctx.captured_queries), rows, [q["sql"] for q in ctx.captured_queries]

    add(2)
    client.force_login(backoffice)
    client.get(reverse("start"))  # warm-up
    small, small_rows, _ = cost()
    add(10, offset=2)
    large, large_rows, large_sql = cost()
    assert (small_rows, large_rows) == (2, 12)
    assert small == large, "\n".join(large_sql)

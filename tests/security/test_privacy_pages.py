"""The privacy officer's pages: who looked at which file, per person and per case; the CSV export and the
AVG inzage report (PDF) a family can be handed; nothing in the application changes or removes a log row."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccessLog
from accounts.services import log_access
from tests import factories
from tests.factories import build_case
from tests.helpers import field_error, read_page, text

pytestmark = pytest.mark.django_db

LOG = reverse("privacy:access_log")
CSV = reverse("privacy:access_log_csv")


def log_rows(response) -> list[str]:
    """The rows of the log table as the officer reads them."""
    page = response.content.decode()
    if 'id="inzagelogboek"' not in page:
        return []
    body = page.split('id="inzagelogboek"', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(read_page_text(chunk).split()) for chunk in body.split("</tr>")[:-1]]


def read_page_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture
def looked(client, world):
    """The Toegang worker opens the own case and its document; the aanmeldpunt opens the other case."""
    toegang, ap = world.users["toegang_medewerker"], world.users["aanmeldpunt"]
    client.force_login(toegang)
    client.get(reverse("referrals:case_detail", args=[world.own.public_id]))
    response = client.get(
        reverse("referrals:document_download", args=[world.own.public_id, world.own_document.public_id])
    )
    b"".join(response.streaming_content)
    client.force_login(ap)
    client.get(reverse("referrals:case_detail", args=[world.other.public_id]))
    client.get(reverse("referrals:case_list"))
    client.force_login(world.users["privacy_officer"])
    return world


def test_per_person_shows_only_that_persons_views(client, looked):
    response = client.get(LOG, {"persoon": "toegang.medewerker"})

    rows = log_rows(response)
    assert response.status_code == 200
    assert rows and all("toegang.medewerker" in row for row in rows)
    assert any("inzien casus: " + looked.own.reference in row for row in rows)
    assert any("downloaden document: " + looked.own.reference in row for row in rows)
    assert "Toegang medewerker" in rows[0]


def test_per_case_shows_who_opened_it_its_documents_and_lists_that_showed_it(client, looked):
    response = client.get(LOG, {"casus": looked.own.reference})

    rows = log_rows(response)
    assert any("toegang.medewerker" in r and "inzien casus" in r for r in rows), rows
    assert any("toegang.medewerker" in r and "downloaden document" in r for r in rows)
    assert any("aanmeldpunt" in r and "lijst casussen" in r for r in rows), rows  # the list that showed it
    # The other case's page view is not this case's business.
    assert not any("inzien casus: " + looked.other.reference in r for r in rows)
    assert "AVG-inzageverslag " + looked.own.reference in text(response)


def test_looking_at_the_log_is_itself_logged(client, looked):
    client.get(LOG, {"casus": looked.own.reference})

    row = AccessLog.objects.filter(user=looked.users["privacy_officer"]).latest("pk")
    assert (row.action, row.object_type, row.object_id) == ("inzien", "inzagelogboek", str(looked.own.public_id))
    assert row.description == f"Inzagelogboek: casus {looked.own.reference}"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("casus", "S1-999999", "Er is geen casus met dit nummer."),
        ("van", "31-02-2026", "Vul een geldige datum in"),
        ("tot", "9999-12-31", "Vul een datum tussen 2000 en 2999 in."),
        ("van", "0001-01-01", "Vul een datum tussen 2000 en 2999 in."),
        ("actie", "<script>alert(1)</script>", "Kies een handeling uit de lijst."),
    ],
)
def test_a_wrong_filter_says_what_is_wrong_keeps_it_and_shows_no_rows(client, looked, field, value, message):
    response = client.get(LOG, {field: value})

    assert response.status_code == 200
    assert message in field_error(response, f"id_{field}")
    assert log_rows(response) == []
    if field != "actie":
        assert read_page(response).values[field] == [value]


def test_the_log_page_costs_the_same_for_5_and_60_rows(client, looked):
    other = looked.users["manager_crossroads"]
    for i in range(5):
        log_access(user=other, action="inzien", object_type="casus", object_id=i, description=f"rij {i}")
    client.get(LOG)  # warm-up
    with CaptureQueriesContext(connection) as small:
        client.get(LOG, {"persoon": other.username})
    for i in range(55):
        log_access(user=other, action="inzien", object_type="casus", object_id=i, description=f"rij {i}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(LOG, {"persoon": other.username})

    assert len(log_rows(response)) == 50  # one page
    assert "Pagina 1 van 2" in text(response)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_csv_export_has_the_filtered_rows_and_is_logged(client, looked):
    response = client.get(CSV, {"casus": looked.own.reference})

    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:3] == ["moment", "gebruikersnaam", "naam"]
    assert {"toegang.medewerker", "aanmeldpunt"} <= {r[1] for r in rows[1:]}
    assert all(looked.own.reference in r[8] for r in rows[1:] if r[6] in ("casus", "document"))
    export = AccessLog.objects.get(action="exporteren")
    assert export.description == f"CSV-export inzagelogboek: casus {looked.own.reference}"


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(client, world):
    log_access(
        user=world.users["aanmeldpunt"],
        action="zoeken",
        object_type="casussen",
        object_id="-",
        description='=HYPERLINK("http://example.org")',
    )
    client.force_login(world.users["privacy_officer"])

    content = b"".join(client.get(CSV, {"actie": "zoeken"}).streaming_content).decode("utf-8-sig")

    assert "'=HYPERLINK" in content


def pdf_text(response) -> str:
    """The text of the PDF without any white space (text extraction splits words at kerning)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return "".join(text.split())


def squeeze(words: str) -> str:
    return "".join(words.split())


def test_the_avg_report_names_the_child_and_everyone_who_looked(client, looked):
    response = client.get(reverse("privacy:avg_report", args=[looked.own.public_id]))

    assert response["Content-Type"] == "application/pdf"
    assert f"inzageverslag-{looked.own.reference}.pdf" in response["Content-Disposition"]
    content = pdf_text(response)
    assert squeeze("Wie heeft dit dossier ingezien?") in content
    assert squeeze("Eigen Tilburger") in content
    toegang = looked.users["toegang_medewerker"]
    assert squeeze(toegang.get_full_name()) in content
    assert squeeze("Toegang medewerker, Toegang Tilburg") in content
    assert squeeze(f"downloaden document: {looked.own.reference}") in content
    assert "Waalwijker" not in content
    row = AccessLog.objects.filter(action="rapport").get()
    assert (row.object_type, row.object_id) == ("casus", str(looked.own.public_id))


def test_the_avg_report_of_a_geheim_bsn_case_does_not_name_the_child(client, world, tilburg):
    case = build_case(
        stage="aanmeld",
        bsn_status="geheim",
        voornaam="Verborgen",
        achternaam="Kind",
        toegang_user=world.users["toegang_medewerker"],
    )
    client.force_login(world.users["privacy_officer"])

    content = pdf_text(client.get(reverse("privacy:avg_report", args=[case.public_id])))

    assert "Verborgen" not in content
    assert squeeze("Afgeschermd (geheim BSN)") in content


def test_nobody_changes_or_deletes_a_log_row_in_the_beheerscherm(client, world):
    row = AccessLog.objects.create(
        user=world.users["aanmeldpunt"], role="aanmeldpunt", action="inzien", object_type="casus", object_id="x"
    )
    admin = factories.UserFactory(role="", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)

    change = client.get(reverse("admin:accounts_accesslog_change", args=[row.pk]))
    delete = client.post(reverse("admin:accounts_accesslog_delete", args=[row.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:accounts_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert AccessLog.objects.filter(pk=row.pk).exists()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).delete()

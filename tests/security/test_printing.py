"""printing.render_pdf: a Django template to PDF bytes with WeasyPrint, static files from disk, never
the network, and no errors in the log (a missing font or stylesheet shows up there)."""

import logging

import pytest
from django.template import engines

from printing import render
from printing.render import BASE_URL, render_pdf

pytestmark = pytest.mark.django_db


def test_rendering_the_avg_report_logs_no_errors_or_warnings(caplog, world):
    caplog.set_level(logging.WARNING)

    pdf = render_pdf(
        "privacy/avg_report.pdf.html",
        {
            "case": world.own,
            "identity_hidden": False,
            "rows": [],
            "made_on": "10 maart 2026",
            "made_by": world.users["privacy_officer"],
        },
    )

    assert pdf.startswith(b"%PDF-")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_static_files_come_from_disk():
    response = render._fetcher().fetch(BASE_URL + "static/css/pdf.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/style.css",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "file:///etc/passwd",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "media/cases/x.pdf",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError, match="Geen netwerk"):
        render._fetcher().fetch(url)


def test_a_template_that_asks_for_the_network_gets_nothing_and_it_shows_in_the_log(caplog, tmp_path, settings):
    template = engines["django"].from_string('<link rel="stylesheet" href="https://example.org/x.css"><p>Hallo</p>')
    (tmp_path / "t.html").write_text(template.template.source)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    caplog.set_level(logging.WARNING)

    pdf = render_pdf("t.html")

    assert pdf.startswith(b"%PDF-")
    assert any("example.org" in r.getMessage() for r in caplog.records)

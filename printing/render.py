"""The one PDF render helper: a Django template -> HTML -> WeasyPrint -> bytes.

WeasyPrint is imported lazily (it is slow to import and pulls in Pango). Its URL fetcher serves
`/static/...` from the collected or source static files and refuses everything else, so rendering never
touches the network and a template cannot make the server fetch an address of its choosing.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

BASE_URL = "https://pdf.invalid/"  # never fetched: only gives relative URLs in a template a scheme


def _static_path(url: str) -> Path | None:
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    for base in (BASE_URL.rstrip("/"), ""):
        if url.startswith(base + prefix):
            relative = url[len(base + prefix) :].split("?", 1)[0].split("#", 1)[0]
            break
    else:
        return None
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


def _fetcher():
    """A WeasyPrint URL fetcher: static files from disk, data: URLs, nothing else (never the network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise ValueError(f"Geen netwerk bij het maken van een pdf: {url} niet opgehaald.")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return LocalURLFetcher(allowed_protocols=["data"])


# PDF/UA-1: a tagged PDF (headings, paragraphs, tables, reading order) with the document's title and language,
# so that a screen reader can read a letter (WeasyPrint's `pdf_variant`; it turns `pdf_tags` on).
TAGGED_VARIANT = "pdf/ua-1"


def render_pdf(
    template_name: str,
    context: dict | None = None,
    *,
    tagged: bool = False,
    progress: Callable[[str], None] | None = None,
) -> bytes:
    """Render `template_name` with `context` (autoescaped like any page) to PDF bytes.

    `tagged`: write a tagged PDF (PDF/UA-1). `progress`: called with a Dutch step name before each stage
    (HTML, page layout, writing), for a background task that shows how far it is.
    """
    from weasyprint import HTML

    step = progress or (lambda _name: None)
    step("html")
    html = render_to_string(template_name, context or {})
    step("opmaak")
    options = {"pdf_variant": TAGGED_VARIANT, "pdf_tags": True} if tagged else {}
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render(**options)
    step("schrijven")
    return document.write_pdf(**options)

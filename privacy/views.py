"""The privacy officer's pages: the access log per person and per case, its CSV export and the AVG
inzage report (PDF) of one child's file. Only the privacy officer's role opens them; every look is
itself written to the access log."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import OversightRole
from printing.render import render_pdf
from referrals.dates import nl_date

from . import selectors
from .forms import LogFilterForm

PAGE_SIZE = 50


def privacy_officer_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.role != OversightRole.PRIVACY_OFFICER or not user.has_perm("accounts.view_accesslog"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _filtered(request):
    form = LogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None, selectors.access_log(selectors.LogFilters()).none()
    filters = form.filters()
    return form, filters, selectors.access_log(filters)


@privacy_officer_only
def access_log(request):
    form, filters, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)  # read before this look is itself logged (the count stays right)
    selectors.log_log_read(request.user, filters)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "privacy/access_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "case": filters.casus if filters else None},
    )


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """A spreadsheet must not read a cell as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@privacy_officer_only
def access_log_csv(request):
    _form, filters, rows = _filtered(request)
    selectors.log_log_read(request.user, filters, export=True)
    writer = csv.writer(_Echo(), delimiter=";")
    header = ["moment", "gebruikersnaam", "naam", "rol", "organisatie", "handeling", "soort", "kenmerk", "omschrijving"]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _cell(x)
                    for x in (
                        timezone.localtime(row.at).strftime("%d-%m-%Y %H:%M:%S"),
                        row.user.username,
                        row.user.get_full_name(),
                        row.role,
                        row.organisation,
                        row.action,
                        row.object_type,
                        row.object_id,
                        row.description,
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inzagelogboek-{stamp}.csv"'
    return response


@privacy_officer_only
def avg_report(request, public_id):
    found = selectors.report_rows(request.user, public_id)
    if found is None:
        raise Http404
    case, rows = found
    pdf = render_pdf(
        "privacy/avg_report.pdf.html",
        {
            "case": case,
            "identity_hidden": case.jeugdige.bsn_status == "geheim",
            "rows": rows,
            "made_on": nl_date(timezone.localdate()),
            "made_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzageverslag-{case.reference}.pdf"'
    return response

"""Pages of the deadline engine: pausing, resuming and extending a deadline, and the managers' dashboard."""

import csv
import functools
from datetime import date, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from common.pages import form_page
from referrals import selectors as case_selectors

from . import dashboard, selectors, services, workdays
from .forms import DashboardFilterForm, ExtendForm, PauseForm
from .models import DeadlineRule, DeadlineState


def _managed_deadline(request, pk):
    deadline = selectors.visible_deadline(request.user, pk)
    if not services.may_manage(request.user, deadline):
        raise PermissionDenied("U mag deze termijn niet opschorten of verlengen.")
    return deadline


def _case_closed(user, deadline) -> bool:
    """One who may act on the deadline but not open the case: a manager not on it [DOMAIN 9], or the
    backoffice on a message deadline of a case it handles only the messages of."""
    return not case_selectors.openable_cases(user).filter(pk=deadline.case_id).exists()


def _back_url(user, deadline, closed: bool) -> str:
    """Back to the case page, or for one who may not open the case, to the dashboard (a manager) or the
    start page (the backoffice's inbox)."""
    if closed:
        return reverse("deadlines:dashboard") if user.role in case_selectors.FIGURES_ROLES else reverse("start")
    return reverse("referrals:case_detail", args=[deadline.case.public_id])


def _form_page(request, deadline, form, run, *, success, title, **extra):
    closed = _case_closed(request.user, deadline)
    back = _back_url(request.user, deadline, closed)
    return form_page(
        request,
        form,
        run,
        template="deadlines/deadline_action.html",
        context={
            "deadline": deadline,
            "case": deadline.case,
            "title": title,
            "due": workdays.day_text(deadline.due_at),
            "explanation": deadline.explanation(),
            "back_url": back,
            "case_closed": closed,
            **extra,
        },
        success=success,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pause(request, pk):
    """Pause a running deadline with a reason, or resume a paused one."""
    deadline = _managed_deadline(request, pk)
    if request.method == "POST" and request.POST.get("action") == "hervatten":
        try:
            deadline = services.resume_deadline(actor=request.user, deadline=deadline)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request,
                f"De termijn '{deadline.rule.name}' loopt weer; nieuwe uiterste datum "
                f"{workdays.day_text(deadline.due_at)}.",
            )
        return redirect(_back_url(request.user, deadline, _case_closed(request.user, deadline)))
    return _form_page(
        request,
        deadline,
        PauseForm(request.POST or None),
        lambda d: services.pause_deadline(actor=request.user, deadline=deadline, reason=d["reason"]),
        success=f"De termijn '{deadline.rule.name}' is opgeschort.",
        title="Termijn hervatten" if deadline.paused_at else "Termijn opschorten",
        paused=deadline.paused_at is not None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request, pk):
    deadline = _managed_deadline(request, pk)
    return _form_page(
        request,
        deadline,
        ExtendForm(request.POST or None),
        lambda d: services.extend_deadline(actor=request.user, deadline=deadline, until=d["until"], reason=d["reason"]),
        success=lambda extended: (
            f"De termijn '{extended.rule.name}' is verlengd tot {workdays.day_text(extended.due_at)}."
        ),
        title="Termijn verlengen",
        extend=True,
    )


# --- The managers' dashboard ----------------------------------------------------------------------


def _filters(request):
    """The filter form and the Filters it yields; invalid input keeps the default period and says why."""
    now = timezone.now()
    default = dashboard.Filters.default(workdays.local_date(now))
    form = DashboardFilterForm(
        request.GET or None,
        gemeenten=dashboard.gemeente_choices(request.user),
        partners=dashboard.partner_choices(),
        rules=DeadlineRule.objects.order_by("name"),
        max_months=dashboard.MAX_MONTHS,
        initial={"van": default.start, "tot": default.end},
    )
    filters = default
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        end = dashboard.first_of_month(d["tot"]) if d["tot"] else default.end
        start = dashboard.first_of_month(d["van"]) if d["van"] else dashboard.add_months(end, -11)
        if start > end:  # only "tot" given, before the default start
            start = dashboard.add_months(end, -11)
        filters = dashboard.Filters(
            start=start,
            end=end,
            gemeente=d["gemeente"].pk if d["gemeente"] else None,
            partner=d["partner"].pk if d["partner"] else None,
            rule=d["regel"].pk if d["regel"] else None,
        )
    return form, filters, now


def _list_url(filters, kind, **extra):
    # Reversed once per kind: the dashboard links to a list from every figure (some 150 links).
    return f"{_list_path(kind)}?{urlencode(filters.query(**extra))}"


@functools.cache
def _list_path(kind: str) -> str:
    return reverse("deadlines:dashboard_list", args=[kind])


def _pct(rate):
    return rate.percent


@login_required
def dashboard_page(request):
    dashboard.require_manager(request.user)
    form, filters, now = _filters(request)
    f = dashboard.cached_figures(request.user, filters, now)
    rules = [r for r in f.rules if not filters.rule or r.pk == filters.rule]
    months = f.months
    # The chart data (json_script) and the tables under the charts carry the same numbers and links.
    month_rows = []
    for m in months:
        key = m.strftime("%Y-%m")
        total = f.monthly_total.get(m, dashboard.Rate())
        month_rows.append(
            {
                "label": dashboard.month_name(m),
                "rate": total,
                "url": _list_url(filters, "afgehandeld", maand=key),
                "late_url": _list_url(filters, "te-laat", maand=key),
            }
        )
    series = []
    for r in rules:
        if r.pk not in f.rule_rate:
            continue
        rates = [f.monthly.get((r.pk, m)) for m in months]
        series.append(
            {
                "label": r.name,
                "data": [rate.percent if rate else None for rate in rates],
                "counts": [rate.settled if rate else 0 for rate in rates],
                "urls": [_list_url(filters, "afgehandeld", maand=m.strftime("%Y-%m"), regel=r.pk) for m in months],
            }
        )
    rule_rows = [
        {
            "rule": r,
            "rate": f.rule_rate.get(r.pk, dashboard.Rate()),
            "overdue": f.overdue_by_rule.get(r.pk, 0),
            "week": f.week_by_rule.get(r.pk, 0),
            "settled_url": _list_url(filters, "afgehandeld", regel=r.pk),
            "late_url": _list_url(filters, "te-laat", regel=r.pk),
            "overdue_url": _list_url(filters, "verstreken", regel=r.pk),
            "week_url": _list_url(filters, "deze-week", regel=r.pk),
        }
        for r in rules
    ]
    shown_rules = [row for row in rule_rows if row["rate"].settled or row["overdue"] or row["week"]]
    lead_rows = [
        {
            "code": code,
            "label": label,
            "lead": f.lead[code],
            "url": _list_url(filters, "doorlooptijd", stap=code),
            "waiting_url": _list_url(filters, "wachtend", stap=code),
        }
        for code, _, label in dashboard.STEPS
    ]
    chart_data = {
        "months": [dashboard.month_label(m) for m in months],
        "onTime": series,
        "now": {
            "labels": [row["rule"].name for row in shown_rules],
            "overdue": [row["overdue"] for row in shown_rules],
            "week": [row["week"] for row in shown_rules],
            "overdueUrls": [row["overdue_url"] for row in shown_rules],
            "weekUrls": [row["week_url"] for row in shown_rules],
        },
        "lead": {
            "labels": [row["label"] for row in lead_rows],
            "median": [row["lead"].median for row in lead_rows],
            "p90": [row["lead"].p90 for row in lead_rows],
            "urls": [row["url"] for row in lead_rows],
        },
    }

    def groups(rows, name, **table):
        """The table per gemeente or partner (342 gemeenten: kept rendered beside the cached figures)."""

        def render_table():
            groups = [
                {
                    "row": g,
                    "leads": [g.lead.get(code, dashboard.Lead()) for code, _, _ in dashboard.STEPS],
                    "settled_url": _list_url(filters, "afgehandeld", **{name: g.pk}) if g.pk else "",
                    "overdue_url": _list_url(filters, "verstreken", **{name: g.pk}) if g.pk else "",
                }
                for g in rows
            ]
            context = {"groups": groups, "steps": dashboard.STEPS, **table}
            return render_to_string("deadlines/_dashboard_groups.html", context, request)

        if f.cache_key is None:
            return render_table()
        return cache.get_or_set(f"{f.cache_key}:{name}", render_table, dashboard.cache_seconds())

    return render(
        request,
        "deadlines/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "figures": f,
            "period": f"{dashboard.month_name(filters.start)} tot en met {dashboard.month_name(filters.end)}",
            "month_rows": month_rows,
            "rule_rows": shown_rules,
            "lead_rows": lead_rows,
            "steps": dashboard.STEPS,
            "by_gemeente": groups(
                f.by_gemeente, "gemeente", caption="Per gemeente", first="Gemeente", table_id="table-gemeente"
            ),
            "by_partner": groups(
                f.by_partner, "partner", caption="Per regievoerder", first="Regievoerder", table_id="table-partner"
            ),
            "chart_data": chart_data,
            "overdue_url": _list_url(filters, "verstreken"),
            "week_url": _list_url(filters, "deze-week"),
            "settled_url": _list_url(filters, "afgehandeld"),
            "week_end": workdays.day_text(dashboard.end_of_week(now)),
            "csv_query": urlencode(filters.query()),
        },
    )


CSV_COLUMNS = [
    ("reference", "Casus"),
    ("gemeente", "Gemeente"),
    ("partner", "Regievoerder"),
    ("rule", "Termijn"),
    ("started", "Gestart op"),
    ("due", "Uiterste datum"),
    ("met", "Voldaan op"),
    ("status", "Status"),
    ("days", "Doorlooptijd (dagen)"),
    ("late_days", "Dagen te laat"),
]


@login_required
def dashboard_list(request, kind):
    dashboard.require_manager(request.user)
    if kind not in dashboard.LISTS:
        raise Http404("Deze lijst bestaat niet.")
    form, filters, now = _filters(request)
    month = None
    maand = request.GET.get("maand", "")
    if maand:
        try:
            month = datetime.strptime(maand, "%Y-%m").date()
        except ValueError:
            month = None
    step = request.GET.get("stap", "")
    if step not in dashboard.STEP_LABELS:
        step = ""
    spec = dashboard.ListSpec(kind=kind, month=month, step=step)
    rows = [dashboard.list_row(d, now) for d in dashboard.deadline_list(request.user, filters, spec, now)]
    title = dashboard.list_title(spec)
    cases = [row["case"] for row in rows]
    _mark_actions(request.user, rows)
    if request.GET.get("formaat") == "csv":
        selectors.log_dashboard_list(request.user, title, cases, export=True)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="termijnen-{kind}-{workdays.local_date(now)}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read the accents right
        writer = csv.writer(response, delimiter=";")
        writer.writerow([label for _, label in CSV_COLUMNS])
        for row in rows:
            writer.writerow([_csv_value(row[key]) for key, _ in CSV_COLUMNS])
        return response
    selectors.log_dashboard_list(request.user, title, cases)
    params = filters.query(maand=maand if month else "", stap=step)
    return render(
        request,
        "deadlines/dashboard_list.html",
        {
            "title": title,
            "rows": rows,
            "kind": kind,
            "form": form,
            "filters": filters,
            "period": f"{dashboard.month_name(filters.start)} tot en met {dashboard.month_name(filters.end)}",
            "csv_url": f"{request.path}?{urlencode({**params, 'formaat': 'csv'})}",
            "back_url": f"{reverse('deadlines:dashboard')}?{urlencode(filters.query())}",
            "lead_list": kind == "doorlooptijd",
            "now_list": kind in ("verstreken", "deze-week", "wachtend"),
        },
    )


def _mark_actions(user, rows) -> None:
    """What a manager may do from a row: open the case only when on it (otherwise its number, no link), and
    pause or extend a running deadline they oversee, as on the case page [DOMAIN 9]."""
    closed = case_selectors.closed_case_ids(user, [row["case"] for row in rows])
    for row in rows:
        d = row["deadline"]
        row["closed"] = d.case_id in closed
        row["manage"] = d.state == DeadlineState.OPEN and services.may_manage(user, d)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- In-app notifications -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        n = services.mark_notifications_read(actor=request.user)
        if n:
            messages.success(request, f"{n} melding{'en' if n != 1 else ''} als gelezen gemarkeerd.")
        return redirect("deadlines:notifications")
    rows = list(selectors.notifications_of(request.user))
    closed = case_selectors.closed_case_ids(request.user, [n.case for n in rows if n.case_id])
    return render(request, "deadlines/notifications.html", {"notifications": rows, "closed_cases": closed})

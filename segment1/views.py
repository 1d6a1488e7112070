"""The start page: each role lands on a work list of what needs them now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import OversightRole, Role
from deadlines.selectors import work_list_signals
from messaging import selectors as messaging_selectors
from referrals import selectors

# A work list shows its first rows, most pressing first; the case list, filtered, holds the rest (at national
# size the aanmeldfase alone holds a hundred thousand cases).
WORK_LIST_ROWS = 50
MORE = {  # work list -> the case-list filter that holds all of it
    "queue": "?fase=aanmeld",
    "aangemeld": "?fase=aanmeld",
    "concepten": "?fase=concept",
    "cases": "",
    "coordinated": "",
}


def _first_rows(context: dict) -> None:
    for name, query in MORE.items():
        if name in context:
            rows = list(context[name][: WORK_LIST_ROWS + 1])
            context[name] = rows[:WORK_LIST_ROWS]
            if len(rows) > WORK_LIST_ROWS:
                context[f"{name}_more"] = reverse("referrals:case_list") + query


@login_required
def start(request):
    user = request.user
    role = user.role
    context = {"role": role}
    if role == Role.TOEGANG_MEDEWERKER:
        context.update(selectors.toegang_work_list(user))
        context["coordinated"] = selectors.coordinator_work_list(user)
        template = "start/toegang.html"
    elif role == Role.AANMELDPUNT:
        context["queue"] = selectors.intake_queue(user)
        template = "start/aanmeldpunt.html"
    elif role == Role.REGIEVOERDER:
        context["cases"] = selectors.regie_work_list(user)
        template = "start/regievoerder.html"
    elif role == Role.GEDRAGSWETENSCHAPPER:
        context["cases"] = selectors.gemeente_cases_in_intake(user)
        template = "start/gedragswetenschapper.html"
    elif role in (Role.MANAGER_CROSSROADS, Role.MANAGER_GEMEENTE):
        context["counts"] = selectors.phase_counts(user)
        context["cases"] = selectors.gemeente_cases_in_intake(user)
        template = "start/manager.html"
    elif role == OversightRole.PRIVACY_OFFICER:
        return redirect("privacy:access_log")
    elif role == Role.BACKOFFICE:
        context["inbox"] = messaging_selectors.inbox(user)
        context["lopend"] = messaging_selectors.lopende_toewijzingen_to_end(user, limit=WORK_LIST_ROWS)
        context["gewijzigd"] = messaging_selectors.changed_after_sent(user, limit=WORK_LIST_ROWS)
        template = "start/backoffice.html"
    elif role == Role.FUNCTIONEEL_BEHEERDER:
        context["organisations"] = Organisation.objects.select_related("gemeente").order_by("kind", "name")
        context["kinds"] = OrganisationKind
        context["users"] = (
            User.objects.select_related("organisation")
            .filter(is_active=True)
            .order_by("organisation__name", "last_name")
        )
        template = "start/beheerder.html"
    else:
        template = "start/geen_rol.html"
    _first_rows(context)
    if role in selectors.FIGURES_ROLES:  # the list to act on, not the files [DOMAIN 9]
        context["closed_cases"] = selectors.closed_case_ids(user, context["cases"])
    context.update(work_list_signals(user))
    shown = [
        case
        for name in ("queue", "cases", "coordinated", "concepten", "aangemeld", "terugverwezen", "signal_cases")
        for case in context.get(name, ())
    ] + [m.case for m in context.get("inbox", ()) if m.case_id]
    shown += [lopend.case for lopend in context.get("lopend", ())]
    shown += [event.case for event in context.get("gewijzigd", ())]
    selectors.log_case_list(user=user, where="Werklijst", cases=shown)
    return render(request, template, context)

"""The start page: each role lands on a work list of what needs them now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import OversightRole, Role
from deadlines.selectors import work_list_signals
from messaging import selectors as messaging_selectors
from referrals import selectors, services


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
    context.update(work_list_signals(user))
    shown = [
        case
        for name in ("queue", "cases", "coordinated", "concepten", "aangemeld", "terugverwezen", "signal_cases")
        for case in context.get(name, ())
    ] + [m.case for m in context.get("inbox", ()) if m.case_id]
    services.log_case_list(user=user, where="Werklijst", cases=shown)
    return render(request, template, context)

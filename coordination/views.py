from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from referrals import selectors
from referrals.services import StaleCase
from referrals.views import apply_errors

from . import services
from .forms import CoordinationRequestForm


@login_required
@require_http_methods(["GET", "POST"])
def request_coordination(request, public_id):
    case = selectors.case_detail(request.user, public_id)
    form = CoordinationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_coordination(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        except StaleCase as e:
            messages.error(request, str(e))
            return redirect("referrals:case_detail", public_id=case.public_id)
        else:
            messages.success(request, "Coördinatie is aangevraagd bij de Toegang.")
            return redirect("referrals:case_detail", public_id=case.public_id)
    return render(
        request,
        "referrals/case_action.html",
        {
            "case": case,
            "form": form,
            "title": "Coördinatie aanvragen bij de Toegang",
            "intro": "Bij een verwijzing uit het medisch domein of een overgangscliënt vraagt Crossroads de "
            "Toegang om te coördineren. Daarvoor is eerst toestemming nodig: onder de 12 van de ouders, "
            "van 12 tot 16 van ouders én jeugdige, vanaf 16 van de jeugdige.",
        },
    )

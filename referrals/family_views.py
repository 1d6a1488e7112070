"""Life changes during a case: correcting the youth's data, and a family that grows (a sibling added)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_http_methods

from . import guards, selectors, services
from .forms import JeugdigeCorrectieForm
from .views import _action, registration_page


@login_required
@require_http_methods(["GET", "POST"])
def jeugdige_wijzigen(request, public_id):
    user = request.user

    def run(case, d):
        data = services.JeugdigeCorrectie(**{name: d[name] for name in JeugdigeCorrectieForm.INPUT_FIELDS})
        return services.correct_jeugdige(actor=user, jeugdige=case.jeugdige, data=data, reason=d["reden"])

    return _action(
        request,
        public_id,
        permissions=("referrals.correct_jeugdige",),
        form_class=JeugdigeCorrectieForm,
        title="Gegevens jeugdige wijzigen",
        intro="Een verhuizing, een geboorte (het kind krijgt een eigen BSN), een typefout: pas aan wat veranderd is "
        "en geef de reden. De tijdlijn bewaart per gegeven wat er stond en wat het nu is; het volgende iJw-bericht "
        "gaat met de nieuwe gegevens.",
        initial=lambda case: JeugdigeCorrectieForm.initial_for(case.jeugdige),
        allowed=lambda case: guards.may_correct_jeugdige(case, user),
        run=run,
    )


@login_required
@require_http_methods(["GET", "POST"])
def gezin_jeugdige_toevoegen(request, gezin_id):
    """A sibling added to a family whose case(s) the user sees: the registration for one youth, in this gezin."""
    if not request.user.role or not request.user.has_perm("referrals.register_case"):
        raise PermissionDenied
    family = selectors.family(request.user, gezin_id)
    return registration_page(request, family=family)

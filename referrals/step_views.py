"""Steps a case worker records during the case that are not phase changes: overbruggingszorg during the
wait, and the meldcode steps. Each is one form calling one service (see views._action)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from . import guards, services
from .forms import MeldcodeForm, OverbruggingForm
from .views import _action


@login_required
@require_http_methods(["GET", "POST"])
def overbrugging(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.upload_document",),
        form_class=OverbruggingForm,
        title="Overbruggingszorg vastleggen",
        intro="Start de jeugdhulp niet binnen 6 weken na de aanmelding, dan overbrugt andere hulp de wachttijd. "
        "Leg vast wie die hulp geeft, welke hulp het is en vanaf wanneer, zodra ze geregeld is.",
        allowed=lambda case: guards.may_record_overbrugging(case, user),
        run=lambda case, d: services.record_overbruggingszorg(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meldcode(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.upload_document",),
        form_class=MeldcodeForm,
        title="Stap meldcode vastleggen",
        intro="Leg een stap van de meldcode huiselijk geweld en kindermishandeling vast: een consultatie of "
        "melding bij Veilig Thuis, een zorgmelding, of de afweging om niet te melden. De tijdlijn noemt de stap, "
        "niet de inhoud.",
        allowed=lambda case: guards.may_record_meldcode(case, user),
        run=lambda case, d: services.record_meldcode_stap(actor=user, case=case, **d),
    )

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors
from .forms import LoginForm, TokenForm
from .middleware import second_factor_url

LOCKED_OUT_MESSAGE = (
    "Te vaak een verkeerd wachtwoord: inloggen met deze gebruikersnaam is vanaf dit adres 15 minuten geblokkeerd. "
    "Wacht een kwartier of neem contact op met de functioneel beheerder."
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.get_user().otp_required:
            return redirect(second_factor_url(form.get_user()) + _next_query(self.get_redirect_url()))
        return response


class LogoutView(auth_views.LogoutView):
    pass


def locked_out(request, response=None, credentials=None):
    """django-axes: the login page again, with a Dutch message, after too many failed attempts.

    The API's token endpoint gets the same refusal as application/problem+json (api/problems.py's shape)."""
    if request.path.startswith("/api/"):
        body = {"type": "about:blank", "title": "Te veel mislukte aanmeldingen", "status": 429}
        response = JsonResponse({**body, "detail": LOCKED_OUT_MESSAGE}, status=429)
        response["Content-Type"] = "application/problem+json"
        response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
        return response
    form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
    return render(request, "accounts/login.html", {"form": form, "locked_out": LOCKED_OUT_MESSAGE}, status=429)


def _next_query(url: str) -> str:
    from urllib.parse import urlencode

    return f"?{urlencode({'next': url})}" if url else ""


def _after_second_factor(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("start")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second step of the login for an account with a second factor: the code from the app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return _after_second_factor(request)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Link an authenticator app: scan the QR code (or type the key), confirm with one code.

    Open to every account (an account may add a second factor of its own accord); for an account marked
    `otp_required` it is the only way in until it is done. A confirmed device is replaced only by the
    beheerscherm (delete the device there), never here, so a stolen password cannot re-link the app."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator-app"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return _after_second_factor(request)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            # segno writes the SVG itself (no user input in it): safe to embed, no inline style or script.
            "qr_svg": mark_safe(qr.svg_inline(scale=5, title="QR-code voor de authenticator-app")),
            "secret": _grouped(device.bin_key),
            "next": request.GET.get("next", ""),
        },
    )


def _grouped(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET"])
def directory(request):
    """The contact directory for professionals: how to reach every organisation, and whom to escalate to."""
    kind = request.GET.get("soort", "")
    if kind not in dict(selectors.OrganisationKind.choices):
        kind = ""
    query = request.GET.get("zoek", "").replace("\x00", "")[:100]  # PostgreSQL text holds no NUL
    return render(
        request,
        "accounts/directory.html",
        {
            "sections": selectors.contact_directory(kind, query),
            "kinds": [(k, selectors.OrganisationKind(k).label) for k in selectors.DIRECTORY_ORDER],
            "kind": kind,
            "query": query,
            "may_edit": request.user.is_staff and request.user.has_perm("accounts.change_organisation"),
        },
    )

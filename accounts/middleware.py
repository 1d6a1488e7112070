"""The second factor: an account marked `otp_required` reaches nothing but the login, logout and code
pages until it has given a valid TOTP code in this session (django-otp's OTPMiddleware, which runs
before this one, answers `user.is_verified()`)."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

OPEN_VIEWS = {"accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "otp_required", False)
            and not user.is_verified()
            and _view_name(request.path_info) not in OPEN_VIEWS
        ):
            return redirect(second_factor_url(user))
        return self.get_response(request)


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def second_factor_url(user) -> str:
    """The code page for a user who has set up an authenticator app, else the setup page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return reverse("accounts:otp_verify" if confirmed else "accounts:otp_setup")

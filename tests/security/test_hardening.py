"""Login and sessions: failed-login throttling, the idle timeout, the second factor, CSRF, the
Content-Security-Policy, and production settings that pass `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from referrals.models import CaseEvent
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
START = reverse("start")


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# --- Failed logins (django-axes) -------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_login_with_a_dutch_message(client, world):
    user = world.users["toegang_medewerker"]
    for _ in range(4):
        response = log_in(client, user.username, "fout-wachtwoord")
        assert response.status_code == 200
        assert "Gebruikersnaam of wachtwoord klopt niet" in text(response)

    fifth = log_in(client, user.username, "fout-wachtwoord")
    right_password_too_late = log_in(client, user.username)

    for response in (fifth, right_password_too_late):
        assert response.status_code == 429
        assert "Te vaak een verkeerd wachtwoord" in text(response)
        assert "15 minuten geblokkeerd" in text(response)
    assert client.get(START).status_code == 302  # still not logged in
    # Another person at the same address is not locked out.
    assert log_in(client, world.users["aanmeldpunt"].username).status_code == 302


@pytest.mark.parametrize("url", [LOGIN, "/beheer/login/"])
def test_an_absurdly_long_username_is_refused_without_an_error(client, world, url):
    """Found by the generated input: axes stored the name in a 255-character column and failed."""
    answers = [client.post(url, {"username": "a" * 5000, "password": "x"}).status_code for _ in range(6)]
    assert set(answers) <= {200, 429}  # refused, or locked after five failures: never an error
    assert "hoogstens 150 tekens" in text(client.post(LOGIN, {"username": "a" * 151, "password": "x"}))


def test_the_lock_ends_after_a_quarter_of_an_hour(client, world, time_machine):
    user = world.users["toegang_medewerker"]
    for _ in range(5):
        log_in(client, user.username, "fout-wachtwoord")
    time_machine.shift(timedelta(minutes=16))

    response = log_in(client, user.username)

    assert response.status_code == 302 and response["Location"] == START


# --- Sessions ----------------------------------------------------------------------------------


def test_a_session_ends_after_15_minutes_without_a_request(client, world, time_machine):
    response = log_in(client, world.users["aanmeldpunt"].username)
    assert response.cookies["sessionid"]["httponly"]
    assert client.session.get_expiry_age() == 15 * 60

    time_machine.shift(timedelta(minutes=14))
    assert client.get(START).status_code == 200  # each request renews the quarter of an hour
    time_machine.shift(timedelta(minutes=14))
    assert client.get(START).status_code == 200
    time_machine.shift(timedelta(minutes=16))
    response = client.get(START)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- CSRF ------------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    assert log_in(client, world.users["aanmeldpunt"].username).status_code == 403
    client.force_login(world.users["regievoerder"])
    before = CaseEvent.objects.count()

    response = client.post(
        reverse("referrals:zorg_gestart", args=[world.own.public_id]), {"zorg_gestart_op": "2026-03-09"}
    )

    assert response.status_code == 403
    assert CaseEvent.objects.count() == before


def test_with_the_token_from_the_page_the_same_post_works(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(
        LOGIN, {"username": world.users["aanmeldpunt"].username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


# --- Headers ---------------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.users["aanmeldpunt"])
    for url in (LOGIN, START, reverse("referrals:case_detail", args=[world.own.public_id])):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_debug_page_for_a_missing_page(client, world):
    client.force_login(world.users["aanmeldpunt"])
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert "URLconf" not in response.content.decode() and "Traceback" not in response.content.decode()


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "segment1.hartvanbrabant.example",
    "DJANGO_DEBUG": "0",
}


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_send_hsts_and_secure_cookies_and_no_debug():
    shown = _manage(
        "shell",
        "-v0",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        **PRODUCTION,
    )
    assert shown.stdout.split() == ["False", str(365 * 24 * 3600), "True", "True", "True"], shown.stderr
    # The development key is never good enough for production: check --deploy says so.
    development_key = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    weak = _manage("check", "--deploy", "--fail-level", "WARNING", **development_key)
    assert weak.returncode != 0 and "security.W009" in weak.stderr + weak.stdout


# --- Second factor (django-otp, TOTP) --------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_an_account_marked_for_a_second_factor_links_an_app_and_then_needs_its_code(client, time_machine):
    user = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads(), otp_required=True)

    response = log_in(client, user.username)
    assert response["Location"] == reverse("accounts:otp_setup")
    # Nothing else opens before the app is linked.
    assert client.get(START)["Location"] == reverse("accounts:otp_setup")
    setup = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in setup.content.decode() and "QR-code voor de authenticator-app" in text(setup)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    wrong = client.post(reverse("accounts:otp_setup"), {"code": "12345x"})
    assert "Een code bestaat uit zes cijfers." in text(wrong)
    assert client.get(START).status_code == 302
    time_machine.shift(timedelta(seconds=5))
    linked = client.post(reverse("accounts:otp_setup"), {"code": current_code(device)})
    assert linked["Location"] == START
    assert client.get(START).status_code == 200

    # Next time: password, then the code from the app.
    client.post(reverse("accounts:logout"))
    time_machine.shift(timedelta(minutes=1))
    assert log_in(client, user.username)["Location"] == reverse("accounts:otp_verify")
    assert client.get(START)["Location"] == reverse("accounts:otp_verify")
    refused = client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert "Deze code klopt niet" in text(refused)
    time_machine.shift(timedelta(seconds=5))
    assert client.post(reverse("accounts:otp_verify"), {"code": current_code(device)})["Location"] == START
    assert client.get(START).status_code == 200


def test_an_account_without_the_mark_logs_in_with_its_password_alone(client, world):
    assert log_in(client, world.users["aanmeldpunt"].username)["Location"] == START
    assert client.get(START).status_code == 200


def test_the_functioneel_beheerder_marks_an_account_for_a_second_factor_in_the_beheerscherm(client, world):
    client.force_login(world.users["functioneel_beheerder"])
    target = world.users["regievoerder"]

    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))

    assert page.status_code == 200
    assert 'name="otp_required"' in page.content.decode()
    assert "Tweede factor verplicht" in text(page)
    # A lost phone: the beheerder removes the linked app, so the account links a new one.
    device = TOTPDevice.objects.create(user=target, name="app", confirmed=True)
    removed = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize("password", ["welkom01", "12345678901", "regievoerder"])
def test_weak_passwords_are_refused_by_djangos_validators(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.users["regievoerder"])

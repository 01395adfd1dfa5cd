"""TOTP second factor (django-otp): enrolment with a QR code and recovery codes, the code
after the password, enforcement by LINDUNG_MFA_REQUIRED, and the admin's reset."""

from __future__ import annotations

import datetime as dt
import re
import time

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lindung.audit.models import AuditEvent
from tests.conftest import PASSWORD, client_for
from tests.test_settings import PRODUCTION_ENV, _run

LOGIN = reverse("accounts:login")
CODE_PAGE = reverse("accounts:login_code")
SETUP = reverse("accounts:mfa_setup")
HOME = reverse("home")


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def enrol(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="pemulihan")
    StaticToken.objects.create(device=recovery, token="pulih234")
    return device


def password_step(username: str = "bob") -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_with_mfa_required_a_user_without_a_device_reaches_only_the_enrolment(settings, operator):
    settings.LINDUNG_MFA_REQUIRED = True
    client = client_for(operator)

    for url in (HOME, reverse("workers:list"), CODE_PAGE):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    page = client.get(SETUP)

    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html  # the QR code inline: no external image, no CDN
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', html).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 bytes of key in base32
    assert "secret=" + secret.replace(" ", "") in device.config_url


def test_enrolment_confirms_with_a_code_and_shows_ten_recovery_codes_once(settings, operator):
    settings.LINDUNG_MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling: see the login test below
    client = client_for(operator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=operator)

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    right = client.post(SETUP, {"code": code_for(device, steps_ahead=1)})

    assert "Kode tidak cocok" in wrong.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", right.content.decode())
    assert len(codes) == 10
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="user.mfa_enrolled", actor=operator).count() == 1
    # Shown once: the page now only says it is active.
    assert not re.search(r"<code>[a-z2-7]{8}</code>", client.get(SETUP).content.decode())


def test_the_login_asks_for_the_code_after_the_password(operator):
    device = enrol(operator)
    with time_machine.travel(dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = password_step()
        first = client.get(HOME)
        assert first.status_code == 302
        assert first["Location"] == f"{CODE_PAGE}?next=%2F"
        assert client.get(reverse("workers:list")).status_code == 302
        # With a device, the enrolment page cannot be used to swap in another one.
        assert client.get(SETUP)["Location"].startswith(CODE_PAGE)

        wrong = client.post(CODE_PAGE, {"code": "12345", "next": "/"})
        # Right after a wrong code the device refuses even the right one (throttled) ...
        throttled = client.post(CODE_PAGE, {"code": code_for(device), "next": "/"})
        clock.shift(dt.timedelta(seconds=2))
        right = client.post(CODE_PAGE, {"code": code_for(device), "next": "/"})
        after = client.get(HOME)

    assert "Kode salah" in wrong.content.decode()
    assert throttled.status_code == 200
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert after.status_code == 200
    assert AuditEvent.objects.filter(action="user.mfa_failed", actor=operator).count() == 2
    assert AuditEvent.objects.filter(action="user.mfa_passed", actor=operator).count() == 1


def test_a_recovery_code_lets_the_user_in_once(operator):
    enrol(operator)

    first = password_step().post(CODE_PAGE, {"code": "PULIH 234"})
    again = password_step().post(CODE_PAGE, {"code": "pulih234"})

    assert first.status_code == 302
    assert again.status_code == 200
    event = AuditEvent.objects.get(action="user.mfa_passed")
    assert event.changes == {"recovery": True}


def test_without_a_device_and_mfa_off_the_password_is_enough(operator):
    assert password_step().get(HOME).status_code == 200


def test_an_admin_reset_removes_the_second_factor_and_ends_the_sessions(admin, operator):
    enrol(operator)
    bobs_browser = password_step()
    session_key = bobs_browser.session.session_key

    response = client_for(admin).post(
        reverse("accounts:user_mfa_reset", args=[operator.pk]), follow=True
    )

    assert "Verifikasi dua langkah bob direset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert not StaticDevice.objects.filter(user=operator).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    event = AuditEvent.objects.get(action="user.mfa_reset")
    assert (event.actor, event.object_id) == (admin, str(operator.pk))


def test_only_an_admin_resets_a_second_factor(operator, other_operator):
    enrol(operator)

    response = client_for(other_operator).post(
        reverse("accounts:user_mfa_reset", args=[operator.pk])
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=operator).exists()


def test_production_refuses_to_start_with_the_second_factor_switched_off(tmp_path):
    env = {**PRODUCTION_ENV, "LINDUNG_MFA_REQUIRED": "0", "LINDUNG_VAR_DIR": str(tmp_path)}

    result = _run(env, "check")

    assert result.returncode != 0
    assert "LINDUNG_MFA_REQUIRED cannot be switched off in production" in result.stderr

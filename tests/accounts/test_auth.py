"""Login, logout, password change and reset, and session lifetimes, through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from lindung.audit.models import AuditEvent
from tests.conftest import PASSWORD, client_for

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Baru#Sandi2026x"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_login_page_speaks_bahasa_indonesia(client):
    response = client.get(LOGIN)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk ke Lindung" in html
    assert "Lupa kata sandi?" in html


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_a_good_login_lands_on_the_home_page_and_is_audited(client, admin):
    response = login(client, "alice")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="user.login")
    assert event.actor == admin
    assert event.pemda == admin.pemda


def test_a_wrong_password_is_refused_in_indonesian_and_audited(client, admin):
    response = login(client, "alice", "salah-sekali")

    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.changes == {"username": "alice"}
    assert event.actor is None
    assert "salah-sekali" not in str(event.changes)
    # Filed under alice's Pemda, so her admins see attempts on her account.
    assert event.pemda_id == admin.pemda_id


def test_logout_takes_a_post_and_is_audited(admin):
    client = client_for(admin)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="user.logout", actor=admin).count() == 1


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Tulungagung2025", "simbol"),
        ("tulungagung#2025", "huruf besar"),
        ("TULUNGAGUNG#2025", "huruf kecil"),
        ("Tulungagung#Jatim", "angka"),
        ("Tg#2025ab", "terlalu pendek"),
    ],
    ids=["no-symbol", "no-upper", "no-lower", "no-digit", "short"],
)
def test_a_new_password_must_follow_the_bssn_rule(new_password, message, operator):
    client = client_for(operator)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    if message != "terlalu pendek":
        assert "Kata sandi harus memuat" in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_a_password_change_keeps_the_user_in_and_is_audited(operator):
    client = client_for(operator)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert "Kata sandi berhasil diganti" in client.get(reverse("home")).content.decode()
    operator.refresh_from_db()
    assert operator.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == operator
    assert NEW_PASSWORD not in str(event.changes)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


@pytest.mark.parametrize(
    ("email", "mails"), [("bob@perikanan.example", 1), ("siapa@entah.example", 0)]
)
def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(
    email, mails, client, operator, outbox
):
    operator.email = "bob@perikanan.example"
    operator.save()

    response = client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)

    assert response.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert "Periksa email" in response.content.decode()
    assert len(outbox) == mails
    assert AuditEvent.objects.filter(action="user.password_reset_requested").count() == 1


def test_the_reset_link_lets_the_user_set_a_new_password(client, operator, outbox):
    operator.email = "bob@perikanan.example"
    operator.save()
    client.post(reverse("accounts:password_reset"), {"email": operator.email})
    (message,) = outbox
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert message.to == ["bob@perikanan.example"]
    assert "Buat kata sandi baru" in form_page.content.decode()
    assert "Kata sandi baru tersimpan" in response.content.decode()
    assert login(Client(), "bob", NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="user.password_reset", actor=operator).exists()
    # The link is single-use.
    assert "tidak berlaku lagi" in client.get(link, follow=True).content.decode()


def test_the_session_cookie_lives_as_long_as_the_idle_timeout(client, admin):
    login(client, "alice")
    response = client.get(reverse("home"))

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == django_settings.SESSION_IDLE_SECONDS
    assert django_settings.SESSION_COOKIE_AGE == django_settings.SESSION_IDLE_SECONDS


@pytest.mark.parametrize(("idle_minutes", "status"), [(-1, 200), (+1, 302)])
def test_a_session_idle_past_the_timeout_is_over(idle_minutes, status, client, admin):
    idle = dt.timedelta(seconds=django_settings.SESSION_IDLE_SECONDS, minutes=idle_minutes)
    with time_machine.travel(dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        login(client, "alice")
        clock.shift(idle)
        response = client.get(reverse("home"))

    assert response.status_code == status


def test_an_active_session_still_ends_after_the_absolute_lifetime(client, admin):
    step = dt.timedelta(seconds=django_settings.SESSION_IDLE_SECONDS - 60)
    absolute = dt.timedelta(seconds=django_settings.SESSION_ABSOLUTE_SECONDS)
    with time_machine.travel(dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        login(client, "alice")
        assert client.get(reverse("home")).status_code == 200
        elapsed = dt.timedelta(0)
        while elapsed + step <= absolute:
            clock.shift(step)
            elapsed += step
            assert client.get(reverse("home")).status_code == 200, elapsed
        clock.shift(step)
        response = client.get(reverse("home"))
        follow = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "Sesi Anda berakhir" in follow.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_disabling_a_user_ends_their_open_sessions(admin, operator):
    bobs_browser = client_for(operator)
    assert bobs_browser.get(reverse("home")).status_code == 200
    session_key = bobs_browser.session.session_key

    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.pk]),
        {"first_name": "Bob", "role": "agency_operator", "agency": operator.agency_id},
    )

    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_active
    assert not Session.objects.filter(session_key=session_key).exists()
    assert bobs_browser.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        {"role": "agency_operator", "agency": "other"},
        {"role": "verifier", "agency": ""},
    ],
    ids=["moved-to-another-agency", "given-another-role"],
)
def test_moving_a_user_to_another_agency_or_role_ends_their_sessions(
    change, admin, operator, other_agency
):
    bobs_browser = client_for(operator)
    assert bobs_browser.get(reverse("home")).status_code == 200
    agency = other_agency.pk if change["agency"] == "other" else ""

    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.pk]),
        {"first_name": "Bob", "role": change["role"], "agency": agency, "is_active": "on"},
    )

    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.is_active
    assert (operator.role, operator.agency_id) == (change["role"], agency or None)
    assert bobs_browser.get(reverse("home")).status_code == 302


def test_renaming_a_user_keeps_their_session(admin, operator):
    bobs_browser = client_for(operator)

    client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.pk]),
        {
            "first_name": "Bob Baru",
            "role": "agency_operator",
            "agency": operator.agency_id,
            "is_active": "on",
        },
    )

    assert bobs_browser.get(reverse("home")).status_code == 200

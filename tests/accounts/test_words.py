"""Account pages ask plainly: an empty login form asks for what is missing, the terms are
consistent ("email"), and the username's help text is written in good Indonesian."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from tests.conftest import client_for

LOGIN = reverse("accounts:login")


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "Isi nama pengguna dan kata sandi."),
        ("alice", "", "Isi kata sandi."),
        ("   ", "Rahasia#Uji2025", "Isi nama pengguna."),
    ],
)
def test_an_incomplete_login_form_asks_for_what_is_missing(
    client, admin, username, password, message
):
    response = client.post(LOGIN, {"username": username, "password": password})

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "salah" not in html
    assert not AuditEvent.objects.filter(action="user.login_failed").exists()


def test_a_filled_in_wrong_login_is_still_called_wrong(client, admin):
    html = client.post(LOGIN, {"username": "alice", "password": "bukan"}).content.decode()

    assert "Nama pengguna atau kata sandi salah" in html
    assert "Isi nama pengguna" not in html


@pytest.mark.parametrize(
    "url", [reverse("accounts:password_reset"), reverse("accounts:password_reset_done")]
)
def test_account_pages_say_email_not_e_mail_or_surel(client, url):
    html = client.get(url).content.decode().lower()

    assert "email" in html
    assert "e-mail" not in html
    assert "surel" not in html


def test_the_username_help_text_is_rephrased(admin):
    html = client_for(admin).get(reverse("accounts:user_create")).content.decode()

    assert "150 karakter atau sedikit" not in html
    assert "Paling banyak 150 karakter" in html

"""Lockout after repeated failed logins (django-axes), per account and client address, and
the failed-login audit (issue 15 point 1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from lindung.audit.models import AuditEvent
from tests.conftest import PASSWORD, client_for

LOGIN = reverse("accounts:login")
HOME = reverse("home")


def attempt(client: Client, username: str, password: str, **headers: str):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def fail(client: Client, username: str, times: int, **headers: str) -> None:
    for _ in range(times):
        attempt(client, username, "Salah#Sandi2025", **headers)


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, admin):
    fail(client, "alice", 30)

    response = attempt(client, "alice", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Akun dikunci sementara" in html
    assert "Coba lagi setelah 15 menit" in html
    assert client.get(HOME).status_code == 302
    # The lockout itself is audited once, at the fifth failure; every attempt is a failure.
    (locked,) = AuditEvent.objects.filter(action="user.locked_out")
    assert locked.changes == {"username": "alice", "failures": 5, "minutes": 15}
    assert locked.pemda_id == admin.pemda_id
    assert AuditEvent.objects.filter(action="user.login_failed").count() == 31
    assert not AuditEvent.objects.filter(action="user.login").exists()


def test_four_failures_do_not_lock_and_a_success_starts_the_count_again(client, admin):
    fail(client, "alice", 4)
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    fail(client, "alice", 4)

    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_the_lockout_holds_one_account_at_one_address(admin, operator):
    fail(Client(REMOTE_ADDR="198.51.100.7"), "alice", 5)

    same = attempt(Client(REMOTE_ADDR="198.51.100.7"), "alice", PASSWORD)
    other_address = attempt(Client(REMOTE_ADDR="198.51.100.8"), "alice", PASSWORD)
    other_account = attempt(Client(REMOTE_ADDR="198.51.100.7"), "bob", PASSWORD)

    assert same.status_code == 429
    # A colleague behind the same office address still gets in, and so does alice elsewhere.
    assert other_address.status_code == 302
    assert other_account.status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout_without_a_proxy(admin):
    fail(Client(), "alice", 5, HTTP_X_FORWARDED_FOR="203.0.113.1")

    response = attempt(Client(), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert response.status_code == 429


def test_behind_the_proxy_the_lockout_follows_the_real_client_address(settings, admin):
    settings.TRUSTED_PROXY_COUNT = 1
    fail(Client(REMOTE_ADDR="10.0.0.2"), "alice", 5, HTTP_X_FORWARDED_FOR="203.0.113.1")

    locked = attempt(
        Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    other = attempt(
        Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.2"
    )

    assert locked.status_code == 429
    assert other.status_code == 302
    event = AuditEvent.objects.get(action="user.locked_out")
    assert event.ip_address == "203.0.113.1"


def test_the_lockout_ends_after_the_cool_off(client, admin):
    cool_off = django_settings.AXES_COOLOFF_TIME
    with time_machine.travel(dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail(client, "alice", 5)
        clock.shift(cool_off - dt.timedelta(minutes=1))
        assert attempt(client, "alice", PASSWORD).status_code == 429
        # That attempt during the lockout started the cool-off again.
        clock.shift(cool_off + dt.timedelta(seconds=1))
        response = attempt(client, "alice", PASSWORD)

    assert response.status_code == 302


def test_an_admin_sees_the_lockout_and_unlocks_the_account_audited(admin, operator):
    fail(Client(), "bob", 5)
    admins = client_for(admin)
    edit = reverse("accounts:user_edit", args=[operator.pk])
    assert "Dikunci sementara" in admins.get(edit).content.decode()

    response = admins.post(reverse("accounts:user_unlock", args=[operator.pk]), follow=True)

    assert "Kunci akun bob dibuka" in response.content.decode()
    assert "Akun tidak dikunci" in response.content.decode()
    assert attempt(Client(), "bob", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="user.unlocked")
    assert (event.actor, event.object_id) == (admin, str(operator.pk))


def test_only_an_admin_unlocks(operator, other_operator):
    response = client_for(other_operator).post(reverse("accounts:user_unlock", args=[operator.pk]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="user.unlocked").exists()


@pytest.mark.parametrize("typed", ["Rahasia#Uji2025", "alice2"])
def test_a_failed_login_on_an_unknown_name_keeps_nothing_of_what_was_typed(client, admin, typed):
    attempt(client, typed, "Salah#Sandi2025")

    event = AuditEvent.objects.get(action="user.login_failed")
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any(typed in str(value) for value in row.values())
    assert event.changes == {"account": "unknown"}
    assert event.pemda_id is None


def test_locking_an_unknown_name_keeps_nothing_of_what_was_typed(client, admin):
    fail(client, "Rahasia#Uji2025", 5)

    event = AuditEvent.objects.get(action="user.locked_out")
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any("Rahasia" in str(value) for value in row.values())
    assert event.changes == {"failures": 5, "minutes": 15}


def test_an_address_trying_many_names_is_refused_for_every_account(settings, admin):
    """Wider rule per address: 4 failures on each of 8 names (never 5 on one pair) reach the
    address's 30; the right password of a real account from there is refused, not elsewhere."""
    settings.LOCKOUT_ADDRESS_FAILURES = 30
    for i in range(8):
        fail(Client(REMOTE_ADDR="203.0.113.9"), f"nama{i}", 4)

    refused = attempt(Client(REMOTE_ADDR="203.0.113.9"), "alice", PASSWORD)
    elsewhere = attempt(Client(REMOTE_ADDR="203.0.113.10"), "alice", PASSWORD)

    assert refused.status_code == 429
    assert "Akun dikunci sementara" in refused.content.decode()
    assert elsewhere.status_code == 302


def test_an_account_tried_from_many_addresses_is_refused_from_every_address(
    settings, admin, operator
):
    """Wider rule per account: 4 failures from each of 5 addresses reach the account's 20; its
    right password is refused from a new address until the cool-off has passed."""
    settings.LOCKOUT_ACCOUNT_FAILURES = 20
    for i in range(5):
        fail(Client(REMOTE_ADDR=f"192.0.2.{i + 1}"), "alice", 4)

    refused = attempt(Client(REMOTE_ADDR="192.0.2.200"), "alice", PASSWORD)
    other_account = attempt(Client(REMOTE_ADDR="192.0.2.200"), "bob", PASSWORD)

    assert refused.status_code == 429
    assert other_account.status_code == 302
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        assert attempt(Client(REMOTE_ADDR="192.0.2.201"), "alice", PASSWORD).status_code == 302

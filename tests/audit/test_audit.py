"""The audit trail: append-only in the database, tied to its request, free of secrets."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.audit.services import audit_record, diff
from tests.conftest import PASSWORD, client_for


@pytest.fixture
def event(admin):
    return audit_record(actor=admin, action="program.created", label="Program 2025")


def _raw(sql: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])


TAMPERING = {
    "raw-update": lambda e: _raw("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", e.pk),
    "raw-delete": lambda e: _raw("DELETE FROM audit_auditevent WHERE id = %s", e.pk),
    "queryset-update": lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="x"),
    "queryset-delete": lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
    "instance-save": lambda e: (setattr(e, "action", "x"), e.save()),
    "instance-delete": lambda e: e.delete(),
}


@pytest.mark.parametrize("attempt", list(TAMPERING))
def test_the_database_refuses_to_change_or_delete_an_audit_event(attempt, event):
    # The savepoint lets PostgreSQL carry on after the refused statement.
    with pytest.raises(DatabaseError), transaction.atomic():
        TAMPERING[attempt](event)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "program.created"


@pytest.mark.parametrize(
    "url", [reverse("accounts:login"), reverse("home"), "/tidak-ada/", reverse("workers:list")]
)
def test_every_response_carries_its_own_request_id(url, admin):
    client = client_for(admin)

    first, second = client.get(url), client.get(url)

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_events_written_in_a_request_carry_its_id_and_client_ip(client, admin):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )

    event = AuditEvent.objects.get(action="user.login")
    assert event.request_id == response["X-Request-ID"]
    assert event.ip_address == "10.20.30.40"
    assert event.channel == "web"


@pytest.mark.parametrize(
    ("proxies", "expected"), [(0, "10.0.0.9"), (1, "192.168.7.7"), (2, "203.0.113.5")]
)
def test_the_client_ip_trusts_only_the_configured_proxy_hops(
    proxies, expected, client, admin, settings
):
    settings.TRUSTED_PROXY_COUNT = proxies

    client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": "salah"},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 192.168.7.7",
    )

    assert AuditEvent.objects.get(action="user.login_failed").ip_address == expected


def test_the_audit_log_page_filters_by_action(admin, event):
    client = client_for(admin)
    client.post(reverse("accounts:logout"))
    client.force_login(admin)

    page = client.get(reverse("accounts:audit_list"), {"aksi": "user.logout"}).content.decode()
    rows = page[page.index("<tbody>") :]

    assert "Keluar" in rows
    assert "Program dibuat" not in rows
    everything = client.get(reverse("accounts:audit_list")).content.decode()
    assert "Program dibuat" in everything[everything.index("<tbody>") :]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"password": "Lama#2024abcd"}, {"password": "Baru#2025abcd"}, ["***", "***"]),
        ({}, {"password": "Baru#2025abcd"}, ["***", "***"]),
        ({"password": "Sama#2025abcd"}, {"password": "Sama#2025abcd"}, None),
    ],
    ids=["changed", "set", "unchanged"],
)
def test_diff_never_records_a_password(old, new, expected):
    changes = diff({"name": "Bob", **old}, {"name": "Bobby", **new})

    assert changes.get("password") == expected
    assert changes["name"] == ["Bob", "Bobby"]
    assert "abcd" not in str(changes)

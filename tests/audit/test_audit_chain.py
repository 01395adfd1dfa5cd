"""The audit trail is tamper-evident: each event is hash-chained to the one before it in its
Pemda's chain, `lindung audit verify` names the first broken link, and refused object URLs
leave one audit row."""

from __future__ import annotations

import hashlib
import json
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.urls import reverse

from lindung.audit.chain import canonical, verify
from lindung.audit.models import AuditChain, AuditEvent
from lindung.audit.services import audit_record
from lindung.common.commands import UsageError
from tests.conftest import client_for
from tests.factories import UserFactory

append_only = import_module("lindung.audit.migrations.0002_append_only")


def _without_append_only_trigger(sql: str, params: list) -> None:
    """Tamper as someone with database access would: lift the trigger, change, put it back
    (inside the test's transaction, so the test database itself is untouched after)."""
    down = (
        append_only.POSTGRES_DOWN if connection.vendor == "postgresql" else append_only.SQLITE_DOWN
    )
    up = append_only.POSTGRES_UP if connection.vendor == "postgresql" else append_only.SQLITE_UP
    with connection.cursor() as cursor:
        for statement in down:
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in up:
            cursor.execute(statement)


def _verify_json(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("audit", "verify", "--json", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, json.loads(out.getvalue())


@pytest.fixture
def three_events(admin):
    return [audit_record(actor=admin, action="program.created", label=f"P{i}") for i in range(3)]


def test_each_event_hashes_its_content_and_the_previous_hash(three_events):
    first, second, third = (AuditEvent.objects.get(pk=e.pk) for e in three_events)
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.hash == hashlib.sha256(canonical(third).encode()).hexdigest()
    head = AuditChain.objects.get(key=f"pemda-{first.pemda_id}")
    assert (head.length, head.last_hash, head.last_event_id) == (3, third.hash, third.pk)


def test_each_pemda_has_its_own_chain(admin, other_pemda):
    mine = audit_record(actor=admin, action="program.created")
    theirs = audit_record(actor=None, action="program.created", pemda=other_pemda)
    system = audit_record(actor=None, action="region.loaded")
    again = audit_record(actor=admin, action="program.updated")
    assert again.prev_hash == mine.hash
    assert theirs.hash not in {mine.prev_hash, again.prev_hash, system.prev_hash}
    assert {c.key for c in AuditChain.objects.all()} == {
        f"pemda-{admin.pemda_id}",
        f"pemda-{other_pemda.pk}",
        "global",
    }


def test_an_untouched_trail_verifies_with_exit_status_0(three_events):
    status, report = _verify_json()
    assert status == 0
    assert report["intact"] is True
    assert report["first_break"] is None
    assert {"chain": f"pemda-{three_events[0].pemda_id}", "events": 3, "intact": True} in report[
        "chains"
    ]


def test_an_edited_row_is_reported_as_the_first_broken_link(three_events):
    edited = three_events[1]
    _without_append_only_trigger(
        "UPDATE audit_auditevent SET object_label = %s WHERE id = %s", ["P9", edited.pk]
    )

    status, report = _verify_json()

    assert status == 1
    assert report["intact"] is False
    assert report["first_break"]["event_id"] == edited.pk
    assert report["first_break"]["problem"] == "hash"
    assert report["first_break"]["found"] == edited.hash


def test_a_deleted_row_breaks_the_link_of_the_event_after_it(three_events):
    first, removed, third = three_events
    _without_append_only_trigger("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])

    status, report = _verify_json("--pemda", "tulungagung")

    assert status == 1
    assert report["first_break"]["event_id"] == third.pk
    assert report["first_break"]["problem"] == "prev_hash"
    assert report["first_break"]["expected"] == first.hash


def test_removing_the_newest_event_is_caught_by_the_chain_head(three_events):
    _without_append_only_trigger("DELETE FROM audit_auditevent WHERE id = %s", [three_events[2].pk])

    report = verify(three_events[0].pemda_id)

    assert report["first_break"]["problem"] == "head"
    assert report["first_break"]["event_id"] == three_events[1].pk


def test_a_rehashed_edit_is_still_caught_by_the_next_link(three_events):
    # A forger who recomputes the edited row's own hash still breaks the next prev_hash.
    edited = AuditEvent.objects.get(pk=three_events[0].pk)
    edited.object_label = "P9"
    new_hash = hashlib.sha256(canonical(edited).encode()).hexdigest()
    _without_append_only_trigger(
        "UPDATE audit_auditevent SET object_label = 'P9', hash = %s WHERE id = %s",
        [new_hash, edited.pk],
    )

    report = verify(edited.pemda_id)

    assert report["first_break"]["event_id"] == three_events[1].pk
    assert report["first_break"]["problem"] == "prev_hash"


def test_verify_refuses_an_unknown_pemda_code(db):
    with pytest.raises(UsageError, match="nowhere"):
        call_command("audit", "verify", "--pemda", "nowhere")


def test_a_refused_object_url_leaves_one_audit_row_without_the_query_string(admin, other_pemda):
    stranger = UserFactory(username="zed", pemda=other_pemda)
    url = reverse("accounts:user_edit", args=[stranger.pk])

    response = client_for(admin).get(url + "?nik=3504011203850001")

    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == admin
    assert denied.changes == {"path": url, "status": 404}
    assert "3504011203850001" not in json.dumps(denied.changes) + denied.object_label


def test_an_unknown_path_or_an_anonymous_visitor_is_not_recorded(admin, client):
    client_for(admin).get("/tidak-ada-halaman-ini/")
    client.get(reverse("accounts:user_edit", args=[999_999]))
    assert not AuditEvent.objects.filter(action="access.denied").exists()


class _Editor:
    """Enough of a schema editor for the data migration: its connection and `execute`."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_data_migration_chains_events_written_before_the_chain_existed(three_events):
    from django.apps import apps

    migration = import_module("lindung.audit.migrations.0004_hash_existing_events")
    _without_append_only_trigger("UPDATE audit_auditevent SET hash = '', prev_hash = ''", [])
    AuditChain.objects.all().delete()
    assert verify()["intact"] is False

    migration.hash_existing(apps, _Editor())

    assert verify()["intact"] is True
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=three_events[0].pk).update(action="x")

"""The same SP2D number recorded by several requests at once: exactly one is recorded, the
others are refused in Indonesian (the unique constraint `payment_sp2d_once`, not luck).
Runs on SQLite and on PostgreSQL (scripts/with-postgres.sh).

The racing threads need committed data and their own connections, so these tests leave the
usual per-test transaction: on SQLite they run on a file copy of the test database (the
in-memory one fails a second writer at once, "table is locked", where production's file
waits); on PostgreSQL on the test database itself, removing what they made afterwards."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from lindung.accounts.models import Pemda, Role, User
from lindung.audit.models import AuditEvent
from lindung.billing.models import Payment, PaymentMonth
from lindung.billing.services import payment_record
from lindung.common.errors_domain import ServiceError
from lindung.programs.models import FundingSource, Program
from tests.factories import FundingSourceFactory, PemdaFactory, ProgramFactory, UserFactory

THREADS = 4


def _remove(pemda_id: int) -> None:
    """Remove what a race made in PostgreSQL's test database (the audit log's append-only
    trigger paused inside the same transaction)."""
    with transaction.atomic():
        PaymentMonth.objects.filter(pemda_id=pemda_id).delete()
        Payment.objects.filter(pemda_id=pemda_id).delete()
        FundingSource.objects.filter(pemda_id=pemda_id).delete()
        Program.objects.filter(pemda_id=pemda_id).delete()
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            AuditEvent.objects.filter(pemda_id=pemda_id).delete()
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        User.objects.filter(pemda_id=pemda_id).delete()
        Pemda.objects.filter(pk=pemda_id).delete()


@pytest.fixture
def race_db(django_db_setup, django_db_blocker, tmp_path) -> Iterator[None]:
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            memory = connection.settings_dict["NAME"]
            keeper = sqlite3.connect(memory, uri=True)  # the in-memory database lives on
            target = tmp_path / "race.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            copy.close()
            connection.settings_dict["NAME"] = str(target)
            connection.close()
            try:
                yield
            finally:
                connection.close()
                connection.settings_dict["NAME"] = memory
                connection.ensure_connection()  # back on the in-memory database first
                keeper.close()
            return
        before = set(Pemda.objects.values_list("pk", flat=True))
        try:
            yield
        finally:
            for pemda_id in set(Pemda.objects.values_list("pk", flat=True)) - before:
                _remove(pemda_id)


@pytest.fixture
def setting(race_db):
    pemda = PemdaFactory(code="balapan", name="Pemkab Balapan", region_id="35.04")
    finance = UserFactory(username="keuangan-balapan", pemda=pemda, role=Role.FINANCE)
    program = ProgramFactory(pemda=pemda, code="balapan-2025")
    source = FundingSourceFactory(program=program, code="apbd")
    return finance, program, source


def _race(finance, program, source) -> list[object]:
    connection.close()  # each thread, and then the test, on its own connection
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            barrier.wait()
            payment = payment_record(
                actor=finance, program=program, funding_source=source,
                sp2d_number=f" 900/sp2d/{'LS' if i % 2 else 'ls'}/2025",
                paid_on=dt.date(2025, 2, 3), amount=16_800, months=["2025-01"],
            )  # fmt: skip
            result: object = payment.pk
        except ServiceError as exc:
            result = exc.message
        except Exception as exc:  # reported by the assertion below
            result = exc
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def _check(outcomes: list[object], program: Program) -> None:
    recorded = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, str)]
    assert len(recorded) == 1, outcomes
    assert len(refused) == THREADS - 1, outcomes
    assert all("sudah pernah dicatat" in message for message in refused)
    assert Payment.objects.filter(program=program).count() == 1
    assert PaymentMonth.objects.filter(pemda_id=program.pemda_id).count() == 1
    assert (
        AuditEvent.objects.filter(pemda_id=program.pemda_id, action="payment.recorded").count() == 1
    )


def test_requests_at_once_record_one_sp2d_once(setting):
    finance, program, source = setting
    _check(_race(finance, program, source), program)


def test_the_constraint_refuses_even_when_every_request_passed_the_early_check(
    setting, monkeypatch
):
    # Every request sees the number as new (as two requests can, between the check and the
    # insert): the unique constraint alone must refuse all but one.
    from lindung.billing.services import payments

    real = payments._recorded
    asked: set[int] = set()

    def first_answer_no(program, sp2d):
        # Each request's first (early) check says "new"; after the insert failed, the truth.
        if threading.get_ident() not in asked:
            asked.add(threading.get_ident())
            return False
        return real(program, sp2d)

    monkeypatch.setattr(payments, "_recorded", first_answer_no)
    finance, program, source = setting
    _check(_race(finance, program, source), program)


@pytest.mark.django_db
def test_the_schema_holds_one_sp2d_number_per_pemda():
    # What the races above rely on (and, being a database test, what makes pytest-django set
    # the test database up when this module runs alone).
    constraint = next(c for c in Payment._meta.constraints if c.name == "payment_sp2d_once")
    assert tuple(constraint.fields) == ("pemda", "sp2d_number")
    assert Payment.objects.count() == 0

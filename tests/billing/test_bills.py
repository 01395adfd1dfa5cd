"""Generating a month's bills: who is billed, at what, per funding source; regenerating
replaces; refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.billing.models import Bill, BillLine
from lindung.billing.services import bill_generate
from lindung.common.errors_domain import ServiceError
from lindung.programs.models import FundingKind
from lindung.workers.models import EnrolmentStatus
from tests.factories import (
    AgencyFactory,
    EnrolmentFactory,
    FundingSourceFactory,
    ProgramFactory,
    UserFactory,
)

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def program_2026(pemda):
    return ProgramFactory(pemda=pemda, code="pr-2026", year=2026, start_month=dt.date(2026, 1, 1))


@pytest.fixture
def apbd(program_2026):
    return FundingSourceFactory(program=program_2026, code="apbd", kind=FundingKind.APBD)


@pytest.fixture
def keuangan(pemda):
    return UserFactory(username="keu", pemda=pemda, role=Role.FINANCE)


def _enrol(program, **kwargs):
    return EnrolmentFactory(program=program, **kwargs)


def test_it_bills_each_participant_active_in_the_month_at_16_800(program_2026, apbd, keuangan):
    # Three billed in May: TMT January, TMT 31 May, ended 1 May (the end month is billed).
    _enrol(program_2026, funding_source=apbd)
    _enrol(program_2026, funding_source=apbd, started_on=dt.date(2026, 5, 31))
    _enrol(program_2026, funding_source=apbd, status=EnrolmentStatus.ENDED,
           ended_on=dt.date(2026, 5, 1))  # fmt: skip
    # Not billed: TMT in June, ended 30 April, sent without TMT, rejected.
    _enrol(program_2026, funding_source=apbd, started_on=dt.date(2026, 6, 1))
    _enrol(program_2026, funding_source=apbd, status=EnrolmentStatus.ENDED,
           ended_on=dt.date(2026, 4, 30))  # fmt: skip
    _enrol(program_2026, funding_source=apbd, status=EnrolmentStatus.SENT, started_on=None)
    _enrol(program_2026, funding_source=apbd, status=EnrolmentStatus.REJECTED, started_on=None)

    run = bill_generate(actor=keuangan, program=program_2026, month=dt.date(2026, 5, 17))

    # 3 × (JKK Rp 10.000 + JKM Rp 6.800) = Rp 50.400; APBD money never gets PP 50/2025 relief.
    assert run.to_json() == {
        "participants": 3,
        "total": 50_400,
        "by_source": {"apbd": {"participants": 3, "total": 50_400}},
    }
    bill = Bill.objects.get()
    assert (bill.month, bill.participants, bill.total) == (MAY, 3, 50_400)
    assert bill.parts == {"jkk": 30_000, "jkm": 20_400}
    assert (
        sorted(BillLine.objects.values_list("jkk", "jkm", "jht", "amount"))
        == [(10_000, 6_800, 0, 16_800)] * 3
    )


def test_village_money_gets_the_relief_apbd_money_never(program_2026, apbd, keuangan, pemda):
    village = AgencyFactory(pemda=pemda, code="desa-x", name="Desa X")
    add = FundingSourceFactory(program=program_2026, code="add", kind=FundingKind.ADD,
                               agency=village)  # fmt: skip
    _enrol(program_2026, funding_source=apbd)
    _enrol(program_2026, funding_source=add, agency=village)
    # No source on the enrolment: the village's source pays for its people.
    _enrol(program_2026, funding_source=None, agency=village)

    run = bill_generate(actor=keuangan, program=program_2026, month=MAY)

    # May 2026, sector other: PP 50/2025 halves JKK + JKM (5.000 + 3.400 = 8.400) for
    # APBDes money; APBD pays Rp 16.800.
    assert run.to_json()["by_source"] == {
        "apbd": {"participants": 1, "total": 16_800},
        "add": {"participants": 2, "total": 16_800},
    }
    assert run.total == 33_600


def test_jht_is_added_where_the_program_covers_it(program_2026, apbd, keuangan):
    program_2026.benefits = ["JKK", "JKM", "JHT"]
    program_2026.save()
    _enrol(program_2026, funding_source=apbd)
    run = bill_generate(actor=keuangan, program=program_2026, month=MAY)
    assert run.total == 36_800
    assert BillLine.objects.get().jht == 20_000


def test_regenerating_a_month_replaces_its_bills_and_lines(program_2026, apbd, keuangan):
    first = _enrol(program_2026, funding_source=apbd)
    bill_generate(actor=keuangan, program=program_2026, month=MAY)
    first.status, first.ended_on = EnrolmentStatus.ENDED, dt.date(2026, 4, 30)
    first.save()
    _enrol(program_2026, funding_source=apbd)
    _enrol(program_2026, funding_source=apbd)

    run = bill_generate(actor=keuangan, program=program_2026, month=MAY)

    bill = Bill.objects.get()
    assert (bill.participants, bill.total, bill.version) == (2, 33_600, 2)
    assert BillLine.objects.count() == 2
    assert run.participants == 2
    events = AuditEvent.objects.filter(action="bill.generated")
    assert events.count() == 2
    assert events.latest("pk").changes["total"] == 33_600


def test_another_month_keeps_its_own_bill(program_2026, apbd, keuangan):
    _enrol(program_2026, funding_source=apbd)
    bill_generate(actor=keuangan, program=program_2026, month=MAY)
    bill_generate(actor=keuangan, program=program_2026, month=dt.date(2026, 6, 1))
    assert Bill.objects.count() == 2
    assert BillLine.objects.count() == 2


def test_it_refuses_a_month_outside_the_program(program_2026, apbd, keuangan):
    with pytest.raises(ServiceError, match="di luar bulan program"):
        bill_generate(actor=keuangan, program=program_2026, month=dt.date(2027, 1, 1))


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.LEADER, Role.APPROVER])
def test_only_finance_or_admin_generate(program_2026, apbd, pemda, role):
    user = UserFactory(username="x", pemda=pemda, role=role)
    with pytest.raises(ServiceError, match="Keuangan"):
        bill_generate(actor=user, program=program_2026, month=MAY)
    assert not Bill.objects.exists()


def test_finance_of_another_pemda_is_refused(program_2026, apbd, other_pemda):
    user = UserFactory(username="y", pemda=other_pemda, role=Role.FINANCE)
    with pytest.raises(ServiceError):
        bill_generate(actor=user, program=program_2026, month=MAY)


def test_two_first_generations_at_once_refuse_the_second_in_indonesian(
    program_2026, apbd, keuangan, monkeypatch
):
    # The other request created the month's bill between our read and our insert.
    from django.db import IntegrityError

    def clash(**kwargs):
        raise IntegrityError("bill_once_per_source_month")

    monkeypatch.setattr(Bill.objects, "create", clash)
    with pytest.raises(ServiceError, match="sedang dibuat oleh pengguna lain"):
        bill_generate(actor=keuangan, program=program_2026, month=MAY)

"""`lindung bill` and `lindung pay`: the issue's JSON, and one Indonesian line with exit 2
when refused."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.billing.models import Bill, Payment
from lindung.common.commands import UsageError
from lindung.programs.models import FundingKind
from lindung.workers.models import EnrolmentStatus
from tests.factories import AgencyFactory, EnrolmentFactory, FundingSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(program, pemda):
    village = AgencyFactory(pemda=pemda, code="desa-y", name="Desa Y")
    apbd = FundingSourceFactory(program=program, code="apbd", kind=FundingKind.APBD)
    add = FundingSourceFactory(program=program, code="", kind=FundingKind.ADD, agency=village)
    return apbd, add


def _run(name: str, *args: str) -> dict:
    out = StringIO()
    call_command(name, *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_bill_prints_participants_and_totals_by_source_code(program, sources):
    apbd, add = sources
    EnrolmentFactory.create_batch(2, program=program, funding_source=apbd)
    EnrolmentFactory(program=program, funding_source=add)
    EnrolmentFactory(program=program, funding_source=apbd, status=EnrolmentStatus.ENDED,
                     ended_on=dt.date(2025, 2, 28))  # fmt: skip

    got = _run("bill", "--program", program.code, "--month", "2025-03")

    # March 2025, no relief yet (PP 50/2025 starts April 2026 for this sector): 16.800 each.
    # The village source has no code: its pk stands for it.
    assert got == {
        "participants": 3,
        "total": 50_400,
        "by_source": {
            "apbd": {"participants": 2, "total": 33_600},
            str(add.pk): {"participants": 1, "total": 16_800},
        },
    }
    assert Bill.objects.filter(month=dt.date(2025, 3, 1)).count() == 2


def test_bill_refuses_a_month_outside_the_program(program, sources):
    with pytest.raises(UsageError, match="di luar bulan program"):
        _run("bill", "--program", program.code, "--month", "2026-01")


def test_bill_refuses_a_malformed_month(program, sources):
    with pytest.raises(UsageError, match="TTTT-BB"):
        _run("bill", "--program", program.code, "--month", "maret")


def test_bill_as_a_user_who_may_not_is_refused(program, sources, verifier):
    with pytest.raises(UsageError, match="Keuangan"):
        _run("bill", "--program", program.code, "--month", "2025-03", "--user", "erin")


def _pay(program, *extra: str) -> dict:
    return _run("pay", "--program", program.code, "--source", "apbd", "--sp2d", "77/SP2D/2025",
                "--date", "2025-04-02", "--amount", "33.600", "--months", "2025-02,2025-03",
                "--user", "bpkad", *extra)  # fmt: skip


def test_pay_prints_the_payment_and_its_months(program, sources, finance):
    got = _pay(program)
    payment = Payment.objects.get()
    assert got == {"payment": payment.pk, "months": ["2025-02", "2025-03"]}
    assert payment.amount == 33_600


def test_pay_refuses_the_same_sp2d_twice(program, sources, finance):
    _pay(program)
    with pytest.raises(UsageError, match="sudah pernah dicatat"):
        _pay(program)
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "zzz"), "Sumber dana"),
        (("--date", "02-04-2025"), "TTTT-BB-HH"),
        (("--amount", "1,700,000"), "bukan jumlah rupiah"),
        (("--user", "nobody"), "tidak ditemukan"),
        (("--proof", "/nonexistent.pdf"), "tidak ditemukan"),
    ],
)
def test_pay_refuses_wrong_arguments(program, sources, finance, args, message):
    with pytest.raises(UsageError, match=message):
        _pay(program, *args)


def test_a_refused_sp2d_is_one_indonesian_line_and_exit_2(program, sources, finance, capsys):
    from lindung.billing.management.commands.pay import Command

    _pay(program)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["lindung", "pay", "--program", program.code, "--source", "apbd", "--sp2d",
             " 77/sp2d/2025", "--date", "2025-04-03", "--amount", "16800", "--months", "2025-04",
             "--user", "bpkad", "--json"]
        )  # fmt: skip
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("Kesalahan: Nomor SP2D 77/SP2D/2025 sudah pernah dicatat")


def test_pay_records_a_negative_correction_naming_the_sp2d(program, sources, finance):
    _pay(program)
    got = _run("pay", "--program", program.code, "--source", "apbd", "--sp2d", "78/SP2D/2025",
               "--date", "2025-04-05", "--amount=-16.800", "--months", "2025-03",
               "--user", "bpkad", "--corrects", " 77/sp2d/2025")  # fmt: skip
    fix = Payment.objects.get(pk=got["payment"])
    assert (fix.amount, fix.corrects.sp2d_number) == (-16_800, "77/SP2D/2025")


def test_pay_refuses_a_correction_of_an_unknown_sp2d(program, sources, finance):
    with pytest.raises(UsageError, match="tidak ada di program"):
        _pay(program, "--corrects", "NOPE")

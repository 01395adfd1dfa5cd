"""`lindung claims entitlement` and `lindung claims report` from real records."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.claims.models import Claim
from lindung.common.commands import UsageError
from tests.claims.conftest import record_payment

pytestmark = pytest.mark.django_db

NIK = "3504011208750001"
JAN, FEB, MAR = (dt.date(2025, m, 1) for m in (1, 2, 3))


def run_json(*args):
    out = StringIO()
    call_command("claims", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def paid(participant, funding_source, finance):
    record_payment(funding_source, [JAN, FEB, MAR], paid_on=dt.date(2025, 1, 10), by=finance)
    return participant


def test_entitlement_of_a_death_after_three_paid_months(paid, program):
    result = run_json(
        "entitlement", "--program", program.code, "--nik", NIK, "--type", "JKM",
        "--date", "2025-03-20",
    )  # fmt: skip
    assert result["entitled"] is True
    assert result["total"] == 42_000_000
    assert result["paid_months"] == 3
    assert result["parts"] == {
        "lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000,
    }  # fmt: skip
    assert "PP 82/2019" in result["legal_basis"]
    assert not Claim.objects.exists()


def test_entitlement_of_stmb_takes_the_months_off_work(paid, program):
    result = run_json(
        "entitlement", "--program", program.code, "--nik", NIK, "--type", "JKK-STMB",
        "--date", "2025-03-20", "--months-off-work", "14",
    )  # fmt: skip
    assert result["total"] == 13_000_000


def test_report_records_the_claim(paid, program, verifier):
    result = run_json(
        "report", "--program", program.code, "--nik", NIK, "--type", "JKK-DEATH",
        "--date", "2025-03-20", "--user", verifier.username,
    )  # fmt: skip
    claim = Claim.objects.get()
    assert result == {"claim": claim.pk, "total": 70_000_000}


def test_a_wrong_argument_is_a_usage_error(paid, program, finance):
    with pytest.raises(UsageError):
        run_json("entitlement", "--program", program.code, "--nik", "1" * 16, "--type", "JKM",
                 "--date", "2025-03-20")  # fmt: skip
    with pytest.raises(UsageError):
        run_json("report", "--program", program.code, "--nik", NIK, "--type", "JKM",
                 "--date", "2025-03-20", "--user", finance.username)  # fmt: skip

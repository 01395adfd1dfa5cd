"""`lindung allocate`: the issue's JSON keys, a proposal recorded by the named verifier
unless --dry-run, and one Indonesian line with exit 2 for a wrong argument or a refusal."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lindung.common.commands import UsageError
from lindung.enrollment.models import Allocation
from tests.enrollment.allocation_data import candidates, finished_run
from tests.factories import FundingSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(program, agency):
    """Five eligible candidates; quota 3; money plenty. The program runs through this year's
    December, so from next month the months are known."""
    today = timezone.localdate()
    program.year = today.year
    program.start_month = today.replace(month=1, day=1)
    program.quota = 3
    program.save()
    FundingSourceFactory(program=program, code="apbd", amount=10_000_000)
    candidates(finished_run(program), agency, 5)
    return program


def _allocate(*args: str) -> dict:
    out = StringIO()
    call_command("allocate", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_it_prints_the_issue_keys_for_a_dry_run_and_records_nothing(ready, verifier):
    got = _allocate("--program", ready.code, "--user", verifier.username, "--from-month",
                    f"{ready.year}-12", "--dry-run")  # fmt: skip
    # December only: 1 month at Rp 16.800; 3 of 5 fit the quota.
    assert got == {
        "allocated": 3,
        "waiting": 2,
        "months": 1,
        "cost": 50_400,
        "quota": 3,
        "budget_available": 10_000_000,
    }
    assert not Allocation.objects.exists()


def test_without_dry_run_it_records_a_proposal_by_that_user(ready, verifier):
    _allocate("--program", ready.code, "--user", verifier.username, "--from-month",
              f"{ready.year}-12")  # fmt: skip
    allocation = Allocation.objects.get()
    assert (allocation.proposed_by, allocation.allocated) == (verifier, 3)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--program", "nope", "--user", "erin"], "tidak ditemukan"),
        (["--program", "{code}", "--user", "nobody"], "Pengguna 'nobody' tidak ditemukan"),
        (["--program", "{code}", "--user", "kadis"], "Hanya verifikator"),
        (["--program", "{code}", "--user", "erin", "--from-month", "2025/09"], "TTTT-BB"),
        (["--program", "{code}", "--user", "erin", "--from-month", "1999-01"], "di luar tahun"),
    ],
    ids=["unknown-program", "unknown-user", "approver-refused", "bad-month", "outside-year"],
)
def test_a_wrong_argument_or_a_refusal_is_one_indonesian_line(
    ready, verifier, approver, args, says
):
    args = [a.format(code=ready.code) for a in args]
    with pytest.raises(UsageError, match=says):
        call_command("allocate", *args, "--json", stdout=StringIO())


def test_the_console_exits_2_with_one_line(ready, verifier, capsys):
    from lindung.enrollment.management.commands.allocate import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["lindung", "allocate", "--program", ready.code, "--user", "nobody", "--json"]
        )
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("Kesalahan: Pengguna 'nobody'")

"""`lindung reconcile`: the issue's JSON keys, and one Indonesian line with exit 2 when
refused."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.billing.models import BpjsBill
from lindung.common.commands import UsageError
from tests.billing import reconcile_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(program, funding_source):
    return data.make_month(program, funding_source)


def test_it_prints_the_lines_per_outcome(month, program, tmp_path):
    out = StringIO()
    path = data.write_xlsx(tmp_path / "tagihan.xlsx")

    call_command(
        "reconcile", str(path), "--program", program.code, "--month", "2025-03", "--json",
        stdout=out,
    )  # fmt: skip

    assert json.loads(out.getvalue()) == {
        "matched": 2,
        "missing_from_bpjs": 1,
        "not_ours": 1,
        "amount_differs": 1,
        "ended_still_billed": 1,
    }
    assert BpjsBill.objects.get().created_by is None


def test_it_records_the_named_finance_user(month, program, finance, tmp_path):
    path = data.write_csv(tmp_path / "tagihan.csv")
    call_command("reconcile", str(path), "--program", program.code, "--month", "2025-03",
                 "--user", finance.username, "--json", stdout=StringIO())  # fmt: skip
    assert BpjsBill.objects.get().created_by == finance


def test_a_month_not_billed_is_refused_in_one_line(month, program, tmp_path):
    path = data.write_csv(tmp_path / "tagihan.csv")
    with pytest.raises(UsageError, match="Tagihan bulan ini belum dibuat"):
        call_command("reconcile", str(path), "--program", program.code, "--month", "2025-04")
    assert not BpjsBill.objects.exists()


def test_a_bad_month_is_refused(month, program, tmp_path):
    path = data.write_csv(tmp_path / "tagihan.csv")
    with pytest.raises(UsageError, match="TTTT-BB"):
        call_command("reconcile", str(path), "--program", program.code, "--month", "03-2025")


def test_an_unknown_program_is_refused_in_one_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("NIK;Total\n", encoding="utf-8")
    with pytest.raises(UsageError, match="Program dengan kode 'tidak-ada' tidak ditemukan"):
        call_command("reconcile", str(path), "--program", "tidak-ada", "--month", "2025-03")


def test_a_refusal_from_the_command_line_exits_2(month, program, tmp_path, capsys):
    path = data.write_csv(tmp_path / "tagihan.csv")
    from lindung.billing.management.commands.reconcile import Command

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["lindung", "reconcile", str(path), "--program", program.code,
                                 "--month", "2025-04", "--json"])  # fmt: skip
    assert exited.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Kesalahan: Tagihan bulan ini belum dibuat")

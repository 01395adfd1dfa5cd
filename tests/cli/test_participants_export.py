"""`lindung participants export --program CODE --out FILE.csv`: exactly the issue's columns,
ISO dates, Kemendagri village codes, the funding source's code, the waiting list of the
newest approved allocation, formulas neutralised, and an audit event."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.audit.models import AuditEvent
from lindung.common.commands import UsageError
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.factories import (
    AllocationFactory,
    AllocationLineFactory,
    EnrolmentFactory,
    WorkerFactory,
)

HEADER = "nik,name,kpj,status,started_on,ended_on,end_reason,agency,village_code,funding_source"


@pytest.fixture
def roster(program, agency, village_agency, funding_source):
    supri = WorkerFactory(pemda=program.pemda, name="SUPRIYANTO", nik="3504011208750001")
    EnrolmentFactory(
        program=program, worker=supri, agency=agency, kpj="25012345678",
        village_id="35.04.15.2001", funding_source=funding_source,
        started_on=dt.date(2025, 2, 1),
    )  # fmt: skip
    budi = WorkerFactory(pemda=program.pemda, name="=BUDI+1", nik="3504010101700003")
    EnrolmentFactory(
        program=program, worker=budi, agency=village_agency, kpj="25000000003",
        status=EnrolmentStatus.ENDED, started_on=dt.date(2025, 1, 1),
        ended_on=dt.date(2025, 6, 30), end_reason=EndReason.DECEASED,
    )  # fmt: skip
    older = AllocationFactory(
        program=program, status="approved", decided_at=dt.datetime(2025, 1, 5, tzinfo=dt.UTC)
    )
    AllocationLineFactory(
        allocation=older, agency=agency, outcome="waiting", nik="3504016666660001", name="LAMA"
    )
    newest = AllocationFactory(
        program=program, status="approved", decided_at=dt.datetime(2025, 3, 5, tzinfo=dt.UTC)
    )
    AllocationLineFactory(
        allocation=newest, agency=village_agency, outcome="waiting", nik="3504014101900004",
        name="ANI RAHAYU", village_id="35.04.15.2001", funding_source=funding_source,
        wait_reason="budget",
    )  # fmt: skip
    return program


def _export(program, out, *extra: str) -> dict:
    stdout = StringIO()
    call_command(
        "participants", "export", "--program", program.code, "--out", str(out), "--json", *extra,
        stdout=stdout,
    )  # fmt: skip
    return json.loads(stdout.getvalue())


def test_it_writes_exactly_the_issues_columns(roster, tmp_path):
    out = tmp_path / "peserta.csv"
    result = _export(roster, out)
    assert result["rows"] == 3
    assert result["by_status"] == {"active": 1, "ended": 1, "waiting": 1}
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(lines))
    assert rows[0] == {
        "nik": "3504011208750001",
        "name": "SUPRIYANTO",
        "kpj": "25012345678",
        "status": "active",
        "started_on": "2025-02-01",
        "ended_on": "",
        "end_reason": "",
        "agency": "perikanan",
        "village_code": "35.04.15.2001",
        "funding_source": "apbd",
    }
    assert rows[1]["status"] == "ended"
    assert rows[1]["ended_on"] == "2025-06-30"
    assert rows[1]["end_reason"] == "deceased"
    assert rows[1]["agency"] == "desa-besole"


def test_a_name_that_would_run_as_a_formula_is_neutralised(roster, tmp_path):
    out = tmp_path / "peserta.csv"
    _export(roster, out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[1]["name"] == "'=BUDI+1"


def test_the_waiting_list_is_the_newest_approved_allocations(roster, tmp_path):
    out = tmp_path / "peserta.csv"
    _export(roster, out)
    waiting = [r for r in csv.DictReader(out.read_text().splitlines()) if r["status"] == "waiting"]
    assert waiting == [
        {
            "nik": "3504014101900004",
            "name": "ANI RAHAYU",
            "kpj": "",
            "status": "waiting",
            "started_on": "",
            "ended_on": "",
            "end_reason": "",
            "agency": "desa-besole",
            "village_code": "35.04.15.2001",
            "funding_source": "apbd",
        }
    ]


def test_the_export_is_audited(roster, tmp_path):
    _export(roster, tmp_path / "peserta.csv")
    event = AuditEvent.objects.get(action="participant.exported")
    assert event.changes["count"] == 3
    assert event.object_id == str(roster.pk)


def test_an_unknown_program_or_a_wrong_file_is_refused(roster, tmp_path):
    with pytest.raises(UsageError, match="tidak ditemukan"):
        _export(type("P", (), {"code": "tidak-ada"})(), tmp_path / "x.csv")
    with pytest.raises(UsageError, match=r"\.csv"):
        _export(roster, tmp_path / "x.xlsx")
    with pytest.raises(UsageError, match="tidak ada"):
        _export(roster, tmp_path / "nowhere" / "x.csv")
    assert not AuditEvent.objects.filter(action="participant.exported").exists()

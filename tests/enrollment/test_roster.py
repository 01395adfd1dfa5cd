"""The roster BPJS keeps of the Pemda's participants, imported as active enrolments."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.enrollment.bpjs.roster import participants_roster_import
from lindung.enrollment.models import BpjsImportLine
from lindung.intake.models import Submission, SubmissionRow, SubmissionSource
from lindung.programs.models import BpjsFundingCode
from lindung.workers.models import HOLDS_SLOT, Enrolment, EnrolmentStatus, Worker
from tests.enrollment.bpjs_files import write_csv, write_xlsx
from tests.factories import FundingSourceFactory, WorkerFactory

NEW, KNOWN, WOMAN = "3504011208750001", "3504010101800002", "3504015708800003"
HEADER = [
    "No", "NIK", "Nama Peserta", "No KPJ", "TMT Kepesertaan", "Kode Wadah", "Status Kepesertaan",
]  # fmt: skip


@pytest.fixture
def sources(program, funding_source, village_agency):
    village_money = FundingSourceFactory(
        program=program, name="ADD Besole", code="add-besole", bpjs_code=BpjsFundingCode.SD,
        agency=village_agency,
    )  # fmt: skip
    return {"SG": funding_source, "SD": village_money}


def roster_rows():
    return [
        ["DAFTAR PESERTA BPU WADAH PEMKAB TULUNGAGUNG"],
        ["Per 30 November 2025"],
        HEADER,
        [1, NEW, "BUDI SANTOSO", "25000000001", "01-03-2025", "SG", "AKTIF"],
        [2, KNOWN, "SITI AMINAH", "25000000002", "01-07-2025", "SD", "AKTIF"],
        [3, WOMAN, "SRI", "25000000003", "01-03-2025", "SX", "AKTIF"],
        [4, "3504012003900004", "NON", "25000000004", "01-03-2025", "SG", "NON AKTIF"],
        [5, float(NEW), "ANGKA", "25000000005", "01-03-2025", "SG", "AKTIF"],
    ]


def run(actor, program, path):
    return participants_roster_import(actor=actor, program=program, path=path, filename=path.name)


def test_each_active_row_becomes_a_worker_and_an_imported_active_enrolment(
    admin, program, sources, tmp_path
):
    known = WorkerFactory(pemda=program.pemda, nik=KNOWN, name="Siti Aminah")

    source = run(admin, program, write_xlsx(tmp_path / "peserta.xlsx", roster_rows()))

    assert source.counts["imported"] == 2
    budi = Enrolment.objects.get(program=program, worker__nik=NEW)
    assert budi.status == EnrolmentStatus.ACTIVE
    assert budi.imported
    assert budi.kpj == "25000000001"
    assert budi.started_on == dt.date(2025, 3, 1)
    assert budi.start_month == dt.date(2025, 3, 1)
    assert budi.funding_source == sources["SG"]
    # A new worker: name from the roster, birth date and sex from the NIK's digits.
    assert (budi.worker.name, budi.worker.birth_date, budi.worker.sex) == (
        "BUDI SANTOSO",
        dt.date(1975, 8, 12),
        "L",
    )
    siti = Enrolment.objects.get(program=program, worker=known)
    assert siti.funding_source == sources["SD"]
    assert siti.agency_id == sources["SD"].agency_id
    assert siti.start_month == dt.date(2025, 7, 1)
    assert Worker.objects.filter(pemda=program.pemda, nik=KNOWN).count() == 1
    assert Enrolment.objects.filter(program=program, status__in=HOLDS_SLOT).count() == 2


def test_unknown_funding_codes_and_nik_problems_are_reported_per_row(
    admin, program, sources, tmp_path
):
    source = run(admin, program, write_xlsx(tmp_path / "peserta.xlsx", roster_rows()))

    lines = {line.row_number: line for line in BpjsImportLine.objects.filter(source=source)}
    assert lines[6].outcome == "problem"
    assert lines[6].message == "Kode dana tidak dikenal (SX)."
    assert lines[7].outcome == "ignored"
    assert lines[7].message == "Tidak aktif (NON AKTIF)."
    assert lines[8].outcome == "problem"
    assert "Excel" in lines[8].message
    assert source.counts == {
        "imported": 2,
        "unchanged": 0,
        "problem": 2,
        "ignored": 1,
        "matched_to_submissions": 0,
    }
    assert not Worker.objects.filter(nik=WOMAN).exists()


def test_importing_the_roster_again_changes_nothing(admin, program, sources, tmp_path):
    path = write_xlsx(tmp_path / "peserta.xlsx", roster_rows())
    run(admin, program, path)
    before = (list(Worker.objects.order_by("pk").values()), list(Enrolment.objects.values()))

    again = run(admin, program, path)

    assert (
        list(Worker.objects.order_by("pk").values()),
        list(Enrolment.objects.values()),
    ) == before
    assert again.counts["imported"] == 0
    assert again.counts["unchanged"] == 2


def test_people_an_agency_also_proposed_count_as_matched_to_submissions(
    admin, program, sources, agency, tmp_path
):
    submission = Submission.objects.create(
        pemda=program.pemda, program=program, agency=agency, source=SubmissionSource.UPLOAD
    )
    SubmissionRow.objects.create(
        pemda=program.pemda, submission=submission, agency=agency, row_number=5, nik=NEW,
        outcome="accepted",
    )  # fmt: skip

    source = run(admin, program, write_xlsx(tmp_path / "peserta.xlsx", roster_rows()))

    assert source.counts["matched_to_submissions"] == 1


def test_of_two_sources_with_one_code_the_one_without_an_agency_pays(
    admin, program, funding_source, agency, tmp_path
):
    FundingSourceFactory(program=program, code="apbd-opd", agency=agency)  # also SG
    rows = [["NIK", "Nama", "KPJ", "Tgl Aktif", "Sumber Dana"], [NEW, "Budi", "25000001", "", "SG"]]

    run(admin, program, write_csv(tmp_path / "peserta.csv", rows))

    enrolment = Enrolment.objects.get(worker__nik=NEW)
    assert enrolment.funding_source == funding_source
    # No effective date in the file: paid from the program's first month.
    assert enrolment.start_month == program.start_month
    assert enrolment.started_on is None


def test_the_import_is_audited(admin, program, sources, tmp_path):
    source = run(admin, program, write_xlsx(tmp_path / "peserta.xlsx", roster_rows()))

    event = AuditEvent.objects.get(action="bpjs.roster_imported")
    assert event.changes["counts"] == source.counts


def test_a_village_code_column_places_the_participant_in_their_village(
    admin, program, sources, tmp_path
):
    rows = [
        ["DAFTAR PESERTA BPU"],
        ["NIK", "Nama Peserta", "Kode Wilayah", "No KPJ", "TMT", "Kode Wadah", "Status"],
        [NEW, "BUDI SANTOSO", "3504152001", "25000000001", "01-03-2025", "SG", "AKTIF"],
        [WOMAN, "SRI WAHYUNI", "35.04.15.2001", "25000000003", "01-03-2025", "SG", "AKTIF"],
        # A code of another regency places nobody (the participant is still imported).
        ["3504012003900004", "JOKO", "3505012001", "25000000004", "01-03-2025", "SG", "AKTIF"],
    ]
    source = run(admin, program, write_csv(tmp_path / "peserta.csv", rows))

    assert source.counts["imported"] == 3
    placed = dict(
        Enrolment.objects.filter(program=program).values_list("worker__nik", "village_id")
    )
    assert placed == {NEW: "35.04.15.2001", WOMAN: "35.04.15.2001", "3504012003900004": None}
    assert Worker.objects.get(pemda=program.pemda, nik=NEW).village_id == "35.04.15.2001"

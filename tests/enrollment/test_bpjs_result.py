"""BPJS's registration results read back in whatever layout the branch sends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs import recognise
from lindung.enrollment.bpjs.results import bpjs_result_import
from lindung.enrollment.models import BpjsImport, BpjsImportLine
from lindung.workers.models import Enrolment, EnrolmentStatus
from tests.conftest import client_for
from tests.enrollment.bpjs_files import write_csv, write_ods_rows, write_xls, write_xlsx
from tests.factories import EnrolmentFactory, ProgramFactory, WorkerFactory

BUDI, ANI, CITRA, STRANGER = (
    "3504011208750001",
    "3504015708800002",
    "3504012003900003",
    "3504011111700009",
)
TITLE = ["DAFTAR HASIL PENDAFTARAN PESERTA BPU PEMKAB TULUNGAGUNG"]
HEADER = ["No.", "No. KTP", "Nama TK", "Nomor Peserta", "Tgl Kepesertaan", "Status", "Keterangan"]


def sent(program, nik, name, status=EnrolmentStatus.SENT):
    worker = WorkerFactory(pemda=program.pemda, nik=nik, name=name)
    return EnrolmentFactory(program=program, worker=worker, status=status, kpj="", started_on=None)


@pytest.fixture
def people(program):
    return {
        BUDI: sent(program, BUDI, "Budi"),
        ANI: sent(program, ANI, "Ani"),
        CITRA: sent(program, CITRA, "Citra"),
    }


def result_rows():
    return [
        TITLE,
        [],
        HEADER,
        [1, BUDI, "BUDI", "25012345678", "01-09-2025", "DITERIMA", ""],
        [2, ANI, "ANI", "", "", "DITOLAK", "NIK terdaftar sebagai peserta PU"],
        [3, STRANGER, "ORANG LAIN", "25099999999", "01-09-2025", "BERHASIL", ""],
        [None, None, "JUMLAH", None, None, None, None],
    ]


def run(actor, program, path):
    return bpjs_result_import(actor=actor, program=program, path=path, filename=path.name)


def test_accepted_people_become_active_with_their_kpj_and_effective_date(
    admin, program, people, tmp_path
):
    source = run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    budi = Enrolment.objects.get(pk=people[BUDI].pk)
    assert budi.status == EnrolmentStatus.ACTIVE
    assert budi.kpj == "25012345678"
    assert budi.started_on == dt.date(2025, 9, 1)
    assert budi.version == 2
    assert source.counts["activated"] == 1
    line = BpjsImportLine.objects.get(source=source, nik=BUDI)
    assert line.outcome == "activated"
    assert line.enrolment_id == budi.pk
    assert line.row_number == 4
    assert line.raw[1] == BUDI


def test_rejected_people_go_back_to_review_with_bpjs_reason(admin, program, people, tmp_path):
    run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    ani = Enrolment.objects.get(pk=people[ANI].pk)
    assert ani.status == EnrolmentStatus.REJECTED
    assert ani.bpjs_reason == "NIK terdaftar sebagai peserta PU"


def test_a_nik_never_sent_is_unmatched_and_changes_nothing(admin, program, people, tmp_path):
    elsewhere = ProgramFactory(pemda=program.pemda)
    other = EnrolmentFactory(
        program=elsewhere,
        worker=WorkerFactory(pemda=program.pemda, nik=STRANGER),
        status=EnrolmentStatus.SENT,
        kpj="",
        started_on=None,
    )

    source = run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    assert source.counts == {
        "activated": 1,
        "rejected": 1,
        "unmatched": 1,
        "unchanged": 0,
        "problem": 0,
        "ignored": 1,
    }
    other.refresh_from_db()
    assert other.status == EnrolmentStatus.SENT
    assert other.kpj == ""
    citra = Enrolment.objects.get(pk=people[CITRA].pk)
    assert citra.status == EnrolmentStatus.SENT


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    admin, program, people, tmp_path
):
    path = write_xlsx(tmp_path / "hasil.xlsx", result_rows())
    run(admin, program, path)
    before = list(Enrolment.objects.order_by("pk").values())

    second = run(admin, program, path)

    assert list(Enrolment.objects.order_by("pk").values()) == before
    assert second.counts["activated"] == 0
    assert second.counts["rejected"] == 0
    assert second.counts["unchanged"] == 2
    assert second.counts["unmatched"] == 1


def test_without_a_status_column_kpj_and_date_mean_accepted_and_a_reason_rejected(
    admin, program, people, tmp_path
):
    rows = [
        ["NIK", "Nama Peserta", "No KPJ", "TMT", "Alasan"],
        [BUDI, "Budi", "25012345678", "01/09/2025", ""],
        [ANI, "Ani", "", "", "Data tidak sesuai Dukcapil"],
    ]

    source = run(admin, program, write_csv(tmp_path / "hasil.csv", rows))

    assert (source.counts["activated"], source.counts["rejected"]) == (1, 1)
    assert Enrolment.objects.get(pk=people[ANI].pk).bpjs_reason == "Data tidak sesuai Dukcapil"


@pytest.mark.parametrize(
    ("writer", "name"), [(write_xls, "hasil.xls"), (write_ods_rows, "hasil.ods")]
)
def test_legacy_excel_and_opendocument_files_are_read(
    admin, program, people, tmp_path, writer, name
):
    rows = [
        TITLE,
        ["No", "NIK", "Nama", "No Kartu", "Tanggal Efektif", "Hasil", "Catatan"],
        [1, BUDI, "Budi", "25012345678", dt.date(2025, 9, 1), "SUKSES", ""],
        [2, ANI, "Ani", "", "", "GAGAL", "Sudah terdaftar"],
    ]

    source = run(admin, program, writer(tmp_path / name, rows))

    assert (source.counts["activated"], source.counts["rejected"]) == (1, 1)
    assert Enrolment.objects.get(pk=people[BUDI].pk).started_on == dt.date(2025, 9, 1)


@pytest.mark.parametrize(
    "cell", [45901, "01/09/2025", "1 September 2025", "01-Sep-2025", dt.date(2025, 9, 1)]
)
def test_effective_dates_in_every_form_are_read(admin, program, people, tmp_path, cell):
    rows = [["NIK", "KPJ", "Tgl Aktif", "Status"], [BUDI, "25012345678", cell, "AKTIF"]]

    run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", rows))

    assert Enrolment.objects.get(pk=people[BUDI].pk).started_on == dt.date(2025, 9, 1)


def test_an_approved_person_sent_outside_lindung_is_activated(admin, program, tmp_path):
    enrolment = sent(program, BUDI, "Budi", status=EnrolmentStatus.APPROVED)
    rows = [["NIK", "KPJ", "TMT", "Status"], [BUDI, "25012345678", "01-09-2025", "DITERIMA"]]

    run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", rows))

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_broken_rows_are_problems_with_a_message_and_change_nothing(
    admin, program, people, tmp_path
):
    rows = [
        ["NIK", "Nama", "KPJ", "TMT", "Status"],
        [float(BUDI), "Budi (NIK as a number)", "25012345678", "01-09-2025", "DITERIMA"],
        [ANI, "Ani", "", "01-09-2025", "DITERIMA"],
        [CITRA, "Citra", "25000000003", "31-02-2025", "DITERIMA"],
        ["35040112", "Pendek", "25000000004", "01-09-2025", "DITERIMA"],
        [],
        ["", "", "", "", ""],
        [CITRA, "Citra", "25000000003", "01-09-2025", "DIPROSES"],
    ]

    source = run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", rows))

    messages = dict(
        BpjsImportLine.objects.filter(source=source, outcome="problem").values_list(
            "row_number", "message"
        )
    )
    assert set(messages) == {2, 3, 4, 5, 8}
    assert "NIK" in messages[2]
    assert "Excel" in messages[2]
    assert messages[3] == "Diterima tetapi nomor KPJ kosong."
    assert messages[4].startswith("Tanggal efektif tidak terbaca")
    assert messages[5].startswith("NIK harus 16 digit")
    assert messages[8] == "Status tidak dikenal (DIPROSES)."
    assert source.counts["ignored"] == 2  # the two blank rows between the data
    assert not Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).exists()


def test_a_file_without_a_nik_column_is_refused_and_nothing_is_written(
    admin, program, people, tmp_path
):
    rows = [["Nama", "KPJ", "TMT"], ["Budi", "25012345678", "01-09-2025"]]

    with pytest.raises(ServiceError, match="Kolom NIK tidak ditemukan"):
        run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", rows))

    assert not BpjsImport.objects.exists()
    assert not BpjsImportLine.objects.exists()
    assert not Enrolment.objects.exclude(status=EnrolmentStatus.SENT).exists()
    assert AuditEvent.objects.filter(action="bpjs.file_refused").count() == 1
    assert not AuditEvent.objects.filter(action="bpjs.result_imported").exists()


def test_a_file_that_is_no_spreadsheet_is_refused_in_indonesian(admin, program, tmp_path):
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(b"%PDF-1.7 not a workbook")

    with pytest.raises(ServiceError) as refused:
        run(admin, program, path)

    assert "File" in refused.value.message or "file" in refused.value.message
    assert not BpjsImport.objects.exists()


def test_the_import_is_audited_with_its_counts(admin, program, people, tmp_path):
    source = run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    event = AuditEvent.objects.get(action="bpjs.result_imported")
    assert event.changes["counts"] == source.counts
    assert source.layout["header_row"] == 3
    assert source.layout["columns"]["kpj"] == "Nomor Peserta"


# --- the pages --------------------------------------------------------------------------


def upload(client, program, path, kind="result"):
    with path.open("rb") as handle:
        return client.post(
            reverse("enrollment:bpjs_upload"),
            {"program": program.pk, "kind": kind, "file": handle},
        )


def test_an_uploaded_result_file_leads_to_its_page_of_rows_with_niks_masked(
    verifier, program, people, tmp_path
):
    client = client_for(verifier)
    response = upload(client, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    source = BpjsImport.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/impor/{source.pk}/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Diaktifkan" in page.text
    assert "NIK tidak pernah dikirim" in page.text
    assert BUDI not in page.text
    only_unmatched = client.get(response["Location"], {"hasil": "unmatched"})
    assert "ORANG LAIN" in only_unmatched.text
    assert "BUDI" not in only_unmatched.text


def test_a_refused_upload_is_told_in_indonesian_on_the_page(verifier, program, tmp_path):
    client = client_for(verifier)
    rows = [["Nama", "KPJ"], ["Budi", "25012345678"]]
    response = upload(client, program, write_xlsx(tmp_path / "hasil.xlsx", rows))

    page = client.get(response["Location"])
    assert "Kolom NIK tidak ditemukan" in page.text


def test_a_roster_is_uploaded_from_the_same_page(verifier, program, funding_source, tmp_path):
    rows = [["NIK", "Nama", "KPJ", "TMT", "Kode Dana"], [BUDI, "Budi", "25000001", "", "SG"]]
    response = upload(
        client_for(verifier), program, write_csv(tmp_path / "peserta.csv", rows), kind="roster"
    )

    assert response.status_code == 302
    assert Enrolment.objects.get(worker__nik=BUDI).imported


def test_another_pemda_cannot_open_an_import(foreign_admin, admin, program, people, tmp_path):
    source = run(admin, program, write_xlsx(tmp_path / "hasil.xlsx", result_rows()))

    page = client_for(foreign_admin).get(reverse("enrollment:bpjs_import", args=[source.pk]))
    assert page.status_code == 404


# --- recognising (pure) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("No. KTP", "nik"),
        ("Nomor Induk Kependudukan", "nik"),
        ("NIK (16 digit)", "nik"),
        ("No. KPJ", "kpj"),
        ("Nomor Peserta", "kpj"),
        ("No Kartu", "kpj"),
        ("TMT", "effective_on"),
        ("Tgl Kepesertaan", "effective_on"),
        ("Tanggal Efektif", "effective_on"),
        ("Hasil", "status"),
        ("Status Kepesertaan", "status"),
        ("Alasan", "reason"),
        ("Nama TK", "name"),
        ("Kode Wadah", "funding_code"),
        ("DAFTAR HASIL PENDAFTARAN", None),
    ],
)
def test_header_names_branches_write_are_recognised(text, field):
    assert recognise.TABLE.match(text) == field


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("DITERIMA", "accepted"),
        ("Berhasil", "accepted"),
        ("AKTIF", "accepted"),
        ("sukses", "accepted"),
        ("DITOLAK", "rejected"),
        ("GAGAL", "rejected"),
        ("TIDAK BERHASIL", "rejected"),
        ("NON AKTIF", "rejected"),
        ("Non-Aktif", "rejected"),
        ("DIPROSES", ""),
    ],
)
def test_status_words(text, verdict):
    assert recognise.status_of(text) == verdict

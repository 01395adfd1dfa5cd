"""The collective registration file sent to BPJS: who it carries, its columns, its cells."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.bpjs.export import COLUMNS, bpjs_export_create, bpjs_export_download
from lindung.enrollment.models import BpjsExport, BpjsExportLine
from lindung.programs.models import Occupation
from lindung.workers.models import EnrolmentStatus
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, ProgramFactory, UserFactory, WorkerFactory


def approved(program, source, **worker_fields):
    worker = WorkerFactory(pemda=program.pemda, **worker_fields)
    return EnrolmentFactory(
        program=program,
        worker=worker,
        funding_source=source,
        status=EnrolmentStatus.APPROVED,
        kpj="",
        started_on=None,
        start_month=dt.date(2025, 9, 1),
    )


@pytest.fixture
def budi(program, funding_source):
    return approved(
        program,
        funding_source,
        nik="3504011208750001",
        name="Budi Santoso",
        birth_place="Tulungagung",
        birth_date=dt.date(1975, 8, 12),
        sex="L",
        address="Dusun Krajan",
        rt="001",
        rw="002",
        village_id="35.04.15.2001",
        phone="081234567890",
        occupation=Occupation.objects.filter(pemda=program.pemda).order_by("name").first(),
    )


def test_it_sends_every_approved_person_and_moves_them_to_sent(
    admin, program, funding_source, budi
):
    other = approved(program, funding_source, nik="3504015708800002", name="Ani")
    active = EnrolmentFactory(program=program)
    elsewhere = approved(ProgramFactory(pemda=program.pemda), funding_source)

    export, path = bpjs_export_create(actor=admin, program=program, file_format="xlsx")

    assert export.count == 2
    assert path.is_file()
    assert set(BpjsExportLine.objects.values_list("enrolment_id", flat=True)) == {
        budi.pk,
        other.pk,
    }
    for enrolment in (budi, other):
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.SENT
        assert enrolment.sent_at is not None
        assert enrolment.version == 2
    active.refresh_from_db()
    elsewhere.refresh_from_db()
    assert active.status == EnrolmentStatus.ACTIVE
    assert elsewhere.status == EnrolmentStatus.APPROVED
    event = AuditEvent.objects.get(action="bpjs.registration_exported")
    assert event.changes == {"count": 2, "format": "xlsx"}


def test_the_xlsx_has_the_default_columns_and_the_nik_as_text(admin, program, funding_source, budi):
    _, path = bpjs_export_create(actor=admin, program=program, file_format="xlsx")

    ws = load_workbook(path).active
    header, first = list(ws.iter_rows(min_row=1, max_row=2))
    assert [c.value for c in header] == list(COLUMNS)
    cells = dict(zip(COLUMNS, first, strict=True))
    assert cells["NIK"].value == "3504011208750001"
    assert cells["NIK"].data_type == "s"
    assert cells["Nama"].value == "Budi Santoso"
    assert cells["Tempat Lahir"].value == "Tulungagung"
    assert cells["Tanggal Lahir"].value == "12-08-1975"
    assert cells["Jenis Kelamin"].value == "L"
    assert cells["Alamat"].value == "Dusun Krajan, RT 001/RW 002, Desa/Kel. Besole, Kec. Besuki"
    assert cells["No HP"].value == "081234567890"
    assert cells["Jenis Pekerjaan"].value == budi.worker.occupation.name
    assert cells["Penghasilan"].value == 1_000_000
    assert cells["Program"].value == "JKK, JKM"
    # From the enrolment's first month (September) to the program's last (December 2025).
    assert cells["Periode"].value == "09-2025 s.d. 12-2025"
    assert cells["Kode Sumber Dana"].value == "SG"


def test_cells_that_would_run_as_a_formula_are_neutralised(admin, program, funding_source):
    approved(
        program,
        funding_source,
        nik="3504011208750003",
        name='=HYPERLINK("http://jahat.example","klik")',
        phone="+6281234567890",
        address="-1+1",
        birth_place="@SUM(A1)",
    )

    _, xlsx = bpjs_export_create(actor=admin, program=program, file_format="xlsx")
    row = [c.value for c in next(load_workbook(xlsx).active.iter_rows(min_row=2, max_row=2))]
    assert row[2] == '\'=HYPERLINK("http://jahat.example","klik")'
    assert row[3] == "'@SUM(A1)"
    assert row[6] == "'-1+1"
    assert row[7] == "'+6281234567890"


def test_the_csv_quotes_the_nik_and_neutralises_formulas(admin, program, funding_source):
    approved(program, funding_source, nik="3504011208750004", name="=1+2", phone="+62812")

    _, path = bpjs_export_create(actor=admin, program=program, file_format="csv")

    text = path.read_text(encoding="utf-8-sig")
    header, line = text.splitlines()[:2]
    assert header.startswith('"No";"NIK";"Nama"')
    assert line.startswith('1;"3504011208750004";"\'=1+2"')
    assert '"\'+62812"' in line


def test_a_second_export_carries_nobody_already_sent(admin, program, funding_source, budi):
    bpjs_export_create(actor=admin, program=program, file_format="csv")
    late = approved(program, funding_source, nik="3504015708800005", name="Citra")

    export, _ = bpjs_export_create(actor=admin, program=program, file_format="csv")

    assert export.count == 1
    assert list(export.lines.values_list("enrolment_id", flat=True)) == [late.pk]


def test_nobody_to_send_is_refused_and_nothing_is_made(admin, program, funding_source):
    EnrolmentFactory(program=program)

    with pytest.raises(ServiceError, match="Tidak ada peserta disetujui"):
        bpjs_export_create(actor=admin, program=program, file_format="xlsx")

    assert not BpjsExport.objects.exists()


def test_an_unknown_format_is_refused(admin, program, budi):
    with pytest.raises(ServiceError, match="xlsx atau csv"):
        bpjs_export_create(actor=admin, program=program, file_format="pdf")
    budi.refresh_from_db()
    assert budi.status == EnrolmentStatus.APPROVED


def test_an_earlier_file_is_downloaded_again_and_the_download_audited(
    admin, program, funding_source, budi
):
    export, path = bpjs_export_create(actor=admin, program=program, file_format="csv")

    again = bpjs_export_download(actor=admin, export=export)

    assert again == path
    event = AuditEvent.objects.get(action="bpjs.registration_downloaded")
    assert event.actor == admin
    assert event.changes["count"] == 1


# --- the page ---------------------------------------------------------------------------


def bpjs_officer(pemda):
    return UserFactory(username="petugas-bpjs", pemda=pemda, role=Role.BPJS_OFFICER)


def test_the_page_counts_who_waits_to_be_sent(pemda, program, funding_source, budi):
    response = client_for(bpjs_officer(pemda)).get(reverse("enrollment:bpjs"))

    assert response.status_code == 200
    assert "disetujui, belum dikirim" in response.text
    assert 'value="xlsx"' in response.text
    assert 'value="csv"' in response.text


def test_an_operator_may_not_open_the_page(operator):
    assert client_for(operator).get(reverse("enrollment:bpjs")).status_code == 403


def test_the_button_makes_the_file_and_the_list_downloads_it_again(
    verifier, program, funding_source, budi
):
    client = client_for(verifier)
    response = client.post(
        reverse("enrollment:bpjs_export"), {"program": program.pk, "file_format": "csv"}
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"3504011208750001" in b"".join(response.streaming_content)
    budi.refresh_from_db()
    assert budi.status == EnrolmentStatus.SENT
    export = BpjsExport.objects.get()
    page = client.get(reverse("enrollment:bpjs"))
    assert reverse("enrollment:bpjs_download", args=[export.pk]) in page.text
    again = client.get(reverse("enrollment:bpjs_download", args=[export.pk]))
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="bpjs.registration_downloaded").count() == 1


def test_pressing_the_button_with_nobody_to_send_says_so(verifier, program, funding_source):
    client = client_for(verifier)
    response = client.post(
        reverse("enrollment:bpjs_export"), {"program": program.pk, "file_format": "xlsx"},
        follow=True,
    )  # fmt: skip

    assert "Tidak ada peserta disetujui" in response.text

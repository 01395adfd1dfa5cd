"""The documents of an approved allocation: the berita acara on the program's letterhead
(HTML checked for its figures, then made into PDF bytes) and the approved list as xlsx with
NIK as text and formulas neutralised. Every download is audited.

Figures: 3 people × Rp 16.800 × 12 months = Rp 604.800, paid from APBD (code SG)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.approval import allocation_approve, allocation_document
from lindung.enrollment.documents import berita_acara_html, date_in_words, in_words
from lindung.enrollment.models import Allocation
from tests.factories import AllocationFactory, AllocationLineFactory, UserFactory


@pytest.fixture
def approved(program, agency, funding_source, verifier, approver):
    program.letterhead = "PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA"
    program.signatory_name = "Drs. Budi Santoso, M.Si."
    program.signatory_title = "Kepala Dinas Tenaga Kerja"
    program.signatory_nip = "197001011995031001"
    program.perbup_number = "12 Tahun 2025"
    program.pks_number = "PKS/45/2025"
    program.save()
    allocation = AllocationFactory(program=program, proposed_by=verifier, allocated=3)
    AllocationLineFactory(
        allocation=allocation, agency=agency, funding_source=funding_source,
        nik="3504014101800001", name="Siti Aminah", village_id="35.04.15.2001",
    )  # fmt: skip
    AllocationLineFactory.create_batch(
        2, allocation=allocation, agency=agency, funding_source=funding_source
    )
    allocation_approve(actor=approver, allocation=allocation)
    Allocation.objects.filter(pk=allocation.pk).update(
        decided_at=dt.datetime(2025, 7, 7, 3, 0, tzinfo=dt.UTC)  # 10.00 WIB
    )
    allocation.refresh_from_db()
    return allocation


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (7, "tujuh"),
        (11, "sebelas"),
        (19, "sembilan belas"),
        (100, "seratus"),
        (1_000, "seribu"),
        (2_025, "dua ribu dua puluh lima"),
        (21_000, "dua puluh satu ribu"),
        (37_500, "tiga puluh tujuh ribu lima ratus"),
    ],
)
def test_numbers_are_written_in_indonesian_words(n, words):
    assert in_words(n) == words


def test_a_date_is_written_as_minutes_say_it():
    assert date_in_words(dt.date(2025, 7, 7)) == (
        "Senin tanggal tujuh bulan Juli tahun dua ribu dua puluh lima"
    )


def test_the_berita_acara_carries_letterhead_basis_figures_people_and_signature(approved):
    html = berita_acara_html(approved)

    assert "PEMERINTAH KABUPATEN TULUNGAGUNG" in html
    assert "DINAS TENAGA KERJA" in html
    assert "BERITA ACARA PENETAPAN PESERTA PEKERJA RENTAN 2025" in html
    assert f"{approved.pk:03d}/BA-PESERTA/PEKERJA-RENTAN-2025/2025" in html
    assert "Senin tanggal tujuh bulan Juli tahun dua ribu dua puluh lima" in html
    assert "12 Tahun 2025" in html
    assert "PKS/45/2025" in html
    assert "3 (tiga) orang" in html
    assert "Januari 2025 – Desember 2025 (12 bulan)" in html
    assert "Rp 16.800" in html
    assert "Rp 604.800" in html
    assert "APBD Kabupaten" in html
    assert ">SG<" in html
    assert "Siti Aminah" in html
    assert "3504********0001" in html
    assert "3504014101800001" not in html
    assert "Besole" in html
    assert "Dinas Perikanan" in html
    assert "Drs. Budi Santoso, M.Si." in html
    assert "NIP 197001011995031001" in html


def test_a_long_list_is_summarised_per_agency(approved, monkeypatch):
    monkeypatch.setattr("lindung.enrollment.documents.LIST_IN_PDF", 2)

    html = berita_acara_html(approved)

    assert "Siti Aminah" not in html
    assert "terlampir dalam berkas xlsx" in html
    assert '<td>Dinas Perikanan</td><td class="num">3</td>' in html


def test_the_pdf_is_made_and_its_download_audited(approved, approver):
    document = allocation_document(actor=approver, allocation=approved, kind="berita_acara")

    assert document.content.startswith(b"%PDF")
    assert document.filename == f"berita-acara-pekerja-rentan-2025-alokasi-{approved.pk}.pdf"
    event = AuditEvent.objects.get(action="allocation.document_downloaded")
    assert event.changes["kind"] == "berita_acara"
    assert event.actor == approver


def test_the_approved_list_has_nik_as_text_and_neutralised_formulas(approved, verifier):
    line = approved.lines.order_by("rank").last()
    type(line).objects.filter(pk=line.pk).update(name='=HYPERLINK("x")')

    document = allocation_document(actor=verifier, allocation=approved, kind="approved_list")

    sheet = load_workbook(io.BytesIO(document.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No", "NIK", "Nama")
    assert rows[1][1] == "3504014101800001"
    assert rows[1][2] == "Siti Aminah"
    assert sheet["B2"].number_format == "@"
    assert rows[1][8:13] == ("APBD Kabupaten", "SG", "01-2025", 12, 16_800)
    assert rows[3][2] == '\'=HYPERLINK("x")'
    assert len(rows) == 4
    assert AuditEvent.objects.get(action="allocation.document_downloaded").changes["kind"] == (
        "approved_list"
    )


def test_the_approved_list_masks_niks_for_the_kepala_dinas_and_the_leader(
    approved, approver, pemda
):
    leader = UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)
    for reader in (approver, leader):
        document = allocation_document(actor=reader, allocation=approved, kind="approved_list")
        rows = list(load_workbook(io.BytesIO(document.content)).active.iter_rows(values_only=True))
        assert rows[1][1] == "3504********0001"
    events = AuditEvent.objects.filter(action="allocation.document_downloaded")
    assert [e.changes["full_nik"] for e in events] == [False, False]


def test_documents_wait_for_the_approval(program, agency, funding_source, verifier, approver):
    allocation = AllocationFactory(program=program, proposed_by=verifier)
    AllocationLineFactory(allocation=allocation, agency=agency, funding_source=funding_source)

    with pytest.raises(ServiceError, match="sudah disetujui"):
        allocation_document(actor=approver, allocation=allocation, kind="berita_acara")


def test_an_operator_may_not_download_them(approved, operator):
    with pytest.raises(ServiceError, match="tidak berhak"):
        allocation_document(actor=operator, allocation=approved, kind="approved_list")
    assert not AuditEvent.objects.filter(action="allocation.document_downloaded").exists()


def test_an_admin_sets_the_letterhead_and_signatory_in_the_program_form(program, admin):
    from lindung.programs.forms import ProgramForm
    from lindung.programs.services import program_update

    form = ProgramForm(instance=program, pemda=program.pemda)
    assert {"letterhead", "signatory_name", "signatory_title", "signatory_nip"} <= set(form.fields)

    program_update(
        actor=admin,
        program=program,
        version=program.version,
        letterhead="PEMERINTAH KABUPATEN TULUNGAGUNG\nDINAS TENAGA KERJA",
        signatory_name="Drs. Budi Santoso",
    )

    program.refresh_from_db()
    assert program.letterhead.splitlines()[1] == "DINAS TENAGA KERJA"
    event = AuditEvent.objects.filter(action="program.updated").latest("pk")
    assert "signatory_name" in event.changes

"""The audit trail in words: each action code as an Indonesian phrase, each recorded change as
a labelled line ("Status: Draf → Diserahkan"), never dotted codes or raw dicts.

Every action code written anywhere with `audit_record(action=...)` needs a phrase here; a
test fails when one is missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_PHRASES: dict[str, Promise] = {
    # Accounts and security
    "user.login": gettext_lazy("Masuk"),
    "user.logout": gettext_lazy("Keluar"),
    "user.login_failed": gettext_lazy("Gagal masuk"),
    "nik.full_shown": gettext_lazy("NIK lengkap ditampilkan"),
    "access.denied": gettext_lazy("Akses ditolak"),
    "job.failed_dead": gettext_lazy("Proses latar belakang dinyatakan gagal (prosesnya mati)"),
    "user.created": gettext_lazy("Pengguna dibuat"),
    "user.updated": gettext_lazy("Pengguna diubah"),
    "user.password_changed": gettext_lazy("Kata sandi diganti"),
    "user.password_reset_requested": gettext_lazy("Atur ulang kata sandi diminta"),
    "user.password_reset": gettext_lazy("Kata sandi diatur ulang"),
    "user.locked_out": gettext_lazy("Akun dikunci sementara (terlalu banyak gagal masuk)"),
    "user.unlocked": gettext_lazy("Kunci akun dibuka"),
    "user.mfa_enrolled": gettext_lazy("Verifikasi dua langkah didaftarkan"),
    "user.mfa_passed": gettext_lazy("Kode verifikasi diterima"),
    "user.mfa_failed": gettext_lazy("Kode verifikasi salah"),
    "user.mfa_reset": gettext_lazy("Verifikasi dua langkah direset"),
    "pemda.created": gettext_lazy("Pemda dibuat"),
    "agency.created": gettext_lazy("Instansi ditambahkan"),
    "agency.updated": gettext_lazy("Instansi diubah"),
    # Set-up
    "region.loaded": gettext_lazy("Kode wilayah dimuat"),
    "rule_version.created": gettext_lazy("Versi tarif/manfaat ditambahkan"),
    "program.created": gettext_lazy("Program dibuat"),
    "program.updated": gettext_lazy("Program diubah"),
    "funding_source.created": gettext_lazy("Sumber dana ditambahkan"),
    "funding_source.removed": gettext_lazy("Sumber dana dihapus"),
    "quota.set": gettext_lazy("Kuota ditetapkan"),
    "quota.removed": gettext_lazy("Kuota dihapus"),
    "occupation.created": gettext_lazy("Jenis pekerjaan ditambahkan"),
    "occupation.updated": gettext_lazy("Jenis pekerjaan diubah"),
    "occupation.defaults_loaded": gettext_lazy("Daftar jenis pekerjaan bawaan dimuat"),
    "worker.bulk_created": gettext_lazy("Data pekerja dimuat"),
    # Agency lists
    "upload.received": gettext_lazy("File daftar diterima"),
    "upload.refused": gettext_lazy("File daftar ditolak"),
    "column_mapping.saved": gettext_lazy("Pemetaan kolom disimpan"),
    "import_job.queued": gettext_lazy("Pembacaan file dijadwalkan"),
    "import_job.restarted": gettext_lazy("Pembacaan file diulang"),
    "submission.imported": gettext_lazy("Daftar dibaca dan diperiksa"),
    "submission.rows_replaced": gettext_lazy("Baris ditolak diganti dengan file perbaikan"),
    "submission.submitted": gettext_lazy("Usulan diserahkan ke Disnaker"),
    "submission.deleted": gettext_lazy("Draf usulan dihapus"),
    "submission.verification_started": gettext_lazy("Verifikasi usulan dimulai"),
    "submission.feedback_exported": gettext_lazy("File umpan balik dibuat"),
    "submission.feedback_export_queued": gettext_lazy("File umpan balik diminta"),
    "submission.feedback_downloaded": gettext_lazy("File umpan balik diunduh"),
    "submission.correction_refused": gettext_lazy("File perbaikan ditolak, tidak ada yang diubah"),
    "submission.result_exported": gettext_lazy("Hasil pemeriksaan diekspor"),
    "submission_row.corrected": gettext_lazy("Baris diperbaiki"),
    "submission_row.entered": gettext_lazy("Pekerja ditambahkan satu per satu"),
    # Verification
    "register_upload.received": gettext_lazy("File DTKS/DTSEN diterima"),
    "register_upload.refused": gettext_lazy("File DTKS/DTSEN ditolak"),
    "register_upload.failed": gettext_lazy("Pemuatan DTKS/DTSEN gagal"),
    "register_upload.restarted": gettext_lazy("Pemuatan DTKS/DTSEN diulang"),
    "register_snapshot.loaded": gettext_lazy("Data DTKS/DTSEN dimuat"),
    "verification.policy_changed": gettext_lazy("Ambang pencocokan diubah"),
    "verification.queued": gettext_lazy("Verifikasi dijadwalkan"),
    "verification.finished": gettext_lazy("Verifikasi selesai"),
    "verification.match_accepted": gettext_lazy("Padanan DTKS/DTSEN diterima"),
    "verification.match_rejected": gettext_lazy("Padanan DTKS/DTSEN ditolak"),
    "verification.match_undone": gettext_lazy("Keputusan padanan DTKS/DTSEN dibatalkan"),
    "verification.matches_bulk_accepted": gettext_lazy("Padanan DTKS/DTSEN diterima sekaligus"),
    "verification.duplicate_resolved": gettext_lazy("Duplikat diselesaikan"),
    "verification.duplicate_separated": gettext_lazy("Duplikat dinyatakan orang berbeda"),
    "verification.result_exported": gettext_lazy("Hasil verifikasi diekspor"),
    # Enrollment: allocation and renewal
    "allocation.proposed": gettext_lazy("Usulan alokasi peserta dibuat"),
    "allocation.withdrawn": gettext_lazy("Usulan alokasi lama ditarik"),
    "renewal.candidates_created": gettext_lazy("Peserta tahun lalu diusulkan untuk perpanjangan"),
    # Enrollment: approval (maker–checker)
    "allocation.approved": gettext_lazy("Usulan alokasi peserta disetujui Kepala Dinas"),
    "allocation.returned": gettext_lazy("Usulan alokasi peserta dikembalikan dengan catatan"),
    "allocation.document_downloaded": gettext_lazy("Dokumen penetapan peserta diunduh"),
    # Enrollment: the BPJS exchange and the end of an enrolment
    "bpjs.registration_exported": gettext_lazy("File pendaftaran BPJS dibuat"),
    "bpjs.registration_downloaded": gettext_lazy("File pendaftaran BPJS diunduh ulang"),
    "bpjs.result_imported": gettext_lazy("Hasil pendaftaran BPJS dibaca"),
    "bpjs.roster_imported": gettext_lazy("Daftar peserta BPJS yang sudah ada diimpor"),
    "bpjs.file_refused": gettext_lazy("File dari BPJS ditolak"),
    "enrolment.ended": gettext_lazy("Kepesertaan diakhiri"),
    # Billing: monthly bills and payments
    "bill.generated": gettext_lazy("Tagihan iuran bulanan dibuat"),
    "bill.exported": gettext_lazy("Tagihan iuran diunduh"),
    "payment.recorded": gettext_lazy("Pembayaran (SP2D) dicatat"),
    "payment.corrected": gettext_lazy("Koreksi pembayaran (SP2D) dicatat"),
    "payment.proof_downloaded": gettext_lazy("Bukti pembayaran diunduh"),
    # Enrollment: participants
    "participant.exported": gettext_lazy("Daftar peserta diekspor"),
    "participant.cards_downloaded": gettext_lazy("Kartu peserta diunduh"),
    # Billing: budget and reports
    "budget.revised": gettext_lazy("Pagu sumber dana diubah (APBD-Perubahan)"),
    "billing.report_downloaded": gettext_lazy("Laporan iuran diunduh"),
    # Billing: reconciliation with BPJS's bill
    "bpjs_bill.reconciled": gettext_lazy("Tagihan BPJS direkonsiliasi"),
    "bpjs_bill.line_resolved": gettext_lazy("Selisih rekonsiliasi diselesaikan"),
    # Claims
    "claim.reported": gettext_lazy("Klaim JKK/JKM dilaporkan"),
    "claim.documents_complete": gettext_lazy("Berkas klaim dinyatakan lengkap"),
    "claim.submitted": gettext_lazy("Klaim diajukan ke BPJS Ketenagakerjaan"),
    "claim.paid": gettext_lazy("Klaim dibayar BPJS Ketenagakerjaan"),
    "claim.handed_over": gettext_lazy("Manfaat klaim diserahkan"),
    "workforce.loaded": gettext_lazy("Data jumlah pekerja per wilayah dimuat"),
    "coverage_target.set": gettext_lazy("Target cakupan dan angka provinsi ditetapkan"),
    "claim.rejected": gettext_lazy("Klaim ditolak"),
    "claim.viewed": gettext_lazy("Halaman klaim dibuka (data ahli waris dan medis)"),
    "claim.heir_added": gettext_lazy("Ahli waris klaim dicatat"),
    "claim.heir_removed": gettext_lazy("Ahli waris klaim dihapus"),
    "claim.document_uploaded": gettext_lazy("Dokumen klaim diunggah"),
    "claim.document_waived": gettext_lazy("Dokumen klaim dinyatakan tidak diperlukan"),
    "claim.document_removed": gettext_lazy("Dokumen klaim dihapus"),
    "claim.document_downloaded": gettext_lazy("Dokumen klaim diunduh"),
    "claims.report_downloaded": gettext_lazy("Laporan manfaat klaim diunduh"),
    "monitoring.report_downloaded": gettext_lazy("Laporan pemantauan diunduh"),
    "evidence_pack.requested": gettext_lazy("Paket bukti audit diminta"),
    "evidence_pack.downloaded": gettext_lazy("Paket bukti audit diunduh"),
    # Data-subject rights and retention (UU PDP)
    "subject.access_reported": gettext_lazy("Laporan data pribadi seseorang dibuat"),
    "restriction.placed": gettext_lazy("Pemrosesan data seseorang dibatasi"),
    "restriction.lifted": gettext_lazy("Pembatasan pemrosesan data dicabut"),
    "retention.purged": gettext_lazy("Berkas dan data lewat masa simpan dimusnahkan"),
}

FIELD_LABELS: dict[str, Promise] = {
    "status": gettext_lazy("Status"),
    "username": gettext_lazy("Nama pengguna"),
    "email": gettext_lazy("Email"),
    "email_domain": gettext_lazy("Domain email"),
    "account": gettext_lazy("Akun"),
    "failures": gettext_lazy("Jumlah gagal"),
    "minutes": gettext_lazy("Lama dikunci (menit)"),
    "records": gettext_lazy("Catatan percobaan dihapus"),
    "recovery": gettext_lazy("Dengan kode pemulihan"),
    "first_name": gettext_lazy("Nama"),
    "last_name": gettext_lazy("Nama belakang"),
    "role": gettext_lazy("Peran"),
    "agency": gettext_lazy("Instansi"),
    "is_active": gettext_lazy("Aktif"),
    "password": gettext_lazy("Kata sandi"),
    "code": gettext_lazy("Kode"),
    "name": gettext_lazy("Nama"),
    "kind": gettext_lazy("Jenis"),
    "region": gettext_lazy("Wilayah"),
    "village": gettext_lazy("Desa/kelurahan"),
    "province": gettext_lazy("Provinsi"),
    "counts": gettext_lazy("Jumlah"),
    "count": gettext_lazy("Jumlah"),
    "file": gettext_lazy("File"),
    "size": gettext_lazy("Ukuran (byte)"),
    "sha256": gettext_lazy("Sidik file"),
    "reason": gettext_lazy("Alasan"),
    "message": gettext_lazy("Pesan"),
    "source": gettext_lazy("Sumber"),
    "as_of": gettext_lazy("Per tanggal"),
    "rows": gettext_lazy("Baris"),
    "rejected": gettext_lazy("Ditolak"),
    "accepted": gettext_lazy("Diterima"),
    "accepted_with_warnings": gettext_lazy("Diterima dengan catatan"),
    "ignored": gettext_lazy("Diabaikan"),
    "replaced": gettext_lazy("Diganti"),
    "sheets": gettext_lazy("Lembar"),
    "target": gettext_lazy("Usulan yang diperbaiki"),
    "columns": gettext_lazy("Kolom"),
    "created": gettext_lazy("Baru"),
    "outcome": gettext_lazy("Hasil"),
    "format": gettext_lazy("Format"),
    "ended_on": gettext_lazy("Tanggal berakhir"),
    "nik": gettext_lazy("NIK"),
    "quota": gettext_lazy("Kuota"),
    "removed": gettext_lazy("Dihapus"),
    "added": gettext_lazy("Ditambahkan"),
    "amount": gettext_lazy("Jumlah dana"),
    "bpjs_code": gettext_lazy("Kode dana BPJS"),
    "payload": gettext_lazy("Isi tabel"),
    "program": gettext_lazy("Program"),
    "snapshot": gettext_lazy("Data DTKS/DTSEN"),
    "run": gettext_lazy("Verifikasi"),
    "row": gettext_lazy("Baris"),
    "register_id": gettext_lazy("ID DTKS/DTSEN"),
    "note": gettext_lazy("Catatan"),
    "group": gettext_lazy("Kelompok data ganda"),
    "owner_row": gettext_lazy("Baris yang dipilih (ID)"),
    "owner_row_number": gettext_lazy("Baris yang dipilih"),
    "min_score": gettext_lazy("Skor paling rendah"),
    "seconds": gettext_lazy("Lama (detik)"),
    "timings": gettext_lazy("Rincian waktu (detik)"),
    "submissions_in_verification": gettext_lazy("Usulan masuk verifikasi"),
    "previous_status": gettext_lazy("Status sebelumnya"),
    "region_code_style": gettext_lazy("Format kode wilayah"),
    "year": gettext_lazy("Tahun"),
    "start_month": gettext_lazy("Bulan mulai"),
    "coverage_months": gettext_lazy("Lama perlindungan (bulan)"),
    "occupations": gettext_lazy("Jenis pekerjaan"),
    "synonyms": gettext_lazy("Sebutan lain"),
    "legal_basis": gettext_lazy("Dasar hukum"),
    "effective_from": gettext_lazy("Berlaku mulai"),
    "effective_to": gettext_lazy("Berlaku sampai"),
    "version": gettext_lazy("Versi"),
    # Data-subject rights and retention
    "held_restricted": gettext_lazy("Ditahan karena pemrosesan dibatasi"),
    "skipped_restricted": gettext_lazy("Tidak diusulkan karena pemrosesan dibatasi"),
    "cutoff": gettext_lazy("Batas masa simpan"),
    "days": gettext_lazy("Masa simpan (hari)"),
    "intake_uploads": gettext_lazy("File daftar instansi dimusnahkan"),
    "register_files": gettext_lazy("File DTKS/DTSEN dimusnahkan"),
    "bpjs_files": gettext_lazy("File BPJS dimusnahkan"),
    "feedback_files": gettext_lazy("File umpan balik dimusnahkan"),
    "snapshots": gettext_lazy("Salinan DTKS/DTSEN dikosongkan"),
    "snapshot_rows": gettext_lazy("Baris DTKS/DTSEN dimusnahkan"),
}

# Stored status codes shown as the words the pages use.
VALUE_WORDS: dict[str, Promise] = {
    "unknown": gettext_lazy("tidak dikenal"),
    "draft": gettext_lazy("Draf"),
    "submitted": gettext_lazy("Diserahkan"),
    "in_verification": gettext_lazy("Dalam verifikasi"),
    "accepted": gettext_lazy("Diterima"),
    "accepted_with_warnings": gettext_lazy("Diterima dengan catatan"),
    "rejected": gettext_lazy("Ditolak"),
    "queued": gettext_lazy("Menunggu"),
    "running": gettext_lazy("Diproses"),
    "done": gettext_lazy("Selesai"),
    "failed": gettext_lazy("Gagal"),
}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    text: str


def action_phrase(action: str) -> str:
    """The action in words; an unknown code (never expected) is at least made readable."""
    if action in ACTION_PHRASES:
        return str(ACTION_PHRASES[action])
    return action.replace("_", " ").replace(".", ": ")


def event_summary(action: str, changes: dict[str, Any]) -> str:
    """The phrase, with the one detail that makes it a sentence where there is one."""
    phrase = action_phrase(action)
    if action == "verification.duplicate_resolved":
        number = changes.get("owner_row_number")
        if number is not None:
            return _("%(phrase)s: baris %(row)s dipilih") % {"phrase": phrase, "row": number}
        if changes.get("owner_row") is not None:
            return _("%(phrase)s: baris ID %(row)s dipilih") % {
                "phrase": phrase,
                "row": changes["owner_row"],
            }
    if action == "verification.matches_bulk_accepted" and "rows" in changes:
        return _("%(phrase)s: %(n)s baris") % {"phrase": phrase, "n": _count(changes["rows"])}
    return phrase


def label_for(key: str) -> str:
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key.replace("_", " ").capitalize()


def _count(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _date_text(value: str) -> str | None:
    if len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        if len(value) == 10:
            return formats.date_format(dt.date.fromisoformat(value), "j F Y")
        return formats.date_format(dt.datetime.fromisoformat(value), "j F Y H:i")
    except ValueError:
        return None


def value_text(value: Any) -> str:
    """One recorded value in words: no `None`, no Python lists or dicts."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, int | float):
        return _count(value) if isinstance(value, int) else str(value).replace(".", ",")
    if isinstance(value, str):
        if value in VALUE_WORDS:
            return str(VALUE_WORDS[value])
        return _date_text(value) or value
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{label_for(str(k))}: {value_text(v)}" for k, v in value.items()) or "—"
    return str(value)


# Actions whose changes are {field: [old, new]} (`lindung.audit.services.diff` or alike).
PAIR_ACTIONS = frozenset(
    {
        "user.created",
        "user.updated",
        "agency.created",
        "agency.updated",
        "program.created",
        "program.updated",
        "occupation.created",
        "occupation.updated",
        "quota.set",
        "submission.submitted",
        "submission.verification_started",
        "submission_row.corrected",
        "verification.policy_changed",
    }
)


def change_lines(action: str, changes: dict[str, Any]) -> list[ChangeLine]:
    """Each recorded change as a labelled line; a pair [old, new] as `old → new`, or only the
    new value where there was none before (a creation)."""
    lines = []
    for key, value in changes.items():
        if action in PAIR_ACTIONS and isinstance(value, list) and len(value) == 2:
            old, new = value
            text = (
                value_text(new)
                if old in (None, "", [])
                else f"{value_text(old)} → {value_text(new)}"
            )
        else:
            text = value_text(value)
        lines.append(ChangeLine(label=label_for(str(key)), text=text))
    return lines

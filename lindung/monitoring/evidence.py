"""The audit evidence pack of a period for BPK / Inspektorat: one zip with, as csv files, the
eligibility basis (the register snapshots and rule versions the verification runs used),
proposals with their approvals and approvers, bills and payments, reconciliation differences
and their resolutions, and the exclusions with their reasons (ineligible verdicts, ended
enrolments, registrations BPJS rejected, candidates left on the waiting list), plus a
README.txt in Indonesian listing what is in it.

Written by a background job with progress to a temporary name and renamed when complete: a
killed job leaves no pack and can be run again. NIKs are masked unless the person who asked
may see them in full (`accounts.access.sees_full_nik`); the request and every download are
audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lindung.accounts.access import scope_to_pemda, sees_full_nik
from lindung.accounts.models import Actor, Role, User
from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.billing.models import Bill, BpjsBillLine, Payment, ReconcileOutcome
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus, enqueue_on_commit, job_beat, job_failed, job_started
from lindung.common.tabular.values import formula_safe
from lindung.domain.nik import mask_nik
from lindung.enrollment.models import (
    Allocation,
    AllocationLine,
    BpjsImportLine,
    ImportLineOutcome,
    LineOutcome,
)
from lindung.monitoring.models import EvidencePack
from lindung.programs.models import Program
from lindung.rules.models import RuleVersion
from lindung.verification.models import RowVerdict, Verdict, VerificationRun
from lindung.workers.models import Enrolment

PACK_READERS: Final = (Role.LEADER, Role.ADMIN)
Rows = Iterable[list[Any]]


def _who(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def _csv(headers: list[str], rows: Rows) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow(
            ["" if v is None else formula_safe(v) if isinstance(v, str) else v for v in row]
        )
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


class _Pack:
    """What goes in one pack: the period's querysets and how a NIK is shown."""

    def __init__(self, pack: EvidencePack) -> None:
        self.pack = pack
        self.program: Program = pack.program
        self.start, self.end = pack.period_start, pack.period_end
        self.nik: Callable[[str], str] = (lambda n: n) if pack.full_nik else mask_nik

    def _in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def runs(self) -> QuerySet[VerificationRun]:
        used = Allocation.objects.filter(
            self._in_period("proposed_at__date"), program=self.program
        ).values("run_id")
        return (
            VerificationRun.objects.filter(program=self.program)
            .filter(self._in_period("created_at__date") | Q(pk__in=used))
            .select_related("snapshot", "started_by")
            .order_by("pk")
        )

    def basis(self) -> Rows:
        for run in self.runs():
            snap = run.snapshot
            yield [
                run.pk, _day(run.created_at), _day(run.finished_at), run.get_status_display(),
                _who(run.started_by), snap.pk if snap else "",
                snap.get_source_display() if snap else _("tanpa register"),
                _day(snap.as_of) if snap else "", snap.file_name if snap else "",
                snap.sha256 if snap else "", run.rows,
                json.dumps(run.policy, ensure_ascii=False, sort_keys=True),
            ]  # fmt: skip

    def rules(self) -> Rows:
        versions = RuleVersion.objects.filter(
            Q(pemda_id=self.program.pemda_id) | Q(pemda__isnull=True),
            effective_from__lte=self.end,
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.start))
        for v in versions.order_by("kind", "effective_from", "pk"):
            yield [
                v.get_kind_display(), v.version, _day(v.effective_from), _day(v.effective_to),
                _("nasional") if v.pemda_id is None else _("Pemda"), v.legal_basis,
            ]  # fmt: skip

    def proposals(self) -> Rows:
        allocations = Allocation.objects.filter(
            self._in_period("proposed_at__date"), program=self.program
        ).select_related("proposed_by", "decided_by")
        for a in allocations.order_by("pk"):
            yield [
                a.pk, a.get_kind_display(), a.get_status_display(), _day(a.start_month),
                a.allocated, a.waiting, a.monthly_premium, a.run_id or "",
                _who(a.proposed_by), _day(a.proposed_at), _who(a.decided_by),
                _day(a.decided_at), a.note,
            ]  # fmt: skip

    def bills(self) -> Rows:
        bills = Bill.objects.filter(self._in_period("month"), program=self.program)
        for b in bills.select_related("funding_source", "generated_by").order_by("month", "pk"):
            yield [
                b.pk, b.month.strftime("%m-%Y"), b.funding_source.code or b.funding_source_id,
                b.participants, b.total, b.legal_basis, _who(b.generated_by),
                _day(b.generated_at), b.version,
            ]  # fmt: skip

    def payments(self) -> Rows:
        payments = Payment.objects.filter(self._in_period("paid_on"), program=self.program)
        for p in payments.select_related("funding_source", "recorded_by").order_by("paid_on"):
            yield [
                p.pk, p.sp2d_number, _day(p.paid_on), p.funding_source.code or p.funding_source_id,
                p.amount, ", ".join(p.months), p.proof_sha256, p.corrects_id or "",
                _who(p.recorded_by), _day(p.recorded_at), p.note,
            ]  # fmt: skip

    def differences(self) -> Rows:
        lines = BpjsBillLine.objects.filter(
            self._in_period("bpjs_bill__month"), bpjs_bill__program=self.program
        ).exclude(outcome=ReconcileOutcome.MATCHED)
        for line in lines.select_related("bpjs_bill", "resolved_by").order_by(
            "bpjs_bill__month", "pk"
        ):
            yield [
                line.bpjs_bill.month.strftime("%m-%Y"), line.get_outcome_display(),
                self.nik(line.nik), line.kpj, line.name, line.amount_theirs, line.amount_ours,
                line.get_resolution_display() if line.resolution else _("belum diselesaikan"),
                line.resolution_note, _who(line.resolved_by), _day(line.resolved_at),
            ]  # fmt: skip

    def ineligible(self) -> Rows:
        verdicts = RowVerdict.objects.filter(
            run__in=self.runs(), verdict=Verdict.INELIGIBLE
        ).select_related("row", "agency")
        for v in verdicts.order_by("run_id", "pk").iterator(chunk_size=2_000):
            reasons = "; ".join(str(f.get("message", f.get("code", ""))) for f in v.findings)
            yield [
                v.run_id, v.agency.name, self.nik(v.row.nik), v.row.name,
                v.get_outcome_display(), reasons,
            ]  # fmt: skip

    def ended(self) -> Rows:
        ended = Enrolment.objects.filter(
            self._in_period("ended_on"), program=self.program
        ).select_related("worker", "agency")
        for e in ended.order_by("ended_on", "pk").iterator(chunk_size=2_000):
            yield [
                self.nik(e.worker.nik), e.worker.name, e.agency.name if e.agency else "",
                _day(e.started_on), _day(e.ended_on),
                e.get_end_reason_display() if e.end_reason else "", e.bpjs_reason,
            ]  # fmt: skip

    def rejected(self) -> Rows:
        lines = BpjsImportLine.objects.filter(
            self._in_period("source__created_at__date"),
            source__program=self.program,
            outcome=ImportLineOutcome.REJECTED,
        ).select_related("source")
        for line in lines.order_by("source_id", "row_number").iterator(chunk_size=2_000):
            yield [
                _day(line.source.created_at), line.source.original_name, line.row_number,
                self.nik(line.nik), line.name, line.reason or line.message,
            ]  # fmt: skip

    def waiting(self) -> Rows:
        lines = AllocationLine.objects.filter(
            self._in_period("allocation__proposed_at__date"),
            allocation__program=self.program,
            outcome=LineOutcome.WAITING,
        ).select_related("agency")
        for line in lines.order_by("allocation_id", "rank").iterator(chunk_size=2_000):
            yield [
                line.allocation_id, line.rank, self.nik(line.nik), line.name, line.agency.name,
                line.get_wait_reason_display() if line.wait_reason else "",
            ]  # fmt: skip


# The files of the pack: name, what it holds (for the README), headers, the `_Pack` method
# giving its rows.
FILES: Final[list[tuple[str, str, list[str], str]]] = [
    ("01-dasar-kelayakan.csv",
     "Verifikasi yang dipakai: register (DTKS/DTSEN) per tanggal, file, sidik jari, aturan.",
     ["Verifikasi", "Dibuat", "Selesai", "Status", "Oleh", "Snapshot", "Sumber register",
      "Keadaan per", "Nama file", "SHA-256", "Baris", "Aturan yang dipakai"],
     "basis"),
    ("02-versi-aturan.csv",
     "Versi tabel tarif dan manfaat yang berlaku dalam periode, dengan dasar hukumnya.",
     ["Jenis", "Versi", "Berlaku mulai", "Berlaku sampai", "Cakupan", "Dasar hukum"],
     "rules"),
    ("03-usulan-dan-persetujuan.csv",
     "Usulan alokasi peserta, keputusan, pengusul dan pejabat yang menyetujui.",
     ["Usulan", "Jenis", "Status", "Bulan mulai", "Dialokasikan", "Daftar tunggu",
      "Iuran per orang (Rp)", "Verifikasi", "Diusulkan oleh", "Diusulkan pada",
      "Diputuskan oleh", "Diputuskan pada", "Catatan"],
     "proposals"),
    ("04-tagihan.csv",
     "Tagihan iuran per bulan dan sumber dana.",
     ["Tagihan", "Bulan", "Sumber dana", "Peserta", "Jumlah (Rp)", "Dasar tarif",
      "Dibuat oleh", "Dibuat pada", "Versi"],
     "bills"),
    ("05-pembayaran.csv",
     "Pembayaran (SP2D) dan bulan yang dibayar.",
     ["Pembayaran", "Nomor SP2D", "Tanggal SP2D", "Sumber dana", "Jumlah (Rp)", "Bulan",
      "SHA-256 bukti", "Mengoreksi", "Dicatat oleh", "Dicatat pada", "Catatan"],
     "payments"),
    ("06-selisih-rekonsiliasi.csv",
     "Selisih tagihan BPJS dengan data Pemda dan penyelesaiannya.",
     ["Bulan", "Selisih", "NIK", "KPJ", "Nama", "Menurut BPJS (Rp)", "Menurut Pemda (Rp)",
      "Penyelesaian", "Catatan", "Oleh", "Pada"],
     "differences"),
    ("07-tidak-memenuhi-syarat.csv",
     "Calon yang dinyatakan tidak memenuhi syarat dan alasannya.",
     ["Verifikasi", "Instansi", "NIK", "Nama", "Hasil", "Alasan"],
     "ineligible"),
    ("08-kepesertaan-berakhir.csv",
     "Kepesertaan yang berakhir dalam periode dan alasannya.",
     ["NIK", "Nama", "Instansi", "Mulai (TMT)", "Berakhir", "Alasan", "Alasan BPJS"],
     "ended"),
    ("09-ditolak-bpjs.csv",
     "Calon yang pendaftarannya ditolak BPJS (dari berkas hasil BPJS) dan alasannya.",
     ["Berkas diterima", "Nama berkas", "Baris", "NIK", "Nama", "Alasan"],
     "rejected"),
    ("10-daftar-tunggu.csv",
     "Calon layak yang tidak dialokasikan dalam usulan periode ini dan alasannya.",
     ["Usulan", "Peringkat", "NIK", "Nama", "Instansi", "Alasan"],
     "waiting"),
]  # fmt: skip


def _readme(pack: EvidencePack, counts: dict[str, int]) -> str:
    lines = [
        "PAKET BUKTI AUDIT — LINDUNG",
        f"Program: {pack.program.name} ({pack.program.code})",
        f"Periode: {_day(pack.period_start)} s.d. {_day(pack.period_end)}",
        f"Dibuat: {_day(timezone.now())} atas permintaan {_who(pack.requested_by)}",
        "NIK: " + ("lengkap" if pack.full_nik else "disamarkan (4 digit awal dan akhir)"),
        "",
        "Isi paket (file CSV, pemisah titik koma, UTF-8):",
    ]
    for name, about, _headers, _rows in FILES:
        lines.append(f"- {name} ({counts.get(name, 0)} baris): {about}")
    return "\n".join(lines) + "\n"


def evidence_pack_folder() -> Path:
    return Path(settings.UPLOAD_DIR) / "paket-bukti"


def evidence_pack_path(pack: EvidencePack) -> Path:
    return evidence_pack_folder() / pack.stored_name


def evidence_pack_request(
    *, actor: Actor, program: Program, period_start: dt.date, period_end: dt.date
) -> EvidencePack:
    """Queue the evidence pack of `program` for the period; audited."""
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or not actor.has_role(*PACK_READERS)
        or program.pemda_id != actor.pemda_id
    ):
        raise ServiceError(_("Anda tidak berhak meminta paket bukti audit."))
    if period_end < period_start:
        raise ServiceError(_("Tanggal akhir periode harus sesudah tanggal awalnya."))
    with transaction.atomic():
        pack = EvidencePack.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            period_start=period_start,
            period_end=period_end,
            requested_by=actor,
            full_nik=sees_full_nik(actor),
        )
        audit_record(
            actor=actor,
            action="evidence_pack.requested",
            obj=program,
            changes={"pack": pack.pk, "from": period_start.isoformat(),
                     "to": period_end.isoformat(), "full_nik": pack.full_nik},
        )  # fmt: skip
        enqueue_on_commit(run_evidence_pack, pack.pk)
    return pack


def evidence_pack_run(*, pack_id: int) -> EvidencePack:
    """Write the pack's zip to a temporary name, then rename it: complete or absent."""
    pack = EvidencePack.objects.select_related("program", "requested_by").get(pk=pack_id)
    if pack.status == JobStatus.DONE:
        return pack
    job_started(pack)
    pack.stored_name = f"{uuid.uuid4().hex}.zip"
    path = evidence_pack_path(pack)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    contents = _Pack(pack)
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for i, (name, _about, headers, method) in enumerate(FILES):
                data, counts[name] = _csv(headers, getattr(contents, method)())
                archive.writestr(name, data)
                job_beat(pack, progress=5 + 90 * (i + 1) // len(FILES))
            archive.writestr("README.txt", _readme(pack, counts).encode("utf-8"))
        os.replace(part, path)
    except Exception:
        part.unlink(missing_ok=True)
        job_failed(
            pack,
            _("Paket bukti gagal dibuat. Coba buat ulang; bila berulang, hubungi Admin Disnaker."),
        )
        raise
    EvidencePack.objects.filter(pk=pack.pk).update(
        status=JobStatus.DONE, progress=100, stored_name=pack.stored_name, files=counts,
        finished_at=timezone.now(),
    )  # fmt: skip
    pack.refresh_from_db()
    return pack


def evidence_packs(*, user: User) -> QuerySet[EvidencePack]:
    """The packs of the user's Pemda (leaders and admins read them all), newest first."""
    if not user.has_role(*PACK_READERS):
        return EvidencePack.objects.none()
    return scope_to_pemda(EvidencePack.objects.select_related("program", "requested_by"), user)


def evidence_pack_open(*, actor: User, pack: EvidencePack) -> IO[bytes] | None:
    """The finished zip, opened for `actor`, each download audited; None while not ready.
    A pack with full NIKs opens only for someone who may see them in full."""
    path = evidence_pack_path(pack)
    if pack.status != JobStatus.DONE or not pack.stored_name or not path.is_file():
        return None
    if pack.full_nik and not sees_full_nik(actor):
        raise ServiceError(_("Paket ini berisi NIK lengkap; Anda tidak berhak mengunduhnya."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="evidence_pack.downloaded",
            obj=pack.program,
            changes={"pack": pack.pk, "full_nik": pack.full_nik, "files": pack.files},
        )
    return path.open("rb")


@task()
def run_evidence_pack(pack_id: int) -> None:
    """The worker's entry for an evidence pack."""
    with bound(RequestContext(request_id=new_request_id(), channel="task")):
        evidence_pack_run(pack_id=pack_id)

"""The subject-access report (UU PDP 27/2022 Pasal 7 and Pasal 32; goal S13): everything the
admin's Pemda holds on one person, found by NIK, and the trail of who saw or changed it.

The report is a list of sections, each a title, column names and rows of text, so the page,
the PDF and the xlsx are drawn from one reading. Scoped to the admin's Pemda."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import Pemda, User
from lindung.audit.models import AuditEvent
from lindung.audit.presentation import action_phrase, change_lines
from lindung.billing.models import BillLine
from lindung.claims.models import Claim, Heir
from lindung.enrollment.models import BpjsExportLine, BpjsImportLine
from lindung.intake.models import Submission, SubmissionRow
from lindung.register.models import RegisterRecord
from lindung.verification.models import RowVerdict
from lindung.workers.models import Enrolment, Restriction, Worker

Cell = str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def labelled_rows(self) -> list[list[tuple[str, Cell]]]:
        """Each row as (column, cell) pairs, for the phone's cards (`data-label`)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class SubjectReport:
    nik: str
    pemda: Pemda
    made_at: datetime
    sections: list[Section]

    @property
    def found(self) -> bool:
        """Whether anything but the audit trail holds the person."""
        return any(s.rows for s in self.sections if s.key != "audit")

    def counts(self) -> dict[str, int]:
        return {s.key: len(s.rows) for s in self.sections}


def _d(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _t(value: datetime | None) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "d-m-Y H:i")


def _rp(value: int | None) -> str:
    return "" if value is None else f"Rp {value:,}".replace(",", ".")


def _joined(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def _worker(user: User, nik: str) -> tuple[Section, Worker | None]:
    worker = (
        scope_to_pemda(Worker.objects.filter(nik=nik), user)
        .select_related("village", "occupation", "agency")
        .first()
    )
    section = Section("worker", _("Data pekerja"), [_("Data"), _("Isi")])
    if worker is not None:
        section.rows.extend(
            [
                [_("NIK"), worker.nik],
                [_("Nama"), worker.name],
                [_("Tempat, tanggal lahir"), _joined(worker.birth_place, _d(worker.birth_date))],
                [_("Jenis kelamin"), worker.get_sex_display()],
                [
                    _("Alamat"),
                    _joined(
                        worker.address,
                        f"RT {worker.rt}" if worker.rt else "",
                        f"RW {worker.rw}" if worker.rw else "",
                    ),
                ],
                [_("Desa/kelurahan"), worker.village.name if worker.village else ""],
                [_("Pekerjaan"), worker.occupation.name if worker.occupation else ""],
                [_("Nomor HP"), worker.phone],
                [_("Instansi pengusul"), worker.agency.name if worker.agency else ""],
                [_("Tanggal meninggal"), _d(worker.died_on)],
                [_("Dicatat"), _t(worker.created_at)],
            ]
        )
    return section, worker


def _rows(user: User, nik: str) -> tuple[Section, list[int], set[int]]:
    rows = list(
        scope_to_pemda(SubmissionRow.objects.filter(nik=nik), user)
        .select_related("submission__file", "agency")
        .order_by("submission__created_at", "pk")
    )
    section = Section(
        "rows",
        _("Baris daftar usulan instansi"),
        [_("Usulan"), _("Instansi"), _("File / sumber"), _("Lembar, baris"), _("Nama"),
         _("Hasil"), _("Alasan"), _("Diterima")],
    )  # fmt: skip
    for row in rows:
        submission = row.submission
        source = (
            submission.file.original_name if submission.file else submission.get_source_display()
        )
        section.rows.append(
            [f"#{submission.pk}", row.agency.name, source, f"{row.sheet} {row.row_number}".strip(),
             row.name, row.get_outcome_display(), row.reasons, _t(submission.created_at)]
        )  # fmt: skip
    return section, [r.pk for r in rows], {r.submission_id for r in rows}


def _verdicts(user: User, row_ids: list[int]) -> tuple[Section, list[int]]:
    verdicts = list(
        scope_to_pemda(RowVerdict.objects.filter(row_id__in=row_ids), user)
        .select_related("run__program", "run__snapshot")
        .order_by("run_id", "row_id")
    )
    section = Section(
        "verdicts",
        _("Hasil verifikasi"),
        [_("Verifikasi"), _("Program"), _("Data DTKS/DTSEN"), _("Hasil"), _("Kesimpulan"),
         _("Temuan")],
    )  # fmt: skip
    for v in verdicts:
        findings = "; ".join(str(f.get("message", "")) for f in v.findings or [])
        snapshot = str(v.run.snapshot) if v.run.snapshot else ""
        section.rows.append(
            [f"#{v.run_id} ({_t(v.run.created_at)})", v.run.program.name, snapshot,
             v.get_outcome_display(), v.get_verdict_display(), findings]
        )  # fmt: skip
    return section, [v.pk for v in verdicts]


def _register(user: User, nik: str) -> Section:
    records = (
        scope_to_pemda(RegisterRecord.objects.filter(nik=nik), user)
        .select_related("snapshot")
        .order_by("snapshot__as_of", "pk")
    )
    section = Section(
        "register",
        _("Data kesejahteraan (DTKS/DTSEN/P3KE)"),
        [_("Salinan"), _("ID register"), _("Nama"), _("Desil"), _("Meninggal")],
    )
    for r in records:
        section.rows.append(
            [str(r.snapshot), r.register_id, r.name, "" if r.desil is None else str(r.desil),
             _("ya") if r.deceased else ""]
        )  # fmt: skip
    return section


def _enrolments(user: User, worker: Worker | None) -> tuple[Section, list[Enrolment]]:
    enrolments: list[Enrolment] = []
    if worker is not None:
        enrolments = list(
            scope_to_pemda(Enrolment.objects.filter(worker=worker), user)
            .select_related("program", "agency", "funding_source")
            .order_by("program__year", "pk")
        )
    section = Section(
        "enrolments",
        _("Kepesertaan BPJS Ketenagakerjaan"),
        [_("Program"), _("Instansi"), _("Status"), _("Bulan pertama iuran"), _("TMT"),
         _("Berakhir"), _("Alasan"), _("KPJ"), _("Sumber dana")],
    )  # fmt: skip
    for e in enrolments:
        section.rows.append(
            [e.program.name, e.agency.name if e.agency else "", e.get_status_display(),
             _d(e.start_month), _d(e.started_on), _d(e.ended_on),
             e.get_end_reason_display() or e.bpjs_reason, e.kpj,
             e.funding_source.name if e.funding_source else ""]
        )  # fmt: skip
    return section, enrolments


def _bpjs(user: User, nik: str, enrolment_ids: list[int]) -> Section:
    section = Section(
        "bpjs",
        _("Berkas pertukaran dengan BPJS"),
        [_("Berkas"), _("Tanggal"), _("Baris"), _("Hasil"), _("Keterangan")],
    )
    for line in (
        BpjsExportLine.objects.filter(enrolment_id__in=enrolment_ids)
        .select_related("export")
        .order_by("export__created_at")
    ):
        section.rows.append(
            [_("Pendaftaran BPJS #%(n)s") % {"n": line.export_id}, _t(line.export.created_at),
             "", _("dikirim"), ""]
        )  # fmt: skip
    for imported in (
        scope_to_pemda(BpjsImportLine.objects.filter(nik=nik), user)
        .select_related("source")
        .order_by("source__created_at", "row_number")
    ):
        section.rows.append(
            [imported.source.original_name, _t(imported.source.created_at),
             f"{imported.sheet} {imported.row_number}".strip(), imported.get_outcome_display(),
             imported.reason or imported.message]
        )  # fmt: skip
    return section


def _bills(user: User, enrolment_ids: list[int]) -> Section:
    section = Section(
        "bills",
        _("Tagihan iuran"),
        [_("Bulan"), _("Sumber dana"), _("JKK"), _("JKM"), _("JHT"), _("Iuran")],
    )
    lines = (
        scope_to_pemda(BillLine.objects.filter(enrolment_id__in=enrolment_ids), user)
        .select_related("bill__funding_source")
        .order_by("bill__month", "pk")
    )
    for line in lines:
        section.rows.append(
            [line.bill.month.strftime("%m-%Y"), line.bill.funding_source.name, _rp(line.jkk),
             _rp(line.jkm), _rp(line.jht), _rp(line.amount)]
        )  # fmt: skip
    return section


def _claims(user: User, nik: str, enrolment_ids: list[int]) -> tuple[Section, list[int]]:
    claims = list(
        scope_to_pemda(Claim.objects.filter(enrolment_id__in=enrolment_ids), user).order_by(
            "incident_on", "pk"
        )
    )
    section = Section(
        "claims",
        _("Klaim JKK/JKM"),
        [_("Klaim"), _("Jenis"), _("Tanggal kejadian"), _("Status"), _("Hak manfaat"),
         _("Dibayar")],
    )  # fmt: skip
    for c in claims:
        section.rows.append(
            [f"#{c.pk}", c.get_kind_display(), _d(c.incident_on), c.get_status_display(),
             _rp(c.total), _rp(c.paid_amount)]
        )  # fmt: skip
    heirs = scope_to_pemda(Heir.objects.filter(nik=nik), user, field="claim__pemda")
    for heir in heirs.select_related("claim"):
        section.rows.append(
            [f"#{heir.claim_id}", _("sebagai ahli waris (%(rel)s)")
             % {"rel": heir.get_relationship_display()}, _d(heir.claim.incident_on),
             heir.claim.get_status_display(), "", ""]
        )  # fmt: skip
    return section, [c.pk for c in claims]


def _restrictions(user: User, nik: str) -> tuple[Section, list[int]]:
    restrictions = list(scope_to_pemda(Restriction.objects.filter(nik=nik), user))
    section = Section(
        "restrictions",
        _("Pembatasan pemrosesan"),
        [_("Dibatasi"), _("Alasan"), _("Dicabut"), _("Alasan pencabutan")],
    )
    for r in restrictions:
        section.rows.append([_t(r.placed_at), r.reason, _t(r.lifted_at), r.lift_reason])
    return section, [r.pk for r in restrictions]


def _objects(model: type[Model], ids: Iterable[int]) -> Q:
    return Q(object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids])


def _audit(user: User, about: Q) -> Section:
    section = Section(
        "audit",
        _("Jejak pemrosesan (siapa melihat atau mengubah)"),
        [_("Waktu"), _("Pelaku"), _("Peristiwa"), _("Rincian"), _("Saluran")],
    )
    events = scope_to_pemda(AuditEvent.objects.filter(about), user).order_by("created_at", "pk")
    for event in events:
        section.rows.append(
            [_t(event.created_at), event.actor_label, action_phrase(event.action),
             "; ".join(f"{line.label}: {line.text}"
                       for line in change_lines(event.action, event.changes or {})),
             event.channel]
        )  # fmt: skip
    return section


def subject_report(*, user: User, nik: str) -> SubjectReport:
    """Everything the user's Pemda holds on the person with `nik` (read only; the caller
    audits the report, `documents.subject_report_download`)."""
    worker_section, worker = _worker(user, nik)
    rows_section, row_ids, submission_ids = _rows(user, nik)
    verdict_section, verdict_ids = _verdicts(user, row_ids)
    enrolment_section, enrolments = _enrolments(user, worker)
    enrolment_ids = [e.pk for e in enrolments]
    claims_section, claim_ids = _claims(user, nik, enrolment_ids)
    restriction_section, restriction_ids = _restrictions(user, nik)
    about = (
        _objects(SubmissionRow, row_ids)
        # The lists the person was handed in on: who read them, downloaded or changed them.
        | _objects(Submission, submission_ids)
        | _objects(RowVerdict, verdict_ids)
        | _objects(Enrolment, enrolment_ids)
        | _objects(Claim, claim_ids)
        | _objects(Restriction, restriction_ids)
    )
    if worker is not None:
        about |= _objects(Worker, [worker.pk])
    sections = [
        worker_section,
        rows_section,
        verdict_section,
        _register(user, nik),
        enrolment_section,
        _bpjs(user, nik, enrolment_ids),
        _bills(user, enrolment_ids),
        claims_section,
        restriction_section,
        _audit(user, about),
    ]
    pemda = Pemda.objects.get(pk=user.pemda_id or 0)
    return SubjectReport(nik=nik, pemda=pemda, made_at=timezone.now(), sections=sections)

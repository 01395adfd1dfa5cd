"""Enrollment's own tables: allocation proposals with their ranked lines (allocated or
waiting, and why), the registration files sent to BPJS, the BPJS files read back (results
and the existing roster) row by row, and the public status check's request counts.

A person's standing in a program is `workers.Enrolment` (its statuses and end); these tables
hold how they got there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob


class AllocationKind(models.TextChoices):
    ALLOCATION = "allocation", _("Alokasi")
    REFILL = "refill", _("Pengisian slot kosong")


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    RETURNED = "returned", _("Dikembalikan")
    WITHDRAWN = "withdrawn", _("Ditarik")


class Allocation(models.Model):
    """A verifier's proposal: eligible candidates ranked and fitted within quota and budget
    from a start month to the end of the program year. The Kepala Dinas approves it (the
    allocated lines become enrolments) or returns it with a note."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="allocations"
    )
    kind = models.CharField(
        _("jenis"), max_length=10, choices=AllocationKind.choices, default=AllocationKind.ALLOCATION
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.PROPOSED,
    )
    run = models.ForeignKey(
        "verification.VerificationRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    start_month = models.DateField(_("bulan mulai"))
    months = models.PositiveSmallIntegerField(_("jumlah bulan"))
    benefits = models.JSONField(_("program jaminan"), default=list)
    monthly_premium = models.PositiveIntegerField(_("iuran per orang per bulan (Rp)"))
    quota_free = models.PositiveIntegerField(_("kuota tersisa"))
    budget_available = models.BigIntegerField(_("anggaran belum terikat (Rp)"))
    allocated = models.PositiveIntegerField(_("dialokasikan"), default=0)
    waiting = models.PositiveIntegerField(_("daftar tunggu"), default=0)
    cost = models.PositiveBigIntegerField(_("biaya (Rp)"), default=0)
    summary = models.JSONField(default=dict, blank=True)  # per agency / source / reason
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["program", "status"], name="allocation_program_status")]
        verbose_name = _("alokasi")
        verbose_name_plural = _("alokasi")

    def __str__(self) -> str:
        return f"Alokasi #{self.pk}"


class LineOutcome(models.TextChoices):
    ALLOCATED = "allocated", _("Dialokasikan")
    WAITING = "waiting", _("Daftar tunggu")


class WaitReason(models.TextChoices):
    QUOTA_PROGRAM = "quota_program", _("Kuota program penuh")
    QUOTA_AGENCY = "quota_agency", _("Kuota instansi penuh")
    QUOTA_AREA = "quota_area", _("Kuota wilayah penuh")
    BUDGET = "budget", _("Anggaran tidak cukup")
    NO_FUNDING = "no_funding", _("Belum ada sumber dana")


class AllocationLine(models.Model):
    """One candidate of a proposal in rank order: allocated (with the funding source that
    pays) or waiting (with the reason). The person's details are kept as ranked."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    rank = models.PositiveIntegerField(_("peringkat"))
    row = models.ForeignKey(
        "intake.SubmissionRow", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=200)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    occupation = models.ForeignKey(
        "programs.Occupation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    funding_source = models.ForeignKey(
        "programs.FundingSource", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    renewal = models.BooleanField(default=False)
    desil = models.PositiveSmallIntegerField(null=True, blank=True)
    risk = models.CharField(max_length=10, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=LineOutcome.choices)
    wait_reason = models.CharField(
        _("alasan menunggu"), max_length=16, choices=WaitReason.choices, blank=True
    )
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="allocation_lines", db_index=False,
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["allocation", "rank"], name="allocation_line_rank"),
        ]
        indexes = [
            models.Index(fields=["allocation", "outcome", "rank"], name="allocation_line_outcome"),
            models.Index(fields=["enrolment"], name="allocation_line_enrolment"),
            models.Index(fields=["row"], name="allocation_line_row"),
        ]
        verbose_name = _("baris alokasi")
        verbose_name_plural = _("baris alokasi")

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "xlsx"
    CSV = "csv", "csv"


class BpjsExport(models.Model):
    """A collective registration file made for BPJS: the approved people it carried move to
    `sent`."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="bpjs_exports"
    )
    file_format = models.CharField(max_length=4, choices=FileFormat.choices)
    count = models.PositiveIntegerField(_("jumlah orang"))
    stored_name = models.CharField(max_length=120, blank=True)
    # None when made by a command without --user (the audit event names the system actor).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("berkas pendaftaran BPJS")
        verbose_name_plural = _("berkas pendaftaran BPJS")

    def __str__(self) -> str:
        return f"Pendaftaran BPJS #{self.pk}"


class BpjsExportLine(models.Model):
    export = models.ForeignKey(
        BpjsExport, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "enrolment"], name="bpjs_export_line_once"),
        ]
        indexes = [models.Index(fields=["enrolment"], name="bpjs_export_line_enrolment")]

    def __str__(self) -> str:
        return f"{self.export_id}: {self.enrolment_id}"


class BpjsImportKind(models.TextChoices):
    RESULT = "result", _("Hasil pendaftaran BPJS")
    ROSTER = "roster", _("Daftar peserta BPJS yang sudah ada")


class BpjsImport(BackgroundJob):
    """A file read back from BPJS: the registration results, or the roster of participants
    a Pemda already had when it adopted Lindung. Every row is kept with its outcome."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="bpjs_imports"
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=BpjsImportKind.choices)
    original_name = models.CharField(_("nama file"), max_length=255)
    stored_name = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    layout = models.JSONField(default=dict, blank=True)  # sheet, header row, columns
    counts = models.JSONField(default=dict, blank=True)  # outcome -> rows
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("berkas dari BPJS")
        verbose_name_plural = _("berkas dari BPJS")

    def __str__(self) -> str:
        return self.original_name


class ImportLineOutcome(models.TextChoices):
    ACTIVATED = "activated", _("Diaktifkan")
    REJECTED = "rejected", _("Ditolak BPJS")
    UNCHANGED = "unchanged", _("Sudah tercatat, tidak berubah")
    UNMATCHED = "unmatched", _("NIK tidak pernah dikirim")
    IMPORTED = "imported", _("Diimpor sebagai peserta")
    PROBLEM = "problem", _("Bermasalah, tidak diproses")
    IGNORED = "ignored", _("Baris kosong atau jumlah")


class BpjsImportLine(models.Model):
    """One row of a BPJS file, as it came, with what it did."""

    source = models.ForeignKey(
        BpjsImport, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sheet = models.CharField(max_length=100, blank=True)
    row_number = models.PositiveIntegerField()
    raw = models.JSONField(default=list)
    nik = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200, blank=True)
    kpj = models.CharField(max_length=20, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    status_text = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    funding_code = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=10, choices=ImportLineOutcome.choices)
    message = models.CharField(max_length=255, blank=True)
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="bpjs_lines", db_index=False,
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "sheet", "row_number"], name="bpjs_import_line_once"
            ),
        ]
        indexes = [
            models.Index(fields=["source", "outcome"], name="bpjs_import_line_outcome"),
            models.Index(fields=["enrolment"], name="bpjs_import_line_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.sheet} {self.row_number}"


class PublicCheckHit(models.Model):
    """Requests to the public status check per client address and minute, for its limits
    (20 a minute, 100 a day), and how many of them found nothing (a picture CAPTCHA after 5
    misses a day; the breaker on unusual misses of all clients together). Old rows are pruned
    as new ones come."""

    client = models.CharField(max_length=64)
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "minute"], name="public_check_hit_once"),
        ]
        indexes = [models.Index(fields=["minute"], name="public_check_hit_minute")]

    def __str__(self) -> str:
        return f"{self.client} {self.minute:%Y-%m-%d %H:%M}: {self.count}"

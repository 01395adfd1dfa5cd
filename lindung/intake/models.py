from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob


class UploadedFile(models.Model):
    """A file an agency handed in, stored under a server-generated name. The same content
    (SHA-256) for the same program and agency is stored once."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("nama file"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"))
    kind = models.CharField(_("jenis"), max_length=4)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "agency", "sha256"], name="uploaded_file_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diserahkan")
    IN_VERIFICATION = "in_verification", _("Dalam verifikasi")


class SubmissionSource(models.TextChoices):
    UPLOAD = "upload", _("Unggah file")
    ENTRY = "entry", _("Input langsung")
    RENEWAL = "renewal", _("Perpanjangan peserta tahun lalu")


class Submission(models.Model):
    """One uploaded list, or one batch of workers typed in one by one."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="submissions"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="submissions"
    )
    source = models.CharField(_("sumber"), max_length=10, choices=SubmissionSource.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    file = models.OneToOneField(
        UploadedFile, on_delete=models.PROTECT, null=True, blank=True, related_name="submission"
    )
    # For each sheet read: its name, header row (1-based) and header texts; and the
    # field → column mapping used, so every stored row can be read back as it came.
    layout = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    accepted_with_warnings = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    ignored = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pemda", "program", "agency"])]
        constraints = [
            # One open walk-in batch per agency and program: entries are appended to it.
            models.UniqueConstraint(
                fields=["program", "agency"],
                condition=models.Q(source="entry", status="draft"),
                name="one_open_entry_batch",
            )
        ]
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")

    def __str__(self) -> str:
        if self.file_id is not None and self.file is not None:
            return f"#{self.pk} {self.file.original_name}"
        return f"#{self.pk} {self.get_source_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status == SubmissionStatus.DRAFT


class RowOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Diterima")
    ACCEPTED_WITH_WARNINGS = "accepted_with_warnings", _("Diterima dengan catatan")
    REJECTED = "rejected", _("Ditolak")
    IGNORED = "ignored", _("Diabaikan (baris kosong/jumlah)")


class SubmissionRow(models.Model):
    """One row exactly as it came (`raw`), its normalised values and its outcome."""

    # Secondary indexes cost on every one of 100.000 inserted rows: the FKs below are covered
    # by the composite indexes in Meta, or point at reference rows that are never deleted.
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="rows", db_index=False
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    sheet = models.CharField(_("lembar"), max_length=100, blank=True)
    row_number = models.PositiveIntegerField(_("baris"))
    raw = models.JSONField(default=list)
    nik = models.CharField(_("NIK"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    occupation = models.ForeignKey(
        "programs.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True)
    income = models.PositiveIntegerField(_("penghasilan"), null=True, blank=True)
    kk = models.CharField(_("nomor KK"), max_length=40, blank=True)
    outcome = models.CharField(_("hasil"), max_length=25, choices=RowOutcome.choices)
    issues = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "sheet", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "sheet", "row_number"], name="row_once_per_submission"
            )
        ]
        indexes = [
            models.Index(fields=["submission", "outcome"]),
            models.Index(fields=["pemda", "nik"]),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} baris {self.row_number}".strip()

    @property
    def reasons(self) -> str:
        return "; ".join(issue["message"] for issue in self.issues)


class RowRevision(models.Model):
    """The history of a row: every earlier state, kept when a row is corrected."""

    row = models.ForeignKey(SubmissionRow, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveIntegerField()
    raw = models.JSONField(default=list)
    values = models.JSONField(default=dict)
    outcome = models.CharField(max_length=25, choices=RowOutcome.choices)
    issues = models.JSONField(default=list)
    source = models.CharField(max_length=20)  # upload, edit, reupload
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["row", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["row", "revision"], name="row_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.row} revisi {self.revision}"


class ColumnMapping(models.Model):
    """A column mapping an agency confirmed once, reused when the same layout comes again."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    signature = models.CharField(max_length=64)
    columns = models.JSONField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "signature"], name="mapping_once_per_layout")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.signature[:8]}"


class ImportJob(BackgroundJob):
    """Reading, checking and storing one file in the background. Its rows are written in one
    transaction at the end, so a job killed halfway leaves nothing and can be run again."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(UploadedFile, on_delete=models.PROTECT, related_name="jobs")
    # A corrected file replacing the rejected rows of this submission, or None for a new one.
    target = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    options = models.JSONField(default=dict)  # sheets, columns per sheet, draft
    phase = models.CharField(max_length=60, blank=True)
    result = models.JSONField(default=dict, blank=True)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"proses #{self.pk} {self.get_status_display()}"


class FeedbackExport(BackgroundJob):
    """The feedback file of a large submission, written in the background for the user who
    asked (verification notes are shown as that user may see them) and kept under the upload
    directory with a server-generated name; served only to that user."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="feedback_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stored_name = models.CharField(max_length=80, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"umpan balik #{self.pk} usulan #{self.submission_id}"

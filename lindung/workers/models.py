from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Worker(models.Model):
    """A person, identified by NIK within a Pemda."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    occupation = models.ForeignKey(
        "programs.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jenis pekerjaan"),
    )
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True)
    died_on = models.DateField(
        _("tanggal meninggal"),
        null=True,
        blank=True,
        help_text=_("Diisi bila pekerja diketahui meninggal dunia (laporan klaim atau Dukcapil)."),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi pengusul"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "nik"], name="worker_nik_unique_in_pemda"),
        ]
        indexes = [
            models.Index(fields=["pemda", "agency"]),
            # The participants register searches names by prefix, case-insensitively, as a
            # range on this expression (both engines use it; LIKE would not on SQLite).
            models.Index(Upper("name"), name="worker_name_upper"),
        ]
        verbose_name = _("pekerja")
        verbose_name_plural = _("pekerja")

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    """Where a person stands in a program: approved by the Kepala Dinas, sent to BPJS in a
    registration file, active with a KPJ number, ended; or rejected by BPJS (back to review)."""

    APPROVED = "approved", _("Disetujui")
    SENT = "sent", _("Dikirim ke BPJS")
    ACTIVE = "active", _("Aktif")
    ENDED = "ended", _("Berakhir")
    REJECTED = "rejected", _("Ditolak BPJS")


# The statuses that hold a slot of the quota and money of the budget.
HOLDS_SLOT = (EnrolmentStatus.APPROVED, EnrolmentStatus.SENT, EnrolmentStatus.ACTIVE)


class EndReason(models.TextChoices):
    DECEASED = "deceased", _("Meninggal dunia")
    MOVED = "moved", _("Pindah domisili")
    WAGE_EARNER = "wage_earner", _("Menjadi pekerja penerima upah")
    CIVIL_SERVANT = "civil_servant", _("Menjadi ASN/TNI/Polri")
    OVER_AGE = "over_age", _("Melewati batas usia")
    LAPSED = "lapsed", _("Iuran menunggak lebih dari 3 bulan")
    PROGRAM_ENDED = "program_ended", _("Program berakhir")
    ON_REQUEST = "on_request", _("Atas permintaan sendiri")
    OTHER = "other", _("Lainnya")


class Enrolment(models.Model):
    """A worker's participation in one program, from approval to its end: the record
    verification checks "already enrolled" and "last year's participant" against, that
    billing bills and claims check cover on. Its lifecycle is run by the enrollment app."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="enrolments"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="enrolments")
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi pengusul"),
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    funding_source = models.ForeignKey(
        "programs.FundingSource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("sumber dana"),
    )
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    # The first month the Pemda pays for (from the allocation); BPJS's effective date (TMT)
    # is `started_on`.
    start_month = models.DateField(_("bulan pertama iuran"), null=True, blank=True)
    started_on = models.DateField(_("mulai (TMT)"), null=True, blank=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)
    end_reason = models.CharField(
        _("alasan berakhir"), max_length=16, choices=EndReason.choices, blank=True
    )
    bpjs_reason = models.CharField(_("alasan BPJS"), max_length=255, blank=True)
    imported = models.BooleanField(_("diimpor dari daftar peserta BPJS"), default=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "worker"], name="enrolment_once_per_program"
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "program", "status"]),
            models.Index(fields=["program", "agency", "status"], name="enrolment_program_agency"),
            models.Index(
                fields=["program", "funding_source", "status"], name="enrolment_program_source"
            ),
            models.Index(fields=["program", "village"], name="enrolment_program_village"),
            # The budget's grouped read of the enrolments' dates (`capacity.span_rows`): from
            # the index alone, already in group order. Led by the source, not the program, so
            # the dashboard's scans of a program keep the program's own index.
            models.Index(
                fields=[
                    "funding_source",
                    "start_month",
                    "started_on",
                    "ended_on",
                    "status",
                    "program",
                ],
                name="enrolment_budget_spans",
            ),
            models.Index(fields=["pemda", "kpj"], name="enrolment_kpj"),
        ]
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.program_id}"


class Restriction(models.Model):
    """A person's data held back from further processing at their request (UU PDP 27/2022
    Pasal 11 and Pasal 41: restriction of processing): while it is in force (`lifted_at` is
    empty) their rows are not allocated, not renewed and not sent to BPJS. Keyed by NIK, so it
    holds before the person is a `Worker` too. Placed and lifted by the admin, both audited."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16)
    reason = models.CharField(_("alasan pembatasan"), max_length=255)
    placed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(_("alasan pencabutan"), max_length=255, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "nik"],
                condition=models.Q(lifted_at__isnull=True),
                name="restriction_once_in_force",
            )
        ]
        indexes = [models.Index(fields=["pemda", "nik"], name="restriction_pemda_nik")]
        verbose_name = _("pembatasan pemrosesan")
        verbose_name_plural = _("pembatasan pemrosesan")

    def __str__(self) -> str:
        return f"Pembatasan #{self.pk}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None

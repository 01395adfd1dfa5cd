from __future__ import annotations

from django.db import models
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
        indexes = [models.Index(fields=["pemda", "agency"])]
        verbose_name = _("pekerja")
        verbose_name_plural = _("pekerja")

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    ENDED = "ended", _("Berakhir")


class EndReason(models.TextChoices):
    DECEASED = "deceased", _("Meninggal dunia")
    MOVED = "moved", _("Pindah domisili")
    WAGE_EARNER = "wage_earner", _("Menjadi pekerja penerima upah")
    CIVIL_SERVANT = "civil_servant", _("Menjadi ASN/TNI/Polri")
    LAPSED = "lapsed", _("Iuran menunggak lebih dari 3 bulan")
    PROGRAM_ENDED = "program_ended", _("Program berakhir")
    OTHER = "other", _("Lainnya")


class Enrolment(models.Model):
    """A worker's participation in one program: the record verification checks "already
    enrolled" and "last year's participant" against, and later issues bill and claim on."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="enrolments"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="enrolments")
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    started_on = models.DateField(_("mulai"), null=True, blank=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)
    end_reason = models.CharField(
        _("alasan berakhir"), max_length=16, choices=EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "worker"], name="enrolment_once_per_program"
            ),
        ]
        indexes = [models.Index(fields=["pemda", "program", "status"])]
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.program_id}"

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

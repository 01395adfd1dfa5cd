"""The welfare register (DTKS, DTSEN, P3KE): each load is a dated, immutable snapshot of the
register as the Pemda received it; earlier snapshots are kept for comparison.

The tables keep the names they had when the register lived in the verification app
(`verification_registersnapshot`, ...): the models moved, the data did not."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob

# Dates as people read them on pages and in prose (6 Desember 2026); tables keep dd-mm-yyyy.
LONG_DATE = "j F Y"


class RegisterSource(models.TextChoices):
    DTKS = "dtks", "DTKS"
    DTSEN = "dtsen", "DTSEN"
    P3KE = "p3ke", "P3KE"


class RegionCodeStyle(models.TextChoices):
    KEMENDAGRI = "kemendagri", _("kode Kemendagri")
    BPS = "bps", _("kode BPS")
    NAMES = "names", _("nama wilayah")


class RegisterSnapshot(models.Model):
    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("sumber"), max_length=8, choices=RegisterSource.choices)
    as_of = models.DateField(_("keadaan per"))
    file_name = models.CharField(_("nama file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    region_code_style = models.CharField(
        _("bentuk kode wilayah"),
        max_length=12,
        choices=RegionCodeStyle.choices,
        default=RegionCodeStyle.NAMES,
    )
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "verification_registersnapshot"
        ordering = ["-as_of", "-pk"]
        verbose_name = _("salinan data kesejahteraan")
        verbose_name_plural = _("salinan data kesejahteraan")

    def __str__(self) -> str:
        return f"{self.get_source_display()} per {date_format(self.as_of, LONG_DATE)}"


class RegisterRecord(models.Model):
    """One person as the register lists them: cleaned values next to the row as it came."""

    snapshot = models.ForeignKey(
        RegisterSnapshot, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    # The pemda and region references are not database constraints: a million-row COPY on
    # PostgreSQL spent 18 s of its 37 s checking them at commit. The loader writes only
    # the snapshot's own Pemda and codes it resolved from the regions table; the snapshot
    # reference stays a real constraint (docs/benchmarks.md, register load).
    pemda = models.ForeignKey(
        "accounts.Pemda",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    register_id = models.CharField(_("ID register"), max_length=64, blank=True)
    nik = models.CharField("NIK", max_length=32, blank=True)
    kk = models.CharField(_("nomor KK"), max_length=32, blank=True)
    name = models.TextField(_("nama"), blank=True)
    birth_place = models.TextField(_("tempat lahir"), blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    rt = models.CharField("RT", max_length=8, blank=True)
    rw = models.CharField("RW", max_length=8, blank=True)
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    desil = models.PositiveSmallIntegerField(null=True, blank=True)
    occupation = models.TextField(_("pekerjaan"), blank=True)
    raw = models.JSONField(default=list)
    issues = models.JSONField(default=list)
    # The register's status column says the person died ("MENINGGAL", "WAFAT", "MD").
    deceased = models.BooleanField(_("meninggal menurut register"), default=False, db_default=False)

    class Meta:
        db_table = "verification_registerrecord"
        indexes = [
            models.Index(fields=["snapshot", "nik"], name="verif_record_snap_nik"),
            models.Index(fields=["snapshot", "register_id"], name="verif_record_snap_regid"),
            models.Index(fields=["snapshot", "birth_date", "sex"], name="verif_record_snap_bd_sex"),
        ]
        verbose_name = _("baris data kesejahteraan")
        verbose_name_plural = _("baris data kesejahteraan")

    def __str__(self) -> str:
        return f"{self.nik or '-'} {self.name}"


class RegisterLoadJob(BackgroundJob):
    """A register extract uploaded on the web, loaded by the background worker: registers
    run to millions of rows, too many to load inside a request. The snapshot is written in
    one transaction, so a failed job leaves nothing behind and can be run again. The stored
    file is deleted once its snapshot is loaded (the rows keep their cells as they came)."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("nama file"), max_length=255)
    stored_path = models.CharField(max_length=255)  # under settings.UPLOAD_DIR, our own name
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("sumber"), max_length=8, choices=RegisterSource.choices)
    as_of = models.DateField(_("keadaan per"))
    region_code_style = models.CharField(
        _("bentuk kode wilayah"), max_length=12, choices=RegionCodeStyle.choices
    )
    snapshot = models.ForeignKey(
        RegisterSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "verification_registerloadjob"
        ordering = ["-pk"]
        verbose_name = _("pemuatan data kesejahteraan")
        verbose_name_plural = _("pemuatan data kesejahteraan")

    def __str__(self) -> str:
        return f"Pemuatan {self.file_name} ({self.get_status_display()})"

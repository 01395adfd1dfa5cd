"""Monitoring's tables: the workforce denominators per region and year (from the statistics
offices' tables) and the Pemda's coverage target and province figure per year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob


class Workforce(models.Model):
    """The working population of one district or village in one year, as a statistics office
    published it (BPS, Sakernas, Dukcapil): the denominator of the coverage rate. A second
    load for the same Pemda and year replaces all of that year's rows."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    working = models.PositiveIntegerField(_("penduduk bekerja"))
    bpu = models.PositiveIntegerField(_("pekerja bukan penerima upah"), null=True, blank=True)
    source = models.CharField(_("sumber data"), max_length=255)
    filename = models.CharField(_("nama file"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("dimuat pada"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimuat oleh"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "year", "region"], name="workforce_once_per_region_year"
            ),
        ]
        ordering = ["pemda", "year", "region"]
        verbose_name = _("jumlah pekerja")
        verbose_name_plural = _("jumlah pekerja")

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.working}"


class CoverageTarget(models.Model):
    """The Pemda's coverage target for a year (percent of the working population, RPJMD or
    Perbup) and the province's rate it is compared with, with where that figure comes from."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    target_rate = models.DecimalField(
        _("target cakupan (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    province_rate = models.DecimalField(
        _("cakupan provinsi (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("sumber angka"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pemda", "year"], name="coverage_target_once_a_year"),
        ]
        verbose_name = _("target cakupan")
        verbose_name_plural = _("target cakupan")

    def __str__(self) -> str:
        return f"{self.pemda_id} {self.year}: {self.target_rate}"


class EvidencePack(BackgroundJob):
    """The audit evidence pack of one period for BPK / Inspektorat: a zip written in the
    background (to a temporary name, renamed when complete, so a killed job leaves nothing)
    under the upload directory with a server-generated name; NIKs in it masked unless the
    person who asked may see them in full."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode sampai"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    full_nik = models.BooleanField(default=False)
    stored_name = models.CharField(max_length=80, blank=True)
    files = models.JSONField(default=dict, blank=True)  # file in the zip -> rows

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("paket bukti audit")
        verbose_name_plural = _("paket bukti audit")

    def __str__(self) -> str:
        return f"paket bukti #{self.pk} {self.period_start}–{self.period_end}"


class ParticipationChange(models.Model):
    """How many of a program's participants started (`starts`) and ended (`ends`) on `day`,
    per value (`key`) of one `dimension` — place (village), agency, funding source,
    occupation, sex, birth year, birth date — in one district (or `*`: the whole Pemda). The
    number active on a date is the starts up to it less the ends before it, a sum over a few
    thousand rows instead of a scan of every enrolment. Rebuilt from the enrolments by
    `monitoring.participation.participation_refresh`; `ParticipationStamp` says for which
    state of the data."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=10)
    district = models.CharField(max_length=16, blank=True)  # "*" = the whole Pemda
    key = models.CharField(max_length=20, blank=True)  # "" = unknown
    day = models.DateField()
    starts = models.IntegerField(default=0)
    ends = models.IntegerField(default=0)

    class Meta:
        # Covering (the sums read only the index) and in the order the reads filter on:
        # one dimension of one district (or of the whole Pemda) up to a day; one
        # dimension's keys (every village; a range of birth dates) up to a day.
        indexes = [
            models.Index(
                fields=["program", "district", "dimension", "day", "key", "starts", "ends"],
                name="participation_by_district",
            ),
            models.Index(
                fields=["program", "dimension", "key", "day", "starts", "ends"],
                name="participation_by_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.district} {self.key} {self.day}: {self.starts}/{self.ends}"


class ParticipationStamp(models.Model):
    """The state of the data (`monitoring.participation.fingerprint_of`) a program's
    `ParticipationChange` rows were built from: they are read only while it still holds."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    fingerprint = models.CharField(max_length=100)
    rows = models.PositiveIntegerField(default=0)
    # `enrollment.capacity.span_rows` of the same state (dates as ISO text): the budget's
    # one read of the enrolments, kept too.
    spans = models.JSONField(default=list)
    holders = models.PositiveIntegerField(default=0)  # `enrollment.capacity.holders_of`
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.program_id}: {self.fingerprint}"

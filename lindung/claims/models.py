"""Claims: a death or a work accident of a participant reported to the Pemda, its cover and
entitlement computed from the records at report time, and its way to the hand-over."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.domain.cover import ClaimType


class ClaimKind(models.TextChoices):
    JKM = ClaimType.JKM.value, _("JKM: meninggal bukan karena kecelakaan kerja")
    JKK_DEATH = ClaimType.JKK_DEATH.value, _("JKK: meninggal karena kecelakaan kerja")
    JKK_CTT = ClaimType.JKK_CTT.value, _("JKK: cacat total tetap")
    JKK_PARTIAL = ClaimType.JKK_PARTIAL.value, _("JKK: cacat sebagian")
    JKK_STMB = ClaimType.JKK_STMB.value, _("JKK: sementara tidak mampu bekerja (STMB)")


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("Dilaporkan")
    DOCUMENTS_COMPLETE = "documents_complete", _("Berkas lengkap")
    SUBMITTED = "submitted", _("Diajukan ke BPJS")
    PAID = "paid", _("Dibayar BPJS")
    HANDED_OVER = "handed_over", _("Diserahkan")
    REJECTED = "rejected", _("Ditolak")


class Reporter(models.TextChoices):
    FAMILY = "family", _("Keluarga")
    VILLAGE = "village", _("Desa/kelurahan")
    AGENCY = "agency", _("Instansi")


class Claim(models.Model):
    """One reported incident of one participant and its claim to BPJS Ketenagakerjaan."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="claims")
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.PROTECT, related_name="claims"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("instansi pengusul"),
    )  # fmt: skip
    kind = models.CharField(_("jenis klaim"), max_length=12, choices=ClaimKind.choices)
    incident_on = models.DateField(_("tanggal kejadian"))
    place = models.CharField(_("tempat kejadian"), max_length=200)
    description = models.TextField(_("uraian kejadian"), blank=True)
    reported_by = models.CharField(_("dilaporkan oleh"), max_length=8, choices=Reporter.choices)
    reporter_name = models.CharField(_("nama pelapor"), max_length=150)
    months_off_work = models.DecimalField(
        _("lama tidak mampu bekerja (bulan)"), max_digits=5, decimal_places=2,
        null=True, blank=True,
    )  # fmt: skip
    disability_percent = models.DecimalField(
        _("persentase cacat (tabel)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    children = models.PositiveSmallIntegerField(_("jumlah anak (beasiswa)"), default=0)
    # Computed from the records when reported: domain.cover.Cover / entitlement.Entitlement.
    cover = models.JSONField(default=dict, blank=True)
    entitlement = models.JSONField(default=dict, blank=True)
    total = models.BigIntegerField(_("hak manfaat (Rp)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.REPORTED
    )
    paid_amount = models.BigIntegerField(_("dibayar BPJS (Rp)"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal dibayar"), null=True, blank=True)
    handed_over_on = models.DateField(_("tanggal penyerahan"), null=True, blank=True)
    handed_over_place = models.CharField(_("tempat penyerahan"), max_length=200, blank=True)
    handed_over_by = models.CharField(_("diserahkan oleh"), max_length=150, blank=True)
    rejected_reason = models.TextField(_("alasan ditolak"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-incident_on", "-pk"]
        indexes = [
            models.Index(fields=["pemda", "status"], name="claim_pemda_status"),
            models.Index(fields=["program", "kind"], name="claim_program_kind"),
        ]
        verbose_name = _("klaim")
        verbose_name_plural = _("klaim")

    def __str__(self) -> str:
        return f"Klaim {self.kind} #{self.pk}"


class HeirRelationship(models.TextChoices):
    """Who an heir is to the deceased, in the order of PP 44/2015 Pasal 40 ayat (2) and the
    elucidation of Pasal 37 (see ../shared/reference/domain-rules.md §3.1): widow/widower and
    children, then blood relatives in the straight line to the 2nd degree, then siblings,
    then parents-in-law, then the person named in a will. Declaration order = heir order."""

    SPOUSE = "spouse", _("Istri/suami (janda/duda)")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    GRANDCHILD = "grandchild", _("Cucu")
    GRANDPARENT = "grandparent", _("Kakek/nenek")
    SIBLING = "sibling", _("Saudara kandung")
    PARENT_IN_LAW = "parent_in_law", _("Mertua")
    DESIGNATED = "designated", _("Pihak yang ditunjuk dalam wasiat")


HEIR_ORDER = {value: index for index, value in enumerate(HeirRelationship.values)}


class Heir(models.Model):
    """An heir of a participant whose death is claimed. The first in the order of PP 44/2015
    (relationship, then `rank` within it, e.g. the eldest child first) receives."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="heirs")
    name = models.CharField(_("nama"), max_length=150)
    relationship = models.CharField(
        _("hubungan dengan peserta"), max_length=16, choices=HeirRelationship.choices
    )
    nik = models.CharField(_("NIK"), max_length=16)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    rank = models.PositiveSmallIntegerField(_("urutan dalam hubungan yang sama"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "rank", "pk"]
        verbose_name = _("ahli waris")
        verbose_name_plural = _("ahli waris")

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def order_key(self) -> tuple[int, int, int]:
        return (HEIR_ORDER.get(self.relationship, len(HEIR_ORDER)), self.rank, self.pk or 0)


class ClaimDocument(models.Model):
    """A file handed in for one item of the claim type's checklist (`claims.checklist`), or
    the officer's note that the item is not needed (`waived_reason`, no file)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    item = models.CharField(_("dokumen"), max_length=40)
    name = models.CharField(_("nama file"), max_length=255, blank=True)
    stored = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    waived_reason = models.TextField(_("alasan tidak diperlukan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "item", "pk"]
        verbose_name = _("dokumen klaim")
        verbose_name_plural = _("dokumen klaim")

    def __str__(self) -> str:
        return f"{self.item} #{self.pk}"

    @property
    def waived(self) -> bool:
        return not self.stored

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


class Occupation(models.Model):
    """An informal job type a program may cover, with the spellings agencies use for it."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=100)
    synonyms = models.JSONField(_("sinonim"), default=list, blank=True)
    risk = models.CharField(
        _("risiko kerja"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "name"], name="occupation_name_unique"),
        ]
        verbose_name = _("jenis pekerjaan")
        verbose_name_plural = _("jenis pekerjaan")

    def __str__(self) -> str:
        return self.name


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class PriorityCriterion(models.TextChoices):
    RENEWAL = "renewal", _("Peserta tahun lalu (perpanjangan)")
    DESIL = "desil", _("Desil DTSEN terendah")
    JOB_RISK = "job_risk", _("Risiko pekerjaan tertinggi")
    AGE = "age", _("Usia tertua")
    SUBMITTED_AT = "submitted_at", _("Tanggal usulan terawal")


class Program(models.Model):
    """One year's scheme: legal basis, benefits, income band, quota, policies."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="programs")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama program"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    # Legal basis
    perbup_number = models.CharField(_("nomor Perbup/Perwal"), max_length=120, blank=True)
    mou_number = models.CharField(_("nomor MoU"), max_length=120, blank=True)
    pks_number = models.CharField(_("nomor PKS"), max_length=120, blank=True)
    bpjs_branch = models.CharField(_("kantor cabang BPJS Ketenagakerjaan"), max_length=120)
    # Cover
    start_month = models.DateField(_("bulan mulai"), help_text=_("Tanggal 1 bulan pertama."))
    coverage_months = models.PositiveSmallIntegerField(_("jumlah bulan"))
    benefits = models.JSONField(_("program jaminan"), default=list)
    declared_income = models.PositiveIntegerField(_("penghasilan yang dilaporkan (Rp)"))
    quota = models.PositiveIntegerField(_("kuota peserta"))
    # Eligibility policy
    register_required = models.BooleanField(_("wajib terdaftar di DTKS/DTSEN"), default=False)
    max_desil = models.PositiveSmallIntegerField(
        _("desil tertinggi yang diterima"), null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("usia minimal"), default=15)
    max_age = models.PositiveSmallIntegerField(
        _("usia maksimal saat mendaftar"),
        default=64,
        help_text=_("Umumnya di bawah 65 tahun saat pendaftaran."),
    )
    residency_required = models.BooleanField(_("wajib penduduk daerah ini"), default=True)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="programs", verbose_name=_("jenis pekerjaan")
    )
    priority_policy = models.JSONField(_("urutan prioritas"), default=list, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    # Letterhead and signatory of the documents the program issues (berita acara, bills).
    letterhead = models.TextField(
        _("kop surat"),
        blank=True,
        help_text=_("Satu baris per baris kop, mis. PEMERINTAH KABUPATEN … / DINAS …"),
    )
    signatory_name = models.CharField(_("nama penandatangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="program_code_unique"),
            models.CheckConstraint(
                condition=models.Q(coverage_months__gte=1, coverage_months__lte=12),
                name="program_coverage_months_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")),
                name="program_age_range",
            ),
        ]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self) -> str:
        return self.name

    @property
    def priority_labels(self) -> list[str]:
        return [
            str(PriorityCriterion(c).label)
            for c in self.priority_policy
            if c in PriorityCriterion.values
        ]


class FundingKind(models.TextChoices):
    APBD = "apbd", _("APBD kabupaten/kota")
    DBHCHT = "dbhcht", _("DBHCHT (bagi hasil cukai)")
    PROVINCE = "province", _("APBD provinsi (bantuan keuangan)")
    ADD = "add", _("Alokasi Dana Desa (ADD)")
    APBDES = "apbdes", _("APBDes / Dana Desa")
    CSR = "csr", _("CSR perusahaan")
    APBN = "apbn", _("APBN")


class BpjsFundingCode(models.TextChoices):
    """BPJS's wadah funding codes for Pemda-paid groups (Probis p.67, p.85)."""

    SG = "SG", _("SG – Pemerintah")
    SA = "SA", _("SA – Desa, dibiayai APBD")
    SD = "SD", _("SD – Desa, dibiayai APBDes")
    SL = "SL", _("SL – Desa, dana lain")
    SC = "SC", _("SC – CSR perusahaan")
    SB = "SB", _("SB – CSR bank")


class FundingSource(models.Model):
    """Money inside a program, with the BPJS funding code its participants are billed under.

    A source with an `agency` pays for that agency's (or village's) participants; a source
    without one pays for everyone no other source is named for."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="funding_sources")
    name = models.CharField(_("nama"), max_length=150)
    code = models.SlugField(
        _("kode singkat"),
        max_length=20,
        blank=True,
        help_text=_("Dipakai di layar, berkas dan baris perintah, mis. apbd atau add."),
    )
    kind = models.CharField(_("jenis dana"), max_length=10, choices=FundingKind.choices)
    amount = models.PositiveBigIntegerField(_("pagu (Rp)"))
    bpjs_code = models.CharField(_("kode dana BPJS"), max_length=2, choices=BpjsFundingCode.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membiayai peserta dari"),
        help_text=_(
            "Instansi atau desa yang pesertanya dibayar dari dana ini (mis. ADD untuk perangkat "
            "desa, DBHCHT untuk buruh tembakau). Kosong: peserta instansi lain."
        ),
    )
    # PP 50/2025 art. 3(5) excludes BPU paid through APBN/APBD from the 50 % relief. Whether
    # village funds count is unsettled, so it is decided per source (blank = by fund kind).
    relief_excluded = models.BooleanField(
        _("dikecualikan dari keringanan PP 50/2025"), null=True, blank=True
    )

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                condition=~models.Q(code=""),
                name="funding_source_code_unique",
            ),
        ]
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """A ceiling inside a program: per agency, or per district."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quotas")
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan/desa"),
    )
    quota = models.PositiveIntegerField(_("kuota"))

    class Meta:
        ordering = ["program", "agency__name", "region__code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(region__isnull=False),
                name="quota_has_target",
            ),
            models.UniqueConstraint(
                fields=["program", "agency"],
                condition=models.Q(region__isnull=True),
                name="quota_unique_agency",
            ),
            models.UniqueConstraint(
                fields=["program", "region"],
                condition=models.Q(agency__isnull=True),
                name="quota_unique_region",
            ),
        ]
        verbose_name = _("kuota")
        verbose_name_plural = _("kuota")

    def __str__(self) -> str:
        return f"{self.agency or self.region}: {self.quota}"

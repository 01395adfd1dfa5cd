"""Money: the monthly bill per funding source with a line per participant, the treasury's
payments (SP2D) and the months they cover, budget revisions, and BPJS's own bill read back and
reconciled line by line with ours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob


class Bill(models.Model):
    """What the Pemda owes BPJS for one month from one funding source: every participant
    active in that month × their contribution for it (lines in `BillLine`)."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="bills")
    funding_source = models.ForeignKey(
        "programs.FundingSource", on_delete=models.PROTECT, related_name="bills"
    )
    month = models.DateField(_("bulan iuran"))  # the first of the month covered
    participants = models.PositiveIntegerField(_("jumlah peserta"), default=0)
    total = models.PositiveBigIntegerField(_("jumlah tagihan (Rp)"), default=0)
    parts = models.JSONField(default=dict, blank=True)  # {"jkk": rp, "jkm": rp, "jht": rp}
    legal_basis = models.CharField(max_length=255, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "funding_source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "funding_source", "month"], name="bill_once_per_source_month"
            ),
        ]
        verbose_name = _("tagihan iuran")
        verbose_name_plural = _("tagihan iuran")

    def __str__(self) -> str:
        return f"Tagihan {self.month:%m-%Y} #{self.pk}"


class BillLine(models.Model):
    """One participant's contribution in a bill."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines", db_index=False)
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.PROTECT, related_name="bill_lines", db_index=False
    )
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    kpj = models.CharField(_("KPJ"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    jkk = models.PositiveIntegerField(default=0)
    jkm = models.PositiveIntegerField(default=0)
    jht = models.PositiveIntegerField(default=0)
    amount = models.PositiveIntegerField(_("iuran (Rp)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bill", "enrolment"], name="bill_line_once"),
        ]
        indexes = [models.Index(fields=["enrolment"], name="bill_line_enrolment")]
        verbose_name = _("baris tagihan")
        verbose_name_plural = _("baris tagihan")

    def __str__(self) -> str:
        return f"{self.bill_id}: {self.nik} {self.amount}"


class Payment(models.Model):
    """A treasury payment to BPJS (SP2D) for one funding source and the months it covers.
    Never edited: a correction is a new entry pointing at the one it corrects."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="payments"
    )
    funding_source = models.ForeignKey(
        "programs.FundingSource", on_delete=models.PROTECT, related_name="payments"
    )
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=60)
    paid_on = models.DateField(_("tanggal SP2D"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))  # negative only in a correction
    months = models.JSONField(_("bulan yang dibayar"), default=list)  # ["2026-01", ...]
    proof_name = models.CharField(_("nama file bukti"), max_length=255, blank=True)
    proof_stored = models.CharField(max_length=120, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "sp2d_number"], name="payment_sp2d_once"),
        ]
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")

    def __str__(self) -> str:
        return f"SP2D {self.sp2d_number}"


class PaymentMonth(models.Model):
    """A month a payment covers, for one funding source: a month counts as paid once a
    payment covering it is recorded."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="covered")
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    funding_source = models.ForeignKey(
        "programs.FundingSource", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payment", "month"], name="payment_month_once"),
        ]
        indexes = [models.Index(fields=["funding_source", "month"], name="payment_month_source")]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.month:%Y-%m}"


class BudgetRevision(models.Model):
    """A funding source's amount as revised (APBD-Perubahan) from a date; the old kept."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    funding_source = models.ForeignKey(
        "programs.FundingSource", on_delete=models.PROTECT, related_name="revisions"
    )
    previous_amount = models.PositiveBigIntegerField(_("pagu sebelumnya (Rp)"))
    amount = models.PositiveBigIntegerField(_("pagu baru (Rp)"))
    effective_on = models.DateField(_("berlaku sejak"))
    note = models.TextField(_("dasar perubahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("perubahan pagu")
        verbose_name_plural = _("perubahan pagu")

    def __str__(self) -> str:
        return f"{self.funding_source_id}: {self.amount} sejak {self.effective_on}"


class BpjsBill(BackgroundJob):
    """BPJS's own bill for a month, read from its file and reconciled with ours."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="bpjs_bills"
    )
    month = models.DateField(_("bulan iuran"))
    original_name = models.CharField(_("nama file"), max_length=255)
    stored_name = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    layout = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # outcome -> lines
    total_theirs = models.BigIntegerField(default=0)
    total_ours = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("tagihan BPJS")
        verbose_name_plural = _("tagihan BPJS")

    def __str__(self) -> str:
        return f"Tagihan BPJS {self.month:%m-%Y}"


class ReconcileOutcome(models.TextChoices):
    MATCHED = "matched", _("Cocok")
    MISSING_FROM_BPJS = "missing_from_bpjs", _("Tidak ada di tagihan BPJS")
    NOT_OURS = "not_ours", _("Bukan peserta program ini")
    AMOUNT_DIFFERS = "amount_differs", _("Jumlah iuran berbeda")
    ENDED_STILL_BILLED = "ended_still_billed", _("Sudah berakhir, masih ditagih")


class Resolution(models.TextChoices):
    ACCEPTED = "accepted", _("Diterima")
    DISPUTED = "disputed", _("Disanggah ke BPJS")
    CORRECTED = "corrected", _("Dikoreksi")


class BpjsBillLine(models.Model):
    """One line of the comparison: a row of BPJS's file (kept as it came), or one of our bill
    lines BPJS's file lacks; with the outcome and, for a difference, its resolution."""

    bpjs_bill = models.ForeignKey(
        BpjsBill, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sheet = models.CharField(max_length=100, blank=True)
    row_number = models.PositiveIntegerField(null=True, blank=True)  # none: ours only
    raw = models.JSONField(default=list, blank=True)
    nik = models.CharField(max_length=40, blank=True)
    kpj = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200, blank=True)
    amount_theirs = models.BigIntegerField(null=True, blank=True)
    amount_ours = models.BigIntegerField(null=True, blank=True)
    enrolment = models.ForeignKey(
        "workers.Enrolment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    outcome = models.CharField(max_length=20, choices=ReconcileOutcome.choices)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["bpjs_bill", "outcome"], name="bpjs_bill_line_outcome"),
        ]
        verbose_name = _("baris rekonsiliasi")
        verbose_name_plural = _("baris rekonsiliasi")

    def __str__(self) -> str:
        return f"{self.bpjs_bill_id}: {self.nik} {self.outcome}"

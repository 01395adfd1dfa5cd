"""Verification: runs of a program's handed-in rows against the newest welfare-register
snapshot (`lindung.register`), their per-row verdicts, the matching thresholds and the
verifiers' decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindung.common.jobs import BackgroundJob
from lindung.domain import eligibility as rules

# Re-exported for verification's pages and services: one job status enum for now.
from lindung.register.models import LONG_DATE as LONG_DATE

LONG_DATETIME = "j F Y H:i"


class MatchPolicy(models.Model):
    """A Pemda's thresholds for the matching engine (scores in [0, 1]). A probable register
    link or a duplicate pair scoring at least `*_accept` is decided automatically; between
    `*_review` and `*_accept` it goes to the review queue; below `*_review` it is dropped.
    `learn_weights`: score with evidence weights learned from each run's own candidate
    pairs (`matching.learn`) instead of the hand weights."""

    pemda = models.OneToOneField(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="match_policy"
    )
    link_accept = models.FloatField(_("skor padan otomatis"), default=0.99)
    link_review = models.FloatField(_("skor padan minimal untuk diperiksa"), default=0.5)
    duplicate_accept = models.FloatField(_("skor ganda otomatis"), default=0.99)
    duplicate_review = models.FloatField(_("skor ganda minimal untuk diperiksa"), default=0.5)
    learn_weights = models.BooleanField(_("bobot bukti dipelajari dari data"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(link_review__lte=models.F("link_accept"))
                & models.Q(duplicate_review__lte=models.F("duplicate_accept")),
                name="match_policy_review_below_accept",
            ),
        ]
        verbose_name = _("ambang pencocokan")
        verbose_name_plural = _("ambang pencocokan")

    def __str__(self) -> str:
        return f"Ambang pencocokan {self.pemda_id}"


@dataclass(frozen=True)
class RunCounts:
    """How a run ended: rows per primary outcome, per verdict and per kind of register link,
    what awaits a verifier, and how many duplicate groups were found. Stored on the run as
    JSON (`VerificationRun.counts`)."""

    rows: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)
    verdicts: Mapping[str, int] = field(default_factory=dict)
    matches: Mapping[str, int] = field(default_factory=dict)
    review_match: int = 0
    review_duplicate: int = 0
    duplicate_groups: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "outcomes": dict(self.outcomes),
            "verdicts": dict(self.verdicts),
            "matches": dict(self.matches),
            "review": {"match": self.review_match, "duplicate": self.review_duplicate},
            "duplicate_groups": self.duplicate_groups,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunCounts:
        review = data.get("review") or {}
        return cls(
            rows=int(data.get("rows", 0)),
            outcomes=dict(data.get("outcomes") or {}),
            verdicts=dict(data.get("verdicts") or {}),
            matches=dict(data.get("matches") or {}),
            review_match=int(review.get("match", 0)),
            review_duplicate=int(review.get("duplicate", 0)),
            duplicate_groups=int(data.get("duplicate_groups", 0)),
        )


class VerificationRun(BackgroundJob):
    """One verification of every handed-in row of a program. Runs are never overwritten: a
    re-run (new snapshot, changed rule) is a new run; the newest finished one is current."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="verification_runs"
    )
    snapshot = models.ForeignKey(
        "register.RegisterSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
    )
    policy = models.JSONField(_("ambang dan aturan yang dipakai"), default=dict)
    counts = models.JSONField(_("jumlah per hasil"), default=dict)
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["program", "status"])]
        verbose_name = _("verifikasi")
        verbose_name_plural = _("verifikasi")

    def __str__(self) -> str:
        return f"Verifikasi #{self.pk}"

    @property
    def tally(self) -> RunCounts:
        """The run's counts as a typed value."""
        return RunCounts.from_json(self.counts)


class Outcome(models.TextChoices):
    """What verification found about a row, most decisive first (the primary outcome of a
    row is the first of its findings in this order): the domain core's outcomes
    (`lindung.domain.eligibility.Outcome`) with their labels."""

    DECEASED = rules.Outcome.DECEASED.value, _("Tercatat meninggal dunia")
    ALREADY_ENROLLED = rules.Outcome.ALREADY_ENROLLED.value, _("Sudah menjadi peserta program ini")
    DUPLICATE = rules.Outcome.DUPLICATE.value, _("Ganda dengan usulan lain")
    NIK_INVALID = rules.Outcome.NIK_INVALID.value, _("NIK tidak valid")
    NIK_INCONSISTENT = (
        rules.Outcome.NIK_INCONSISTENT.value,
        _("Tanggal lahir/jenis kelamin tidak cocok dengan NIK"),
    )
    AGE_OUT_OF_RANGE = rules.Outcome.AGE_OUT_OF_RANGE.value, _("Usia di luar batas program")
    NOT_RESIDENT = rules.Outcome.NOT_RESIDENT.value, _("Bukan penduduk daerah ini")
    OCCUPATION_NOT_ELIGIBLE = (
        rules.Outcome.OCCUPATION_NOT_ELIGIBLE.value,
        _("Pekerjaan tidak termasuk program"),
    )
    DESIL_TOO_HIGH = rules.Outcome.DESIL_TOO_HIGH.value, _("Desil di atas batas program")
    PROBABLE_IN_REGISTER = (
        rules.Outcome.PROBABLE_IN_REGISTER.value,
        _("Kemungkinan ada di DTKS/DTSEN (periksa)"),
    )
    NOT_IN_REGISTER = rules.Outcome.NOT_IN_REGISTER.value, _("Tidak ada di DTKS/DTSEN")
    IN_REGISTER = rules.Outcome.IN_REGISTER.value, _("Ada di DTKS/DTSEN")
    RENEWAL = rules.Outcome.RENEWAL.value, _("Peserta tahun lalu (perpanjangan)")


class Verdict(models.TextChoices):
    ELIGIBLE = rules.Verdict.ELIGIBLE.value, _("Memenuhi syarat")
    REVIEW = rules.Verdict.REVIEW.value, _("Perlu diperiksa")
    INELIGIBLE = rules.Verdict.INELIGIBLE.value, _("Tidak memenuhi syarat")


class MatchKind(models.TextChoices):
    EXACT = "exact", _("NIK sama")
    PROBABLE = "probable", _("kemungkinan")
    NONE = "none", _("tidak ada")


class RowVerdict(models.Model):
    """What one run concluded about one submitted row."""

    run = models.ForeignKey(
        VerificationRun, on_delete=models.CASCADE, related_name="verdicts", db_index=False
    )
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    submission = models.ForeignKey(
        "intake.Submission", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    row = models.ForeignKey(
        "intake.SubmissionRow", on_delete=models.PROTECT, related_name="verdicts", db_index=False
    )
    outcome = models.CharField(_("hasil"), max_length=24, choices=Outcome.choices)
    verdict = models.CharField(_("kesimpulan"), max_length=10, choices=Verdict.choices)
    findings = models.JSONField(default=list)  # [{"code", "message"}], primary first
    match = models.CharField(_("padan"), max_length=8, choices=MatchKind.choices)
    record = models.ForeignKey(
        "register.RegisterRecord", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
        db_index=False,
    )  # fmt: skip
    register_id = models.CharField(max_length=64, blank=True)
    register_nik = models.CharField(max_length=32, blank=True)
    desil = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)  # match evidence codes
    group = models.PositiveIntegerField(null=True, blank=True)  # duplicate group within the run
    duplicate_of = models.ForeignKey(
        "intake.SubmissionRow", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    duplicate_score = models.FloatField(null=True, blank=True)
    review_match = models.BooleanField(default=False)  # a probable link awaits a decision
    review_duplicate = models.BooleanField(default=False)  # a duplicate awaits its owner

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "row"], name="verdict_once_per_run"),
        ]
        indexes = [
            models.Index(fields=["run", "agency", "outcome"], name="verdict_run_agency_outcome"),
            # The review queues: only the verdicts awaiting a decision (about a seventh of a
            # run's), not one entry for each of a run's 100.000 verdicts as it is written.
            models.Index(
                fields=["run"], condition=Q(review_match=True), name="verdict_run_review_match"
            ),
            models.Index(
                fields=["run"], condition=Q(review_duplicate=True), name="verdict_run_review_dup"
            ),
            models.Index(fields=["row"], name="verdict_row"),
        ]
        verbose_name = _("hasil verifikasi baris")
        verbose_name_plural = _("hasil verifikasi baris")

    def __str__(self) -> str:
        return f"{self.row_id}: {self.outcome}"


class DecisionKind(models.TextChoices):
    MATCH = "match", _("padanan DTKS/DTSEN")
    DUPLICATE = "duplicate", _("data ganda")


class ReviewDecision(models.Model):
    """A verifier's decision, kept across runs: a probable link accepted or rejected (row +
    register id), or the owner chosen for a row found twice (row → owner row)."""

    pemda = models.ForeignKey("accounts.Pemda", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    row = models.ForeignKey(
        "intake.SubmissionRow", on_delete=models.PROTECT, related_name="review_decisions"
    )
    register_id = models.CharField(max_length=64, blank=True)
    accepted = models.BooleanField(null=True)  # match: the link holds or not
    owner = models.ForeignKey(
        "intake.SubmissionRow", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # duplicate: the row that keeps the person
    note = models.TextField(_("catatan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "row", "register_id"], name="one_decision_per_question"
            ),
        ]
        verbose_name = _("keputusan pemeriksaan")
        verbose_name_plural = _("keputusan pemeriksaan")

    def __str__(self) -> str:
        return f"{self.kind} {self.row_id}"

"""Reads of verification results, scoped to the user's Pemda (and,
for agency and village operators, to their own agency's rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.common.jobs import JobStatus
from lindung.intake.models import Submission, SubmissionStatus
from lindung.programs.models import Program
from lindung.verification.models import (
    DecisionKind,
    Outcome,
    ReviewDecision,
    RowVerdict,
    RunCounts,
    Verdict,
    VerificationRun,
)


def run_current(*, program: Program) -> VerificationRun | None:
    """The program's newest finished run: the one whose verdicts count."""
    return (
        VerificationRun.objects.filter(program=program, status=JobStatus.DONE)
        .select_related("snapshot")
        .order_by("-pk")
        .first()
    )


def run_list(*, user: User, program: Program) -> QuerySet[VerificationRun]:
    return scope_to_pemda(VerificationRun.objects.filter(program=program), user).select_related(
        "snapshot", "started_by"
    )


def verdicts_for_export(*, run: VerificationRun) -> QuerySet[RowVerdict]:
    """Every verdict of a run with what an export shows, in submission and row order."""
    return (
        RowVerdict.objects.filter(run=run)
        .select_related("row", "duplicate_of")
        .order_by("submission_id", "row__sheet", "row__row_number")
    )


def verdicts_of_user(*, user: User, run: VerificationRun) -> QuerySet[RowVerdict]:
    """A run's verdicts the user may see: all of the Pemda's, or an operator's own agency's."""
    qs = scope_to_pemda(RowVerdict.objects.filter(run=run), user)
    if user.is_agency_scoped:
        qs = qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs


# --- Verifier pages and the agency's view of its rows ------------------------------------


def run_get(*, user: User, pk: int) -> VerificationRun:
    runs = scope_to_pemda(VerificationRun.objects.select_related("program", "snapshot"), user)
    return get_scoped_or_404(runs, pk=pk)


def run_active(*, program: Program) -> VerificationRun | None:
    """The program's run still queued or running, if any."""
    return (
        VerificationRun.objects.filter(
            program=program, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("-pk")
        .first()
    )


def verdict_get(*, user: User, pk: int) -> RowVerdict:
    """One verdict of the user's Pemda, with what a decision on it needs."""
    verdicts = scope_to_pemda(
        RowVerdict.objects.select_related(
            "run__program",
            "run__snapshot",
            "run__pemda",
            "agency",
            "row__district",
            "row__village",
            "record__district",
            "record__village",
        ),
        user,
    )
    return get_scoped_or_404(verdicts, pk=pk)


def _with_rows(qs: QuerySet[RowVerdict]) -> QuerySet[RowVerdict]:
    return qs.select_related(
        "agency",
        "row__district",
        "row__village",
        "record__district",
        "record__village",
    )


def match_queue(
    *, run: VerificationRun, agency_id: int | None = None, outcome: str | None = None
) -> QuerySet[RowVerdict]:
    """Probable register links of a run still awaiting a verifier, the strongest first."""
    qs = RowVerdict.objects.filter(run=run, review_match=True)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    return _with_rows(qs).order_by(F("score").desc(nulls_last=True), "row_id")


@dataclass(frozen=True)
class DecidedMatch:
    """A register link decided on the current run, which may still be undone."""

    verdict: RowVerdict
    decision: ReviewDecision


def matches_decided(*, run: VerificationRun, limit: int = 20) -> tuple[int, list[DecidedMatch]]:
    """The register links decided since `run` finished (so the run did not use them), newest
    first: how many, and the first `limit` of them. Each can be undone until the next run."""
    if run.finished_at is None:
        return 0, []
    decisions = ReviewDecision.objects.filter(
        program_id=run.program_id, kind=DecisionKind.MATCH, decided_at__gte=run.finished_at
    ).select_related("decided_by")
    total = decisions.count()
    shown = list(decisions.order_by("-decided_at", "-pk")[:limit])
    verdicts = {
        (v.row_id, v.register_id): v
        for v in RowVerdict.objects.filter(
            run=run, row_id__in=[d.row_id for d in shown]
        ).select_related("row", "agency")
    }
    decided = [
        DecidedMatch(verdict=verdicts[(d.row_id, d.register_id)], decision=d)
        for d in shown
        if (d.row_id, d.register_id) in verdicts
    ]
    return total, decided


def matches_clear_count(*, run: VerificationRun, min_score: float) -> int:
    """How many awaiting links a bulk accept at `min_score` would take (no close runner-up)."""
    pending = RowVerdict.objects.filter(run=run, review_match=True, score__gte=min_score)
    return sum(
        1
        for reasons in pending.values_list("reasons", flat=True)
        if "ambiguous" not in (reasons or [])
    )


def duplicate_queue(
    *, run: VerificationRun, agency_id: int | None = None, outcome: str | None = None
) -> QuerySet[RowVerdict]:
    """The numbers of the run's duplicate groups still awaiting their owner (as `group`
    values), optionally those with a row of one agency or one outcome."""
    qs = RowVerdict.objects.filter(run=run, review_duplicate=True, group__isnull=False)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    return qs.values_list("group", flat=True).distinct().order_by("group")  # type: ignore[return-value]


def group_members(*, run: VerificationRun, groups: list[int]) -> dict[int, list[RowVerdict]]:
    """Every row of the given duplicate groups, by group, in agency and row order."""
    members: dict[int, list[RowVerdict]] = {group: [] for group in groups}
    qs = _with_rows(RowVerdict.objects.filter(run=run, group__in=groups)).select_related(
        "submission__file"
    )
    for verdict in qs.order_by("group", "agency__name", "row_id"):
        members[verdict.group or 0].append(verdict)
    return members


def verdict_list(
    *,
    run: VerificationRun,
    agency_id: int | None = None,
    outcome: str | None = None,
    verdict: str | None = None,
) -> QuerySet[RowVerdict]:
    qs = RowVerdict.objects.filter(run=run)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if verdict in Verdict.values:
        qs = qs.filter(verdict=verdict)
    return _with_rows(qs).order_by("agency__name", "submission_id", "row__sheet", "row__row_number")


def verdicts_of_submission(
    *, user: User, submission: Submission
) -> tuple[VerificationRun | None, QuerySet[RowVerdict]]:
    """The current run's verdicts on a submission's rows the user may see (an operator only
    their own agency's), with the run; no run, no verdicts."""
    run = run_current(program=submission.program)
    if run is None:
        return None, RowVerdict.objects.none()
    return run, verdicts_of_user(user=user, run=run).filter(submission=submission)


def run_tallies(*, run: VerificationRun) -> RunCounts:
    """A run's rows per outcome and per verdict, and what awaits review, as they stand now
    (the verifiers' decisions change them after the run; `VerificationRun.counts` keeps how
    the run ended). `duplicate_groups` counts the groups still awaiting their owner."""
    verdicts = RowVerdict.objects.filter(run=run)
    outcomes = dict(verdicts.values_list("outcome").annotate(n=Count("pk")).order_by())
    by_verdict = dict(verdicts.values_list("verdict").annotate(n=Count("pk")).order_by())
    matches, groups = review_open(run=run)
    return RunCounts(
        rows=sum(outcomes.values()),
        outcomes=outcomes,
        verdicts=by_verdict,
        review_match=matches,
        duplicate_groups=groups,
    )


def review_open(*, run: VerificationRun) -> tuple[int, int]:
    """A run's probable links and duplicate groups still awaiting a verifier, as they stand."""
    counts = RowVerdict.objects.filter(run=run).aggregate(
        matches=Count("pk", filter=Q(review_match=True)),
        groups=Count("group", filter=Q(review_duplicate=True), distinct=True),
    )
    return counts["matches"], counts["groups"]


@dataclass(frozen=True)
class VerificationWaiting:
    """What waits in verification for the user's Pemda (an operator: their agency's rows)."""

    matches: int  # probable register links awaiting a verifier's decision
    duplicate_groups: int  # duplicate groups awaiting their owner
    submissions_in_verification: int


def verification_waiting(*, user: User) -> VerificationWaiting:
    """Counts for a home page: the review queues of each program's current run (its newest
    finished run) and the lists in verification, all scoped to the user's Pemda; none for a
    user with no Pemda."""
    current_runs = (
        scope_to_pemda(VerificationRun.objects.filter(status=JobStatus.DONE), user)
        .values("program")
        .annotate(newest=Max("pk"))
        .values("newest")
    )
    verdicts = RowVerdict.objects.filter(run__in=current_runs)
    submissions = scope_to_pemda(
        Submission.objects.filter(status=SubmissionStatus.IN_VERIFICATION), user
    )
    if user.is_agency_scoped:
        verdicts = verdicts.filter(agency_id=user.agency_id) if user.agency_id else verdicts.none()
        submissions = (
            submissions.filter(agency_id=user.agency_id) if user.agency_id else submissions.none()
        )
    return VerificationWaiting(
        matches=verdicts.filter(review_match=True).count(),
        duplicate_groups=verdicts.filter(review_duplicate=True, group__isnull=False)
        .values("run", "group")
        .distinct()
        .count(),
        submissions_in_verification=submissions.count(),
    )

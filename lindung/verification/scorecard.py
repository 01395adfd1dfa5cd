"""The data-quality scorecard: how clean each agency's lists are, so Disnaker can talk to the
agencies whose lists cost the most work, and each agency can see its own figures.

Per agency, for one program:

- rows sent: rows of its handed-in submissions, blank and total rows aside;
- invalid-NIK rate: rows of the current run with an invalid NIK ÷ rows verified;
- duplicates sent: rows in a duplicate group that lost ownership or still await it;
- register match rate: rows linked to the register (exact, or probable and not awaiting a
  verifier) ÷ rows verified;
- time to fix: the median hours from a row's first rejection at intake to the revision that
  corrected it (rows never rejected, or still rejected, do not count).

Rates need a finished run; before one they are None (shown as "–").
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast

from lindung.accounts.models import Agency, User
from lindung.audit.models import AuditEvent
from lindung.intake.models import (
    RowOutcome,
    RowRevision,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
)
from lindung.programs.models import Program
from lindung.verification.models import MatchKind, Outcome, RowVerdict, VerificationRun
from lindung.verification.selectors import run_current


@dataclass(frozen=True)
class AgencyCard:
    agency: Agency
    rows_sent: int
    verified: int  # rows of the agency in the current run
    invalid_nik: int
    duplicates: int
    matched: int
    fix_hours: float | None  # median; None when no row was corrected after a rejection
    fixed: int  # rows behind the median

    def _rate(self, part: int) -> float | None:
        return 100 * part / self.verified if self.verified else None

    @property
    def invalid_nik_rate(self) -> float | None:
        return self._rate(self.invalid_nik)

    @property
    def match_rate(self) -> float | None:
        return self._rate(self.matched)


@dataclass(frozen=True)
class Scorecard:
    program: Program
    run: VerificationRun | None
    cards: list[AgencyCard]


def _quoted(code: str) -> str:
    # Findings are stored as JSON text ('[{"code": "nik_invalid", ...}]' on SQLite, jsonb on
    # PostgreSQL, whose text form quotes the same way): a quoted code is one finding.
    return f'"{code}"'


def _verdict_counts(run: VerificationRun, agency_ids: list[int]) -> dict[int, dict[str, int]]:
    findings = Cast("findings", TextField())
    rows = (
        RowVerdict.objects.filter(run=run, agency_id__in=agency_ids)
        .annotate(findings_text=findings)
        .values("agency_id")
        .annotate(
            verified=Count("pk"),
            invalid_nik=Count("pk", filter=Q(findings_text__contains=_quoted(Outcome.NIK_INVALID))),
            duplicates=Count(
                "pk",
                filter=Q(group__isnull=False, findings_text__contains=_quoted(Outcome.DUPLICATE)),
            ),
            matched=Count(
                "pk",
                filter=Q(match__in=[MatchKind.EXACT, MatchKind.PROBABLE], review_match=False),
            ),
        )
        .order_by()
    )
    return {row.pop("agency_id"): row for row in rows}


def _first_states(rows: Iterable[tuple[int, dt.datetime, str]]) -> dict[int, dt.datetime]:
    """When each row's first state began: when its file was stored, or, for a walk-in batch
    that grows over days, when that row was typed in (its audit event)."""
    starts: dict[int, dt.datetime] = {}
    entered: list[int] = []
    for row_id, stored_at, source in rows:
        starts[row_id] = stored_at
        if source == SubmissionSource.ENTRY:
            entered.append(row_id)
    if entered:
        events = AuditEvent.objects.filter(
            action="submission_row.entered",
            object_type=SubmissionRow._meta.label_lower,
            object_id__in=[str(pk) for pk in entered],
        ).values_list("object_id", "created_at")
        for object_id, created_at in events:
            starts[int(object_id)] = created_at
    return starts


def fix_hours(*, program: Program, agency_ids: list[int]) -> dict[int, list[float]]:
    """Hours from each row's first rejection to the revision that corrected it, by agency.

    A revision keeps a row's earlier state and is written when the row changes, so state i
    of a row began when revision i - 1 was written (state 1: when the row was stored)."""
    revisions = (
        RowRevision.objects.filter(row__submission__program=program, row__agency_id__in=agency_ids)
        .order_by("row_id", "revision")
        .values_list(
            "row_id",
            "revision",
            "outcome",
            "created_at",
            "row__agency_id",
            "row__outcome",
            "row__submission__created_at",
            "row__submission__source",
        )
    )
    history: dict[int, list[tuple[int, str, dt.datetime]]] = defaultdict(list)
    current: dict[int, tuple[int, str]] = {}
    stored: dict[int, tuple[int, dt.datetime, str]] = {}
    for row_id, number, outcome, written, agency_id, now, created, source in revisions:
        history[row_id].append((number, outcome, written))
        current[row_id] = (agency_id, now)
        stored[row_id] = (row_id, created, source)
    starts = _first_states(stored.values())
    hours: dict[int, list[float]] = defaultdict(list)
    for row_id, past in history.items():
        agency_id, now = current[row_id]
        # (outcome of state i, when state i began), for every state up to the current one.
        states = [(past[0][1], starts[row_id])]
        states += [(past[i][1], past[i - 1][2]) for i in range(1, len(past))]
        states.append((now, past[-1][2]))
        rejected_at = None
        for outcome, began in states:
            if outcome == RowOutcome.REJECTED and rejected_at is None:
                rejected_at = began
            elif rejected_at is not None and outcome in (
                RowOutcome.ACCEPTED,
                RowOutcome.ACCEPTED_WITH_WARNINGS,
            ):
                hours[agency_id].append((began - rejected_at).total_seconds() / 3600)
                break
    return hours


def scorecard(*, user: User, program: Program) -> Scorecard:
    """The cards the user may see: every agency that sent rows (Disnaker and leaders), or an
    operator's own agency only."""
    agencies = Agency.objects.filter(pemda_id=program.pemda_id)
    if user.is_agency_scoped:
        agencies = agencies.filter(pk=user.agency_id) if user.agency_id else agencies.none()
    sent = dict(
        SubmissionRow.objects.filter(
            submission__program=program, agency__in=agencies, pemda_id=program.pemda_id
        )
        .exclude(submission__status=SubmissionStatus.DRAFT)
        .exclude(outcome=RowOutcome.IGNORED)
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not user.is_agency_scoped:
        agencies = agencies.filter(pk__in=list(sent))
    agency_list = list(agencies.order_by("name"))
    ids = [a.pk for a in agency_list]
    run = run_current(program=program)
    counts = _verdict_counts(run, ids) if run is not None else {}
    hours = fix_hours(program=program, agency_ids=ids)
    empty = {"verified": 0, "invalid_nik": 0, "duplicates": 0, "matched": 0}
    cards = []
    for agency in agency_list:
        figures = counts.get(agency.pk, empty)
        taken = hours.get(agency.pk, [])
        cards.append(
            AgencyCard(
                agency=agency,
                rows_sent=sent.get(agency.pk, 0),
                verified=figures["verified"],
                invalid_nik=figures["invalid_nik"],
                duplicates=figures["duplicates"],
                matched=figures["matched"],
                fix_hours=statistics.median(taken) if taken else None,
                fixed=len(taken),
            )
        )
    return Scorecard(program=program, run=run, cards=cards)

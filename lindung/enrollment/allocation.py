"""Allocation as the pages, the command and the service see it: the program's candidates read
in bulk, priced per funding source for the months left, and fitted by the domain core
(`lindung.domain.allocation`). Nothing here writes; `services.allocation` records.

Candidates are the rows whose verdict in the program's current verification run is eligible
(review decisions are applied to the verdict in place), minus people (by NIK) already
holding a slot in the program. A person is paid by the program's funding source of their
agency, else by the program's first source that belongs to no agency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import Agency, User
from lindung.common.bulk import read_frame
from lindung.common.errors_domain import ServiceError
from lindung.domain.allocation import (
    RISK_RANK,
    AllocationResult,
    Candidate,
    StartMonth,
    allocate,
    start_month_check,
)
from lindung.domain.allocation import Capacity as Room
from lindung.domain.rulebook import RuleError
from lindung.enrollment.capacity import Capacity, capacity_of, source_premiums
from lindung.enrollment.models import Allocation, AllocationLine, AllocationStatus
from lindung.intake.models import Submission, SubmissionRow
from lindung.programs.models import FundingSource, Occupation, Program
from lindung.rules.selectors import rulebook_for
from lindung.verification.models import RowVerdict, Verdict
from lindung.verification.selectors import run_current
from lindung.workers.models import HOLDS_SLOT, Enrolment
from lindung.workers.restrictions import HELD_REASON, restricted_niks

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "row_id": pl.Int64(),
    "nik": pl.String(),
    "name": pl.String(),
    "agency_id": pl.Int64(),
    "village_id": pl.String(),
    "occupation_id": pl.Int64(),
    "risk": pl.String(),
    "birth_date": pl.Date(),
    "submission_id": pl.Int64(),
    "desil": pl.Int64(),
    "renewal": pl.Int64(),
}


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def read_candidates(program: Program) -> tuple[int | None, pl.DataFrame]:
    """(current run id, one line per eligible person not already holding a slot), with a
    `submitted_at` column (naive UTC) and the `renewal` flag."""
    run = run_current(program=program)
    if run is None:
        return None, pl.DataFrame(schema={**CANDIDATE_SCHEMA, "submitted_at": pl.Datetime("us")})
    sql = f"""
        SELECT r.id, r.nik, r.name, v.agency_id, r.village_id, r.occupation_id, o.risk,
          r.birth_date, v.submission_id, v.desil,
          CASE WHEN CAST(v.findings AS TEXT) LIKE %s THEN 1 ELSE 0 END
        FROM {_table(RowVerdict)} v
        JOIN {_table(SubmissionRow)} r ON r.id = v.row_id
        LEFT JOIN {_table(Occupation)} o ON o.id = r.occupation_id
        WHERE v.run_id = %s AND v.verdict = %s
        ORDER BY r.id
    """  # noqa: S608
    frame = read_frame(sql, ['%"renewal"%', run.pk, Verdict.ELIGIBLE], CANDIDATE_SCHEMA)
    holding = set(
        Enrolment.objects.filter(program=program, status__in=HOLDS_SLOT).values_list(
            "worker__nik", flat=True
        )
    )
    frame = frame.filter(~pl.col("nik").is_in(list(holding))).unique(
        subset="nik", keep="first", maintain_order=True
    )
    submitted = {
        pk: (at.replace(tzinfo=None) if at is not None else None)
        for pk, at in Submission.objects.filter(
            pk__in=frame["submission_id"].unique().to_list()
        ).values_list("pk", "submitted_at")
    }
    stamps = pl.DataFrame(
        {"submission_id": list(submitted), "submitted_at": list(submitted.values())},
        schema={"submission_id": pl.Int64(), "submitted_at": pl.Datetime("us")},
    )
    return run.pk, frame.join(stamps, on="submission_id", how="left", maintain_order="left")


def _held_restricted(frame: pl.DataFrame, *, pemda_id: int) -> tuple[pl.DataFrame, int]:
    """The candidates minus people whose processing is restricted (UU PDP Pasal 11), and how
    many were held out."""
    held = restricted_niks(pemda_id=pemda_id)
    if not held or frame.is_empty():
        return frame, 0
    kept = frame.filter(~pl.col("nik").is_in(list(held)))
    return kept, frame.height - kept.height


def source_by_agency(sources: Sequence[FundingSource]) -> tuple[dict[int, int], int | None]:
    """Each agency's own source, and the program's first source with no agency (by pk)."""
    own: dict[int, int] = {}
    general: int | None = None
    for source in sorted(sources, key=lambda s: s.pk):
        if source.agency_id is not None:
            own.setdefault(source.agency_id, source.pk)
        elif general is None:
            general = source.pk
    return own, general


def _candidates(frame: pl.DataFrame, own: dict[int, int], general: int | None) -> list[Candidate]:
    return [
        Candidate(
            key=row_id,
            renewal=bool(renewal),
            desil=desil,
            risk_rank=RISK_RANK.get(risk or ""),
            birth_date=birth_date,
            submitted_at=submitted_at,
            agency_id=agency_id,
            village_code=village_id or "",
            funding_source_id=own.get(agency_id, general),
        )
        for row_id, agency_id, village_id, risk, birth_date, desil, renewal, submitted_at in (
            frame.select(
                "row_id", "agency_id", "village_id", "risk", "birth_date", "desil", "renewal",
                "submitted_at",
            ).iter_rows()
        )
    ]  # fmt: skip


@dataclass(frozen=True)
class WhatIf:
    """Simulation values replacing the program's own: nothing is written with them."""

    quota: int | None = None
    budget: int | None = None  # the program's total money, shared as the sources' pagu are
    benefits: list[str] | None = None


@dataclass(frozen=True)
class SourceLine:
    source: FundingSource
    cost_per_person: int
    money_left: int
    allocated: int = 0
    cost: int = 0

    @property
    def left_after(self) -> int:
        return self.money_left - self.cost


@dataclass(frozen=True)
class Simulation:
    program: Program
    run_id: int | None
    start: StartMonth
    benefits: list[str]
    capacity: Capacity
    quota_free: int
    budget_available: int
    monthly_premium: int
    result: AllocationResult
    frame: pl.DataFrame
    sources: list[SourceLine]
    warnings: list[str] = field(default_factory=list)

    @property
    def months(self) -> int:
        return self.start.months

    @property
    def allocated(self) -> int:
        return self.result.allocated

    @property
    def waiting(self) -> int:
        return self.result.waiting

    @property
    def cost(self) -> int:
        return self.result.cost

    @property
    def money_left(self) -> int:
        return self.budget_available - self.cost

    def per_agency(self) -> list[dict[str, object]]:
        """Allocated and waiting per agency, by agency name."""
        agency_of = dict(zip(self.frame["row_id"], self.frame["agency_id"], strict=True))
        allocated: Counter[int] = Counter()
        waiting: Counter[int] = Counter()
        for p in self.result.placements:
            (waiting if p.wait_reason else allocated)[agency_of[p.key]] += 1
        names = dict(
            Agency.objects.filter(pk__in=set(allocated) | set(waiting)).values_list("pk", "name")
        )
        return sorted(
            (
                {"agency_id": pk, "agency": names.get(pk, ""), "allocated": allocated[pk],
                 "waiting": waiting[pk]}
                for pk in set(allocated) | set(waiting)
            ),
            key=lambda line: str(line["agency"]),
        )  # fmt: skip

    def summary(self) -> dict[str, object]:
        """The counts kept with a recorded proposal (JSON)."""
        return {
            "per_agency": self.per_agency(),
            "per_source": [
                {
                    "source_id": s.source.pk,
                    "source": s.source.name,
                    "allocated": s.allocated,
                    "cost": s.cost,
                    "money_left": s.money_left,
                    "left_after": s.left_after,
                }
                for s in self.sources
            ],
            "per_reason": self.result.waiting_by_reason(),
            "warnings": list(self.warnings),
        }


def _money_left(capacity: Capacity, budget: int | None) -> dict[int, int]:
    """Uncommitted money per source; a what-if total budget is shared among the sources as
    their pagu are (the first takes the rounding remainder)."""
    if budget is None:
        return {s.source.pk: s.left for s in capacity.sources}
    total = capacity.budget_total
    shares = [budget * s.source.amount // total if total else 0 for s in capacity.sources]
    if shares:
        shares[0] += budget - sum(shares) if total else budget
    return {
        s.source.pk: max(share - s.committed, 0)
        for s, share in zip(capacity.sources, shares, strict=True)
    }


def _start(program: Program, requested: date | None, as_of: date) -> tuple[StartMonth, list[str]]:
    try:
        start = start_month_check(
            requested=requested,
            as_of=as_of,
            program_start=program.start_month,
            coverage_months=program.coverage_months,
        )
    except RuleError as exc:
        raise ServiceError(str(exc)) from exc
    warnings = []
    if start.earlier_than_default:
        warnings.append(
            _(
                "Bulan mulai %(month)s sudah lewat: alokasi ini mencatat kepesertaan yang sudah "
                "berjalan, iuran dihitung sejak bulan itu."
            )
            % {"month": f"{start.month:%m-%Y}"}
        )
    return start, warnings


def simulate(
    *,
    program: Program,
    as_of: date,
    start_month: date | None = None,
    what_if: WhatIf | None = None,
) -> Simulation:
    """Rank and fit the program's candidates now; with `what_if` values instead of the
    program's own quota, money or benefits. Refused (`ServiceError`) for a start month
    outside the program year or rules that do not allow the program's income/benefits."""
    what_if = what_if or WhatIf()
    start, warnings = _start(program, start_month, as_of)
    benefits = list(what_if.benefits or program.benefits)
    capacity = capacity_of(program)
    rulebook = rulebook_for(pemda_id=program.pemda_id)
    index = capacity.month_index(start.month)
    per_person = {
        s.source.pk: sum(
            source_premiums(program=program, source=s.source, benefits=benefits, rulebook=rulebook)[
                index:
            ]
        )
        for s in capacity.sources
    }
    money = _money_left(capacity, what_if.budget)
    quota_free = capacity.quota_free
    if what_if.quota is not None:
        quota_free = max(what_if.quota - capacity.holders, 0)
    run_id, frame = read_candidates(program)
    frame, held = _held_restricted(frame, pemda_id=program.pemda_id)
    if held:
        warnings = [*warnings, _("%(n)s orang tidak dialokasikan: %(reason)s.")
                    % {"n": held, "reason": HELD_REASON}]  # fmt: skip
    own, general = source_by_agency([s.source for s in capacity.sources])
    result = allocate(
        _candidates(frame, own, general),
        policy=program.priority_policy,
        capacity=Room(
            program_free=quota_free,
            money_left=money,
            cost_per_person=per_person,
            agency_free=capacity.agency_free,
            region_free=capacity.region_free,
        ),
    )
    counts = Counter(p.funding_source_id for p in result.placements if p.wait_reason is None)
    lines = [
        SourceLine(
            source=s.source,
            cost_per_person=per_person[s.source.pk],
            money_left=money[s.source.pk],
            allocated=counts[s.source.pk],
            cost=result.spent.get(s.source.pk, 0),
        )
        for s in capacity.sources
    ]
    months = max(start.months, 1)
    return Simulation(
        program=program,
        run_id=run_id,
        start=start,
        benefits=benefits,
        capacity=capacity,
        quota_free=quota_free,
        budget_available=sum(money.values()),
        monthly_premium=lines[0].cost_per_person // months if lines else 0,
        result=result,
        frame=frame,
        sources=lines,
        warnings=warnings,
    )


def allocation_get(*, user: User, pk: int) -> Allocation:
    """A proposal of the user's Pemda (404 otherwise)."""
    return get_scoped_or_404(
        scope_to_pemda(Allocation.objects.select_related("program", "proposed_by"), user), pk=pk
    )


def allocation_lines(*, allocation: Allocation) -> QuerySet[AllocationLine]:
    """A proposal's lines in rank order."""
    return (
        AllocationLine.objects.filter(allocation=allocation)
        .select_related("agency", "funding_source", "village")
        .order_by("rank")
    )


def allocation_open(*, program: Program) -> Allocation | None:
    """The program's proposal awaiting the Kepala Dinas, if any."""
    return (
        Allocation.objects.filter(program=program, status=AllocationStatus.PROPOSED)
        .order_by("-pk")
        .first()
    )

"""Recording an allocation proposal: the verifier's ranked candidates, allocated or waiting,
kept line by line for the Kepala Dinas to approve or return (maker–checker, DESIGN §3 step 4
and 5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.access import VERIFIERS
from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.common.bulk import insert_frame
from lindung.common.errors_domain import ServiceError
from lindung.enrollment.allocation import Simulation, WhatIf, simulate
from lindung.enrollment.models import (
    Allocation,
    AllocationKind,
    AllocationLine,
    AllocationStatus,
)
from lindung.programs.models import Program


@dataclass(frozen=True)
class AllocationProposal:
    """What an allocation came to; `allocation` is set when it was recorded."""

    allocated: int
    waiting: int
    months: int
    cost: int
    quota: int  # free quota before this allocation
    budget_available: int  # uncommitted money before this allocation
    start_month: date
    warnings: list[str] = field(default_factory=list)
    waiting_by_reason: dict[str, int] = field(default_factory=dict)
    allocation: Allocation | None = None

    def to_json(self) -> dict[str, int]:
        return {
            "allocated": self.allocated,
            "waiting": self.waiting,
            "months": self.months,
            "cost": self.cost,
            "quota": self.quota,
            "budget_available": self.budget_available,
        }


def _lines(sim: Simulation) -> pl.DataFrame:
    placements = pl.DataFrame(
        {
            "row_id": [p.key for p in sim.result.placements],
            "rank": [p.rank for p in sim.result.placements],
            "outcome": ["waiting" if p.wait_reason else "allocated" for p in sim.result.placements],
            "wait_reason": [
                p.wait_reason.value if p.wait_reason else "" for p in sim.result.placements
            ],
            "funding_source_id": [p.funding_source_id for p in sim.result.placements],
        },
        schema={
            "row_id": pl.Int64(),
            "rank": pl.Int64(),
            "outcome": pl.String(),
            "wait_reason": pl.String(),
            "funding_source_id": pl.Int64(),
        },
    )
    return placements.join(sim.frame, on="row_id", how="left").select(
        "rank", "row_id", "nik", "name", "agency_id", "village_id", "occupation_id",
        "funding_source_id", pl.col("renewal").cast(pl.Boolean), "desil",
        pl.col("risk").fill_null(""), "birth_date", "submitted_at", "outcome", "wait_reason",
    )  # fmt: skip


def _user(actor: Actor, program: Program) -> User:
    if (
        not isinstance(actor, User)
        or actor.pemda_id != program.pemda_id
        or not actor.has_role(*VERIFIERS)
    ):
        raise ServiceError(_("Hanya verifikator Pemda ini yang dapat mengajukan alokasi."))
    return actor


def allocation_propose(
    *,
    actor: Actor,
    program: Program,
    as_of: date,
    start_month: date | None = None,
    benefits: list[str] | None = None,
    dry_run: bool = False,
) -> AllocationProposal:
    """Rank the program's eligible candidates and fit them within the free quota and the
    uncommitted money from the start month to the program's last month; unless `dry_run`,
    record the proposal with every line and withdraw the program's older open proposals.
    Only verifiers propose; a start month outside the program year is refused."""
    user = _user(actor, program)
    sim = simulate(
        program=program, as_of=as_of, start_month=start_month, what_if=WhatIf(benefits=benefits)
    )
    proposal = AllocationProposal(
        allocated=sim.allocated,
        waiting=sim.waiting,
        months=sim.months,
        cost=sim.cost,
        quota=sim.quota_free,
        budget_available=sim.budget_available,
        start_month=sim.start.month,
        warnings=list(sim.warnings),
        waiting_by_reason=sim.result.waiting_by_reason(),
    )
    if dry_run:
        return proposal
    if not sim.result.placements:
        raise ServiceError(_("Belum ada calon peserta yang memenuhi syarat untuk dialokasikan."))
    with transaction.atomic():
        older = list(
            Allocation.objects.select_for_update().filter(
                program=program, status=AllocationStatus.PROPOSED, kind=AllocationKind.ALLOCATION
            )
        )
        allocation = Allocation.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            kind=AllocationKind.ALLOCATION,
            run_id=sim.run_id,
            start_month=sim.start.month,
            months=sim.months,
            benefits=sim.benefits,
            monthly_premium=sim.monthly_premium,
            quota_free=sim.quota_free,
            budget_available=sim.budget_available,
            allocated=sim.allocated,
            waiting=sim.waiting,
            cost=sim.cost,
            summary=sim.summary(),
            proposed_by=user,
        )
        insert_frame(
            AllocationLine,
            _lines(sim),
            constants={"allocation_id": allocation.pk, "pemda_id": program.pemda_id},
        )
        for old in older:
            Allocation.objects.filter(pk=old.pk).update(
                status=AllocationStatus.WITHDRAWN, version=old.version + 1
            )
            audit_record(
                actor=user,
                action="allocation.withdrawn",
                obj=old,
                pemda=program.pemda,
                changes={"status": [old.status, AllocationStatus.WITHDRAWN], "by": allocation.pk},
            )
        audit_record(
            actor=user,
            action="allocation.proposed",
            obj=allocation,
            pemda=program.pemda,
            changes={**proposal.to_json(), "start_month": sim.start.month.isoformat()},
        )
    return AllocationProposal(**{**proposal.__dict__, "allocation": allocation})

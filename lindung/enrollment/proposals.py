"""Reads of the maker–checker step: allocation proposals of the user's Pemda, one proposal's
summary and lines, and what waits for the Kepala Dinas."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import Role, User
from lindung.enrollment.approval import PROPOSAL_READERS
from lindung.enrollment.models import (
    Allocation,
    AllocationLine,
    AllocationStatus,
    LineOutcome,
    WaitReason,
)


def proposal_list(*, user: User) -> QuerySet[Allocation]:
    """Proposals of the user's Pemda, newest first; none for roles that do not read them."""
    if not user.has_role(*PROPOSAL_READERS):
        return Allocation.objects.none()
    return scope_to_pemda(Allocation.objects.all(), user).select_related(
        "program", "proposed_by", "decided_by"
    )


def proposal_get(*, user: User, pk: int) -> Allocation:
    return get_scoped_or_404(proposal_list(user=user), pk=pk)


def proposals_awaiting(*, user: User) -> QuerySet[Allocation]:
    """What waits for this Kepala Dinas: proposals of others, oldest first."""
    if user.role != Role.APPROVER:
        return Allocation.objects.none()
    return (
        proposal_list(user=user)
        .filter(status=AllocationStatus.PROPOSED)
        .exclude(proposed_by=user)
        .order_by("proposed_at", "pk")
    )


@dataclass(frozen=True)
class Tally:
    label: str
    people: int
    cost: int = 0


@dataclass(frozen=True)
class ProposalSummary:
    allocated: int
    waiting: int
    months: int
    cost: int
    money_left: int
    waiting_by_reason: list[Tally] = field(default_factory=list)
    per_agency: list[Tally] = field(default_factory=list)
    per_source: list[Tally] = field(default_factory=list)


def proposal_summary(*, allocation: Allocation) -> ProposalSummary:
    """Counts of a proposal from its lines. Cost per source is people × the proposal's
    monthly contribution × its months."""
    lines = AllocationLine.objects.filter(allocation=allocation)
    reasons = dict(WaitReason.choices)
    waiting = Counter(
        dict(
            lines.filter(outcome=LineOutcome.WAITING)
            .values_list("wait_reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    allocated = lines.filter(outcome=LineOutcome.ALLOCATED)
    per_agency = (
        allocated.values_list("agency__name").annotate(n=Count("pk")).order_by("-n", "agency__name")
    )
    per_source = (
        allocated.values_list("funding_source__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "funding_source__name")
    )
    each = allocation.monthly_premium * allocation.months
    n_allocated = sum(n for _name, n in per_agency)
    return ProposalSummary(
        allocated=n_allocated,
        waiting=sum(waiting.values()),
        months=allocation.months,
        cost=allocation.cost,
        money_left=allocation.budget_available - allocation.cost,
        waiting_by_reason=[
            Tally(str(reasons.get(reason, reason or "—")), n) for reason, n in waiting.most_common()
        ],
        per_agency=[Tally(name or "—", n, n * each) for name, n in per_agency],
        per_source=[Tally(name or "—", n, n * each) for name, n in per_source],
    )


def proposal_lines(*, allocation: Allocation, outcome: str) -> QuerySet[AllocationLine]:
    return (
        AllocationLine.objects.filter(allocation=allocation, outcome=outcome)
        .select_related("agency", "village", "funding_source")
        .order_by("rank")
    )

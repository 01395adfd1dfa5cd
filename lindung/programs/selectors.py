from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.domain.budget import BudgetFit, months_fundable, program_cost
from lindung.domain.contributions import Premium, monthly_premium
from lindung.domain.rulebook import Payer, RuleError, Sector
from lindung.programs.models import (
    FundingKind,
    FundingSource,
    Occupation,
    Program,
    ProgramStatus,
    Quota,
)
from lindung.rules.selectors import rulebook_for

PAYER_BY_FUNDING_KIND = {
    FundingKind.APBD: Payer.APBD,
    FundingKind.DBHCHT: Payer.APBD,  # DBHCHT is spent through the APBD (PMK 72/2024)
    FundingKind.PROVINCE: Payer.APBD,
    FundingKind.APBN: Payer.APBN,
    FundingKind.ADD: Payer.APBDES,
    FundingKind.APBDES: Payer.APBDES,
    FundingKind.CSR: Payer.CSR,
}


def program_list(*, user: User) -> QuerySet[Program]:
    """Programs of the user's Pemda. Operators see them too: they hand in lists for them."""
    return scope_to_pemda(Program.objects.all(), user).annotate(
        funding_total=Sum("funding_sources__amount")
    )


def program_current(*, user: User) -> Program | None:
    """The program a user works on by default: the newest open one of their Pemda, else the
    newest of any status."""
    programs = program_list(user=user)
    return (
        programs.filter(status=ProgramStatus.OPEN).order_by("-year").first()
        or programs.order_by("-year").first()
    )


def occupation_count(*, user: User) -> int:
    """Active occupations on the Pemda's list."""
    return scope_to_pemda(Occupation.objects.filter(is_active=True), user).count()


def program_get(*, user: User, pk: int) -> Program:
    return get_scoped_or_404(scope_to_pemda(Program.objects.all(), user), pk=pk)


def program_funding_sources(*, program: Program) -> QuerySet[FundingSource]:
    return program.funding_sources.select_related("agency").order_by("name")


def program_quotas(*, program: Program, user: User) -> QuerySet[Quota]:
    qs = program.quotas.select_related("agency", "region")
    if user.is_agency_scoped:
        qs = qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs


def occupation_list(*, user: User) -> QuerySet[Occupation]:
    return scope_to_pemda(Occupation.objects.all(), user).annotate(n_programs=Count("programs"))


def occupation_get(*, user: User, pk: int) -> Occupation:
    return get_scoped_or_404(scope_to_pemda(Occupation.objects.all(), user), pk=pk)


@dataclass(frozen=True)
class FundingLine:
    source: FundingSource
    premium: Premium


@dataclass(frozen=True)
class BudgetSummary:
    premium: Premium
    funding_total: int
    full_cost: int
    fit: BudgetFit | None
    lines: list[FundingLine]
    error: str = ""

    @property
    def shortfall(self) -> int:
        return max(self.full_cost - self.funding_total, 0)


def program_budget_summary(*, program: Program) -> BudgetSummary | None:
    """What the program costs at full quota under the rules in force at its start, and how
    many months its funding pays for."""
    rulebook = rulebook_for(pemda_id=program.pemda_id)
    sources = list(program_funding_sources(program=program))
    try:
        premium = monthly_premium(
            income=program.declared_income,
            benefits=program.benefits,
            month=program.start_month,
            payer=Payer.APBD,
            sector=Sector.OTHER,
            rulebook=rulebook,
        )
        lines = [
            FundingLine(
                source=s,
                premium=monthly_premium(
                    income=program.declared_income,
                    benefits=program.benefits,
                    month=program.start_month,
                    payer=PAYER_BY_FUNDING_KIND[FundingKind(s.kind)],
                    sector=Sector.OTHER,
                    payer_excluded=s.relief_excluded,
                    rulebook=rulebook,
                ),
            )
            for s in sources
        ]
    except (RuleError, LookupError) as exc:
        return BudgetSummary(
            premium=Premium(0, {}, "", False),
            funding_total=0,
            full_cost=0,
            fit=None,
            lines=[],
            error=str(exc),
        )
    funding_total = sum(s.amount for s in sources)
    full_cost = program_cost(
        participants=program.quota,
        months=program.coverage_months,
        monthly_premium=premium.monthly_total,
    )
    fit = (
        months_fundable(
            budget=funding_total, participants=program.quota, monthly_premium=premium.monthly_total
        )
        if program.quota and funding_total
        else None
    )
    return BudgetSummary(
        premium=premium, funding_total=funding_total, full_cost=full_cost, fit=fit, lines=lines
    )


def program_occupations(*, program: Program) -> QuerySet[Occupation]:
    """The occupations the program covers, by name."""
    return program.occupations.order_by("name")


def program_quota_allotted(*, program: Program) -> int:
    """Quota handed out to agencies (per-area quotas aside)."""
    return int(program.quotas.filter(region__isnull=True).aggregate(t=Sum("quota"))["t"] or 0)

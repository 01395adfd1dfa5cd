"""Reads of claims, scoped to the user's Pemda (claims are handled by ADMIN and VERIFIER)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.claims.models import Claim
from lindung.programs.models import Program
from lindung.workers.models import Enrolment


@dataclass(frozen=True)
class ClaimFilters:
    status: str = ""
    kind: str = ""
    agency_id: int | None = None


def claim_list(*, user: User, filters: ClaimFilters | None = None) -> QuerySet[Claim]:
    claims = scope_to_pemda(Claim.objects.all(), user).select_related(
        "enrolment__worker", "agency", "program"
    )
    filters = filters or ClaimFilters()
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.agency_id:
        claims = claims.filter(agency_id=filters.agency_id)
    return claims.order_by("-incident_on", "-pk")


def claim_get(*, user: User, pk: int) -> Claim:
    claims = scope_to_pemda(Claim.objects.all(), user).select_related(
        "enrolment__worker", "enrolment__funding_source", "agency", "program", "created_by"
    )
    return get_scoped_or_404(claims, pk=pk)


def participant_find(*, user: User, program: Program, number: str) -> list[Enrolment]:
    """The program's participants with this full NIK (16 digits) or KPJ number."""
    number = "".join(number.split())
    if not number.isdigit():
        return []
    enrolments = scope_to_pemda(Enrolment.objects.filter(program=program), user)
    if len(number) == 16:
        enrolments = enrolments.filter(worker__nik=number)
    else:
        enrolments = enrolments.filter(kpj=number)
    return list(enrolments.select_related("worker", "agency", "funding_source")[:5])


def enrolment_for_claim(*, user: User, pk: int) -> Enrolment:
    enrolments = scope_to_pemda(Enrolment.objects.all(), user).select_related(
        "worker", "program", "agency", "funding_source", "pemda"
    )
    return get_scoped_or_404(enrolments, pk=pk)

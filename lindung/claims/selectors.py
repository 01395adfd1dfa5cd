"""Reads of claims, scoped to the user's Pemda (claims are handled by ADMIN and VERIFIER)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.claims.models import Claim, ClaimDocument, Heir
from lindung.programs.models import Program
from lindung.regions.models import Region
from lindung.workers.models import Enrolment


@dataclass(frozen=True)
class ClaimFilters:
    status: str = ""
    kind: str = ""
    agency_id: int | None = None
    village: str = ""  # region code of the participant's village


def claim_list(*, user: User, filters: ClaimFilters | None = None) -> QuerySet[Claim]:
    claims = scope_to_pemda(Claim.objects.all(), user).select_related(
        "enrolment__worker", "enrolment__village", "agency", "program"
    )
    filters = filters or ClaimFilters()
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.agency_id:
        claims = claims.filter(agency_id=filters.agency_id)
    if filters.village:
        claims = claims.filter(enrolment__village_id=filters.village)
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


def claim_villages(*, user: User) -> QuerySet[Region]:
    """The villages of the participants the Pemda has claims for (the list's filter)."""
    villages = scope_to_pemda(Claim.objects.all(), user).values("enrolment__village_id")
    return Region.objects.filter(code__in=villages).order_by("name")


def heir_get(*, user: User, pk: int) -> Heir:
    heirs = scope_to_pemda(Heir.objects.all(), user, field="claim__pemda")
    return get_scoped_or_404(heirs.select_related("claim"), pk=pk)


def claim_document_get(*, user: User, pk: int) -> ClaimDocument:
    documents = scope_to_pemda(ClaimDocument.objects.all(), user, field="claim__pemda")
    return get_scoped_or_404(documents.select_related("claim"), pk=pk)

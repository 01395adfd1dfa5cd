"""Reads of register snapshots and verification results, scoped to the user's Pemda (and,
for agency and village operators, to their own agency's rows)."""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import User
from lindung.programs.models import Program
from lindung.verification.models import RegisterSnapshot, RowVerdict, RunStatus, VerificationRun


def snapshot_list(*, user: User) -> QuerySet[RegisterSnapshot]:
    """The user's Pemda's snapshots, newest first; none for a user with no Pemda."""
    return scope_to_pemda(RegisterSnapshot.objects.all(), user).order_by("-as_of", "-pk")


def run_current(*, program: Program) -> VerificationRun | None:
    """The program's newest finished run: the one whose verdicts count."""
    return (
        VerificationRun.objects.filter(program=program, status=RunStatus.DONE)
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

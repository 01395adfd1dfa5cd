"""Reads for the BPJS exchange pages, scoped to the user's Pemda."""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda
from lindung.accounts.models import User
from lindung.enrollment.models import BpjsExport, BpjsImport, BpjsImportLine
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, EnrolmentStatus


def approved_unsent_count(*, program: Program) -> int:
    """People approved and not yet in a registration file."""
    return Enrolment.objects.filter(program=program, status=EnrolmentStatus.APPROVED).count()


def export_list(*, user: User, program: Program) -> QuerySet[BpjsExport]:
    return scope_to_pemda(BpjsExport.objects.filter(program=program), user).select_related(
        "created_by"
    )


def export_get(*, user: User, pk: int) -> BpjsExport:
    return get_scoped_or_404(scope_to_pemda(BpjsExport.objects.all(), user), pk=pk)


def import_list(*, user: User, program: Program) -> QuerySet[BpjsImport]:
    return scope_to_pemda(BpjsImport.objects.filter(program=program), user).select_related(
        "created_by"
    )


def import_get(*, user: User, pk: int) -> BpjsImport:
    return get_scoped_or_404(
        scope_to_pemda(BpjsImport.objects.select_related("program"), user), pk=pk
    )


def import_lines(*, source: BpjsImport, outcome: str = "") -> QuerySet[BpjsImportLine]:
    """The file's rows in file order, of one outcome when given."""
    lines = BpjsImportLine.objects.filter(source=source)
    if outcome:
        lines = lines.filter(outcome=outcome)
    return lines.order_by("sheet", "row_number")


def enrolment_get(*, user: User, pk: int) -> Enrolment:
    """An enrolment of the user's Pemda, with its worker and program."""
    return get_scoped_or_404(
        scope_to_pemda(Enrolment.objects.select_related("worker", "program"), user), pk=pk
    )

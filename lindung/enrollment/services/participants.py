"""Writes about participants that are not state changes: every export of their personal
data (the participants CSV, cards) is recorded in the audit trail."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from lindung.accounts.models import Actor, Agency
from lindung.audit.services import audit_record
from lindung.common.tabular.values import formula_safe
from lindung.enrollment.selectors import EXPORT_COLUMNS, participants_for_export
from lindung.programs.models import Program
from lindung.workers.models import Enrolment


def participants_export(*, actor: Actor, program: Program, out: Path) -> dict[str, int]:
    """Write every participant of `program` (and its waiting list) as CSV to `out`, with
    exactly `EXPORT_COLUMNS`; texts that a spreadsheet would run are neutralised. Returns
    the rows per status. Audited as `participant.exported`."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        tmp = out.with_name(out.name + ".part")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            for row in participants_for_export(program=program):
                writer.writerow([formula_safe(value) for value in row])
                counts[row[3]] = counts.get(row[3], 0) + 1
        audit_record(
            actor=actor,
            action="participant.exported",
            obj=program,
            changes={"file": out.name, "count": sum(counts.values()), "counts": counts},
        )
        tmp.replace(out)
    return counts


def participant_cards_downloaded(
    *,
    actor: Actor,
    program: Program,
    count: int,
    agency: Agency | None = None,
    area: str = "",
    enrolment: Enrolment | None = None,
) -> None:
    """Record a download of participants' cards (personal data leaving the system)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="participant.cards_downloaded",
            obj=enrolment or program,
            pemda=program.pemda,
            changes={
                "count": count,
                "program": program.code,
                "agency": agency.code if agency else "",
                "region": area,
            },
        )

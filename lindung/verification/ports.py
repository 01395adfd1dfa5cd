"""What verification tells intake's pages and files (intake's port, decision 0007): each row's
verdict, findings and register link, scoped to the user who reads them."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from lindung.accounts.access import VERIFIERS
from lindung.accounts.models import User
from lindung.domain.nik import mask_nik
from lindung.intake.exports import RowVerification, SubmissionVerification
from lindung.intake.models import Submission
from lindung.verification import selectors
from lindung.verification.models import (
    LONG_DATETIME,
    MatchKind,
    RowVerdict,
    Verdict,
    VerificationRun,
)


def _register_text(verdict: RowVerdict, run: VerificationRun, masked: bool) -> str:
    if verdict.match == MatchKind.NONE or not verdict.register_id:
        return ""
    source = str(run.snapshot) if run.snapshot else "DTKS/DTSEN"
    nik = verdict.register_nik
    parts = [f"{source}: ID {verdict.register_id}"]
    if nik:
        parts.append(f"NIK {mask_nik(nik) if masked else nik}")
    if verdict.desil:
        parts.append(_("desil %s") % verdict.desil)
    text = ", ".join(parts)
    if verdict.review_match:
        text += " " + _("(belum dipastikan pemeriksa)")
    return text


def submission_verification(
    user: User, submission: Submission, row_ids: Collection[int] | None
) -> SubmissionVerification | None:
    """The current run's conclusions on a submission's rows the user may see: an operator
    only their agency's rows, register NIKs masked for anyone but verifiers and admins."""
    run, verdicts = selectors.verdicts_of_submission(user=user, submission=submission)
    if run is None:
        return None
    counts = dict(verdicts.values_list("verdict").annotate(n=Count("pk")).order_by())
    if not counts:
        return None
    masked = user.role not in VERIFIERS
    labels = dict(Verdict.choices)
    rows = verdicts if row_ids is None else verdicts.filter(row_id__in=row_ids)
    by_row = {
        v.row_id: RowVerification(
            verdict=v.verdict,
            verdict_label=str(labels.get(v.verdict, v.verdict)),
            findings=tuple(f["message"] for f in v.findings),
            register_match=_register_text(v, run, masked),
        )
        for v in rows.only(
            "row_id", "verdict", "findings", "match", "register_id", "register_nik", "desil",
            "review_match",
        )
    }  # fmt: skip
    label = _("Verifikasi #%(n)s, %(when)s, terhadap %(snapshot)s") % {
        "n": run.pk,
        "when": date_format(localtime(run.finished_at), LONG_DATETIME) if run.finished_at else "",
        "snapshot": str(run.snapshot) if run.snapshot else _("tanpa data DTKS/DTSEN"),
    }
    return SubmissionVerification(label=label, counts=counts, rows=by_row)

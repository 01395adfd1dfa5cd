"""Cover on the day of an incident (a death or a work accident) for a BPU, from the months
billed and the months paid by that day.

- A BPU pays for a month no later than the 15th of that same month (PP 44/2015 Pasal 24
  ayat (3)); a month whose 15th lies before the incident and is not paid by the incident is
  in arrears. (A 15th falling on a holiday moves to the next working day; holidays are not
  known here, so the 15th is used.)
- Arrears (``domain.arrears.paid_status``, billing's rule: overdue months of the current
  membership) of up to ``max_arrears_months`` leave the right intact once settled; more and there
  is no entitlement (PP 44/2015 Pasal 39 for JKK, Pasal 42 for JKM).
- JKM pays in full only after ``jkm_min_consecutive_months`` consecutive paid months
  (BPJSTK operational rule, medium confidence): counted here as the latest unbroken run of
  paid months up to the incident's month (an overdue month still to be settled does not
  break it: PP 44/2015 Pasal 42 ayat (1) pays once the arrears are settled; billing's
  ``paid_run`` stops at it instead).
- The JKM scholarship needs ``jkm_scholarship_min_years`` of contributions (PP 82/2019
  Pasal 34 ayat (1) huruf d); JKK needs no minimum period (Pasal 25 ayat (2)).
- The right to claim JKK lapses 5 years after the accident (PP 82/2019 Pasal 26); an accident
  is reported (stage I) within 2 × 24 hours (PP 44/2015 Pasal 44).

Pure: no Django; dates and months passed in, months are first-of-month dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from lindung.domain.allocation import add_months
from lindung.domain.arrears import paid_status
from lindung.domain.rulebook import BenefitTable, month_start

JKK_CLAIM_YEARS = 5  # PP 82/2019 Pasal 26
STAGE_ONE_REPORT_DAYS = 2  # PP 44/2015 Pasal 44: 2 × 24 hours


class ClaimType(StrEnum):
    """What a claim asks BPJS for; the first is JKM, the others JKK."""

    JKM = "JKM"
    JKK_DEATH = "JKK-DEATH"
    JKK_CTT = "JKK-CTT"
    JKK_PARTIAL = "JKK-PARTIAL"
    JKK_STMB = "JKK-STMB"

    @property
    def is_jkk(self) -> bool:
        return self is not ClaimType.JKM

    @property
    def is_death(self) -> bool:
        return self in (ClaimType.JKM, ClaimType.JKK_DEATH)


@dataclass(frozen=True)
class Cover:
    """Cover on the incident day: whether the person was covered and entitled, the months
    counted, what must be settled first, and the reasons (Bahasa Indonesia)."""

    incident: date
    covered: bool
    entitled: bool
    months_due: tuple[date, ...]
    paid_months: tuple[date, ...]
    arrears: tuple[date, ...]
    consecutive_paid: int
    contribution_months: int
    scholarship_eligible: bool
    claim_deadline: date | None
    report_deadline: date | None
    reasons: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "incident": self.incident.isoformat(),
            "covered": self.covered,
            "entitled": self.entitled,
            "months_due": [m.strftime("%Y-%m") for m in self.months_due],
            "paid_months": [m.strftime("%Y-%m") for m in self.paid_months],
            "arrears": [m.strftime("%Y-%m") for m in self.arrears],
            "consecutive_paid": self.consecutive_paid,
            "contribution_months": self.contribution_months,
            "scholarship_eligible": self.scholarship_eligible,
            "claim_deadline": self.claim_deadline.isoformat() if self.claim_deadline else None,
            "report_deadline": self.report_deadline.isoformat() if self.report_deadline else None,
            "reasons": list(self.reasons),
        }


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first``'s to ``last``'s, both included (empty if reversed)."""
    months: list[date] = []
    month, end = month_start(first), month_start(last)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def consecutive_run(paid: Iterable[date], *, up_to: date) -> int:
    """The latest unbroken run of paid months ending at the last paid month on or before
    ``up_to``'s month."""
    months = sorted({month_start(m) for m in paid if month_start(m) <= month_start(up_to)})
    if not months:
        return 0
    run, month = 0, months[-1]
    present = set(months)
    while month in present:
        run += 1
        month = add_months(month, -1)
    return run


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cover_on(
    *,
    incident: date,
    claim_type: ClaimType,
    covered_from: date | None,
    covered_to: date | None,
    registered: bool,
    paid: Iterable[date],
    table: BenefitTable,
    today: date,
) -> Cover:
    """Cover for ``claim_type`` on ``incident``.

    ``covered_from``/``covered_to``: the enrolment's start (TMT) and end (none: open);
    ``registered``: sent to and accepted by BPJS; ``paid``: the months (first-of-month)
    whose payment was recorded on or before the incident, from every enrolment of the person
    (contribution months count across program years); ``today``: for the deadlines.
    """
    paid_set = {month_start(m) for m in paid if month_start(m) <= month_start(incident)}
    reasons: list[str] = []
    covered = registered and covered_from is not None and covered_from <= incident
    if covered and covered_to is not None and incident > covered_to:
        covered = False
    if not registered:
        reasons.append("Kepesertaan belum terdaftar di BPJS Ketenagakerjaan pada tanggal kejadian.")
    elif covered_from is None or incident < covered_from:
        reasons.append("Tanggal kejadian sebelum kepesertaan mulai (TMT).")
    elif not covered:
        reasons.append("Tanggal kejadian sesudah kepesertaan berakhir.")

    due = months_between(covered_from, incident) if covered_from is not None else []
    # Overdue months of the current membership (a lapse closed by a later payment starts a
    # new one): billing's own rule, domain.arrears.
    arrears = paid_status(billed=due, paid=paid_set, as_of=incident).unpaid_due
    run = consecutive_run(paid_set, up_to=incident)
    contributed = len(paid_set)
    entitled = covered
    if covered and len(arrears) > table.max_arrears_months:
        entitled = False
        article = "Pasal 39 ayat (2)" if claim_type.is_jkk else "Pasal 42 ayat (2)"
        reasons.append(
            f"Tunggakan iuran {len(arrears)} bulan pada tanggal kejadian, lebih dari "
            f"{table.max_arrears_months} bulan: tidak berhak manfaat (PP 44/2015 {article})."
        )
    elif covered and arrears:
        reasons.append(
            f"Tunggakan iuran {len(arrears)} bulan harus dilunasi lebih dahulu: "
            + ", ".join(m.strftime("%m-%Y") for m in arrears)
            + (" (PP 44/2015 Pasal 39 ayat (1))." if claim_type.is_jkk else " (Pasal 42 ayat (1)).")
        )

    claim_deadline = report_deadline = None
    if claim_type.is_jkk:
        claim_deadline = _years_later(incident, JKK_CLAIM_YEARS)
        report_deadline = incident + timedelta(days=STAGE_ONE_REPORT_DAYS)
        if today > claim_deadline:
            entitled = False
            reasons.append(
                f"Hak klaim JKK gugur: lebih dari {JKK_CLAIM_YEARS} tahun sejak kecelakaan "
                "(PP 82/2019 Pasal 26)."
            )
    scholarship = False
    if claim_type is ClaimType.JKM:
        scholarship = contributed >= table.jkm_scholarship_min_years * 12
    elif claim_type in (ClaimType.JKK_DEATH, ClaimType.JKK_CTT):
        scholarship = True  # no minimum period (PP 82/2019 Pasal 25 ayat (2))
    return Cover(
        incident=incident,
        covered=covered,
        entitled=entitled,
        months_due=tuple(due),
        paid_months=tuple(sorted(paid_set)),
        arrears=arrears,
        consecutive_paid=run,
        contribution_months=contributed,
        scholarship_eligible=scholarship and entitled,
        claim_deadline=claim_deadline,
        report_deadline=report_deadline,
        reasons=tuple(reasons),
    )

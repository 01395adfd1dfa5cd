"""The demo year's claims (`lindung.demo.claims`), made on 02-06-2025: a death on 14-04-2025
followed to the hand-over (the enrolment ended as deceased, so May's bill no longer holds the
person), a work accident of 05-05-2025 submitted to BPJS, and one of 01-06-2025 reported."""

from __future__ import annotations

import datetime as dt

from lindung.audit.models import AuditEvent
from lindung.billing.models import BillLine
from lindung.claims.models import Claim
from lindung.enrollment.models import AllocationLine, LineOutcome
from lindung.workers.models import Restriction


def test_the_demo_holds_a_death_handed_over_an_accident_submitted_and_one_reported(demo):
    claims = Claim.objects.order_by("incident_on")

    assert [(c.kind, c.status, c.incident_on) for c in claims] == [
        ("JKM", "handed_over", dt.date(2025, 4, 14)),
        ("JKK-STMB", "submitted", dt.date(2025, 5, 5)),
        ("JKK-STMB", "reported", dt.date(2025, 6, 1)),
    ]
    death, submitted, reported = claims
    # January–April paid (SP2D on or before the 10th, March on the 20th) and entered by the
    # death: 4 consecutive months ≥ 3, so the full JKM of Rp 42 juta (PP 82/2019).
    assert death.cover["paid_months"] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert (death.total, death.paid_amount) == (42_000_000, 42_000_000)
    assert (death.paid_on, death.handed_over_on) == (dt.date(2025, 5, 14), dt.date(2025, 5, 21))
    assert death.handed_over_by == "Bupati Tulungagung"
    # STMB at the Rp 1 juta band: 100 % of the wage for each month off work.
    assert (submitted.months_off_work, submitted.total) == (2, 2_000_000)
    assert (reported.months_off_work, reported.total) == (1, 1_000_000)
    assert {e.actor.username for e in AuditEvent.objects.filter(action__startswith="claim.")} == {
        "verifikator",
        "admin",
    }


def test_the_reported_death_ends_the_enrolment_and_may_no_longer_bills_the_person(demo):
    death = Claim.objects.select_related("enrolment__worker").get(kind="JKM")
    enrolment = death.enrolment

    assert (enrolment.status, enrolment.end_reason) == ("ended", "deceased")
    assert enrolment.ended_on == enrolment.worker.died_on == dt.date(2025, 4, 14)
    billed = set(BillLine.objects.filter(enrolment=enrolment).values_list("bill__month", flat=True))
    assert billed == {dt.date(2025, m, 1) for m in range(1, 5)}


def test_the_last_person_waiting_asked_for_a_restriction_the_admin_recorded(demo):
    """UU PDP Pasal 11 in the demo: one restriction in force, placed by the admin, audited."""
    restriction = Restriction.objects.get()
    assert restriction.placed_by.username == "admin"
    assert "Pasal 11" in restriction.reason
    assert AllocationLine.objects.filter(nik=restriction.nik, outcome=LineOutcome.WAITING).exists()
    assert AuditEvent.objects.filter(action="restriction.placed").count() == 1

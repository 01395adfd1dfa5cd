"""Cover and entitlement on an incident day from the records: the enrolment (start, end,
status) and the months the treasury's payments cover.

A month counts as paid when a payment covering it for the participant's funding source was
*recorded* on or before the incident day: the payment's `recorded_at`, taken as a date in
the Pemda's time zone, and its SP2D date (`paid_on`) are both on or before the incident day.
A payment entered afterwards, even for an SP2D dated earlier, does not count. Corrections
(negative amounts) cover nothing. Contribution months count across all the person's
enrolments in the Pemda (program years), each with its own funding source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from lindung.billing.models import PaymentMonth
from lindung.domain.cover import ClaimType, Cover, cover_on
from lindung.domain.entitlement import Entitlement, Transport, entitlement_of
from lindung.domain.rulebook import month_start
from lindung.enrollment.lifecycle import enrolment_start
from lindung.rules.selectors import rulebook_for
from lindung.workers.models import Enrolment, EnrolmentStatus

# Statuses of an enrolment BPJS registered (an ended one was registered until its end).
REGISTERED = (EnrolmentStatus.SENT, EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED)


def _end_of_day(day: dt.date, zone: str) -> dt.datetime:
    """The first instant after ``day`` in the Pemda's time zone."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(zone))


def paid_months_by(*, enrolment: Enrolment, incident_on: dt.date) -> set[dt.date]:
    """Months (first of month) of the person's enrolments paid by a payment recorded on or
    before ``incident_on``."""
    zone = enrolment.pemda.timezone
    enrolments = Enrolment.objects.filter(
        pemda_id=enrolment.pemda_id,
        worker_id=enrolment.worker_id,
        status__in=REGISTERED,
        funding_source__isnull=False,
    ).select_related("program")
    months: set[dt.date] = set()
    for each in enrolments:
        first = month_start(enrolment_start(each))
        last = month_start(min(each.ended_on or incident_on, incident_on))
        rows = PaymentMonth.objects.filter(
            pemda_id=each.pemda_id,
            funding_source_id=each.funding_source_id,
            month__gte=first,
            month__lte=last,
            payment__amount__gt=0,
            payment__paid_on__lte=incident_on,
            payment__recorded_at__lt=_end_of_day(incident_on, zone),
        ).values_list("month", flat=True)
        months.update(rows)
    return months


def cover_for(
    *, enrolment: Enrolment, kind: ClaimType, incident_on: dt.date, today: dt.date | None = None
) -> Cover:
    table = rulebook_for(pemda_id=enrolment.pemda_id).benefits_for(incident_on)
    registered = enrolment.status in REGISTERED
    return cover_on(
        incident=incident_on,
        claim_type=kind,
        covered_from=enrolment.started_on or enrolment_start(enrolment),
        covered_to=enrolment.ended_on,
        registered=registered,
        paid=paid_months_by(enrolment=enrolment, incident_on=incident_on),
        table=table,
        today=today or timezone.localdate(),
    )


def entitlement_for(
    *,
    enrolment: Enrolment,
    kind: ClaimType,
    incident_on: dt.date,
    months_off_work: Decimal | None = None,
    percent: Decimal | None = None,
    transport: Transport | None = None,
    children: int = 0,
    today: dt.date | None = None,
) -> tuple[Cover, Entitlement]:
    """The cover on ``incident_on`` and the itemised entitlement (raises ``RuleError`` for a
    missing percent or months off work)."""
    cover = cover_for(enrolment=enrolment, kind=kind, incident_on=incident_on, today=today)
    result = entitlement_of(
        claim_type=kind,
        cover=cover,
        income=enrolment.program.declared_income,
        rulebook=rulebook_for(pemda_id=enrolment.pemda_id),
        months_off_work=months_off_work,
        percent=percent,
        transport=transport,
        children=children,
    )
    return cover, result

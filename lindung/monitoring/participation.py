"""Participation kept as counts of changes per day, so that any date is a sum, not a scan.

A participant is active on a date when their enrolment started on or before it and had not
ended before it (`coverage.active_on`). Every enrolment that can ever be active (started, not
rejected, not ended without a date, not ended before it started) adds one start on its
`started_on` and, once ended, one end on its `ended_on`; the number active on D is then the
starts up to D less the ends before D. `ParticipationChange` holds those starts and ends per
day and per value of one dimension — place (village), agency, funding source, occupation,
sex, birth year, birth date — per district and (for all but birth date, place counted per
district) for the whole Pemda (`*`): a dashboard over 500.000 participants sums a few
thousand rows.

Age bands need the birth date, not only the year: on D someone born in year Y is
D.year − Y years old, one less when their birthday falls after D's. The birth-year counts give
every band but the people of a year whose two possible ages fall in different bands; those
(born after D's day and month in such a year) are counted from the birth-date rows.

The rows are rebuilt from the enrolments (`participation_refresh`, a few grouped
INSERT … SELECT) and stamped with `fingerprint_of` the data; `participation_on` answers only
while the stamp still matches (else None: the caller counts the enrolments directly, exact
but slower). A background job (`refresh_participation`) rebuilds a Pemda's programs after
each committed audit event of an action that changes the figures (`COUNTED_ACTIONS`), and
`lindung monitoring-refresh` does it by hand (after a bulk load outside the services).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lindung.audit.models import AuditEvent
from lindung.domain.monitoring import AGE_BANDS, age_band
from lindung.enrollment.capacity import SpanRow, holders_of, span_rows
from lindung.monitoring.actions import COUNTED_ACTIONS, counts_action
from lindung.monitoring.models import ParticipationChange, ParticipationStamp
from lindung.programs.models import Program
from lindung.workers.models import Enrolment, EnrolmentStatus

WHOLE = "*"  # the district of the whole Pemda's rows
DISTRICT_CODE_LENGTH = 8  # "35.04.02"
PLACE, AGENCY, SOURCE, OCCUPATION, SEX, BIRTH_YEAR, BIRTH_DATE = (
    "place", "agency", "source", "occupation", "sex", "birthyear", "birthdate",
)  # fmt: skip
DISTRICT = "district"  # the whole Pemda's place rows, per district (key: its code)
# Counted per district and for the whole Pemda; place and birth date per district only.
SMALL = (AGENCY, SOURCE, OCCUPATION, SEX, BIRTH_YEAR)


def fingerprint_of(program: Program) -> tuple[object, ...]:
    """What changes when the figures may have: the Pemda's newest audit event of an action
    that counts (every service write is audited), the program's newest enrolment (catches
    enrolments written in bulk outside a service) and the program's version."""
    counted = Q()
    for prefix in COUNTED_ACTIONS:
        counted |= Q(action__startswith=prefix)
    latest = (
        AuditEvent.objects.filter(counted, pemda_id=program.pemda_id)
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    newest = Enrolment.objects.filter(program=program).aggregate(last=Max("id"))["last"]
    return (latest, newest, program.version)


def _stamp(fingerprint: tuple[object, ...]) -> str:
    return ":".join(str(part) for part in fingerprint)


def _text(expression: Combinable | str) -> Coalesce:
    return Coalesce(Cast(expression, CharField()), Value(""), output_field=CharField())


def _keys() -> dict[str, object]:
    """Each dimension's value of an enrolment (annotated with `place`), as text."""
    birth = Cast("worker__birth_date", CharField())
    return {
        PLACE: F("place"),
        AGENCY: _text(Coalesce("agency_id", "worker__agency_id", output_field=IntegerField())),
        SOURCE: _text("funding_source_id"),
        OCCUPATION: _text("worker__occupation_id"),
        SEX: Coalesce("worker__sex", Value(""), output_field=CharField()),
        BIRTH_YEAR: Coalesce(Substr(birth, 1, 4), Value(""), output_field=CharField()),
        BIRTH_DATE: Coalesce(birth, Value(""), output_field=CharField()),
    }


def _population(program: Program) -> QuerySet[Enrolment]:
    """The program's enrolments that are active on some day (see the module docstring)."""
    return (
        Enrolment.objects.filter(program=program, started_on__isnull=False)
        .exclude(status=EnrolmentStatus.REJECTED)
        .exclude(ended_on__isnull=True, status=EnrolmentStatus.ENDED)
        .exclude(ended_on__lt=F("started_on"))
        .annotate(
            place=Coalesce("village_id", "worker__village_id", Value(""), output_field=CharField())
        )
        .order_by()
    )


COLUMNS = ("program_id", "dimension", "district", "key", "day", "starts", "ends")
STAGING = "monitoring_participation_staging"  # a temporary table, one per connection


def _names(*names: str) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _insert(rows: QuerySet[Any, Any], table: str = STAGING) -> None:
    """INSERT … SELECT of a values_list in `COLUMNS` order into `table`."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} ({_names(*COLUMNS)}) {sql}",
            params,
        )


def _stage(program: Program) -> None:
    """Build the program's rows in the temporary table `STAGING` (the database's own tables
    only read, so SQLite's other writers are not held up meanwhile): per district, then the
    whole Pemda's per value and its place per district."""
    table = connection.ops.quote_name(STAGING)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ({_names('program_id')} bigint NOT NULL, "
            f"{_names('dimension')} varchar(10) NOT NULL, {_names('district')} varchar(16) "
            f"NOT NULL, {_names('key')} varchar(20) NOT NULL, {_names('day')} date NOT NULL, "
            f"{_names('starts')} integer NOT NULL, {_names('ends')} integer NOT NULL)"
        )
    for name, value in _keys().items():
        for ended in (False, True):
            _insert(_grouped(program, name, value, ends=ended))
    program_id, dimension, district, key, day, starts, ends = (
        connection.ops.quote_name(c) for c in COLUMNS
    )
    small = ", ".join(["%s"] * len(SMALL))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_names(*COLUMNS)}) SELECT {program_id}, {dimension}, %s, "  # noqa: S608
            f"{key}, {day}, SUM({starts}), SUM({ends}) FROM {table} WHERE {dimension} IN "
            f"({small}) GROUP BY {program_id}, {dimension}, {key}, {day}",
            [WHOLE, *SMALL],
        )
        cursor.execute(
            f"INSERT INTO {table} ({_names(*COLUMNS)}) SELECT {program_id}, %s, %s, "  # noqa: S608
            f"{district}, {day}, SUM({starts}), SUM({ends}) FROM {table} WHERE {dimension} = "
            f"%s GROUP BY {program_id}, {district}, {day}",
            [DISTRICT, WHOLE, PLACE],
        )


def _grouped(
    program: Program, dimension: str, key: object, *, ends: bool
) -> QuerySet[Enrolment, Any]:
    population = _population(program)
    if ends:
        population = population.filter(ended_on__isnull=False)
    counted = Count("id")
    return (
        population.annotate(
            p_=Value(program.pk, output_field=IntegerField()),
            m_=Value(dimension, output_field=CharField()),
            d_=Substr("place", 1, DISTRICT_CODE_LENGTH),
            k_=key,
            day_=F("ended_on" if ends else "started_on"),
        )
        .values("p_", "m_", "d_", "k_", "day_")
        .annotate(
            s_=Value(0, output_field=IntegerField()) if ends else counted,
            e_=counted if ends else Value(0, output_field=IntegerField()),
        )
        .values_list("p_", "m_", "d_", "k_", "day_", "s_", "e_")
    )


def participation_refresh(program: Program) -> int:
    """Rebuild the program's `ParticipationChange` rows from its enrolments and stamp them;
    the number of rows. The fingerprint is read first: a change made meanwhile leaves the
    stamp behind the data (read again later), never ahead of it."""
    fingerprint = _stamp(fingerprint_of(program))
    table = connection.ops.quote_name(STAGING)
    main = connection.ops.quote_name(ParticipationChange._meta.db_table)
    try:
        _stage(program)
        spans = [[_iso(v) for v in row] for row in span_rows(program)]
        holders = holders_of(program)
        with transaction.atomic():  # the swap: the only part that writes the real table
            ParticipationChange.objects.filter(program=program).delete()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {main} ({_names(*COLUMNS)}) "  # noqa: S608
                    f"SELECT {_names(*COLUMNS)} FROM {table}"
                )
            rows = ParticipationChange.objects.filter(program=program).count()
            ParticipationStamp.objects.update_or_create(
                program=program,
                defaults={
                    "fingerprint": fingerprint,
                    "rows": rows,
                    "spans": spans,
                    "holders": holders,
                    "refreshed_at": timezone.now(),
                },
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return rows


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def kept_spans(program: Program) -> tuple[list[SpanRow], int]:
    """The budget's enrolment groups (`enrollment.capacity.span_rows`) and the number holding
    a slot (`holders_of`) as kept at the last refresh; only for a program whose kept counts
    are current (`participation_fresh`)."""
    found = ParticipationStamp.objects.filter(program=program).values_list("spans", "holders")
    spans, holders = found.first() or ([], 0)
    return [
        (int(source), _date(month), _date(started), _date(ended), int(n))
        for source, month, started, ended, n in spans
    ], holders


def participation_fresh(program: Program, fingerprint: tuple[object, ...] | None = None) -> bool:
    """Whether the program's rows were built from the data as it is now (`fingerprint`, when
    the caller has it already)."""
    if fingerprint is None:
        fingerprint = fingerprint_of(program)
    stamp = ParticipationStamp.objects.filter(program=program).values_list("fingerprint", flat=True)
    found = stamp.first()
    return found is not None and found == _stamp(fingerprint)


def refresh_stale(programs: Iterable[Program]) -> list[Program]:
    """Rebuild those of `programs` whose rows are out of date; the ones rebuilt."""
    done = []
    for program in programs:
        if not participation_fresh(program):
            participation_refresh(program)
            done.append(program)
    return done


@task()
def refresh_participation(pemda_id: int) -> None:
    """The background job after an audited change: rebuild the Pemda's stale programs."""
    refresh_stale(Program.objects.filter(pemda_id=pemda_id).order_by("-year", "pk"))


def _queue_refresh(pemda_id: int) -> None:
    """Queue `refresh_participation` for the Pemda unless one is already waiting to start (it
    will see this change: it reads the data when it starts)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_participation.module_path
    ).values_list("args_kwargs", flat=True)
    if any((found or {}).get("args") == [pemda_id] for found in waiting):
        return
    refresh_participation.enqueue(pemda_id)


def on_audit_event(sender: object, instance: AuditEvent, created: bool, **kwargs: object) -> None:
    """Queue `refresh_participation` once an audited change of the figures commits; a failure
    to queue is logged, never raised into the service that already committed."""
    if created and instance.pemda_id and counts_action(instance.action):
        pemda_id = instance.pemda_id
        transaction.on_commit(lambda: _queue_refresh(pemda_id), robust=True)


@dataclass(frozen=True)
class Participation:
    """Active participants on `as_of` per value of each dimension (keys as stored, "" =
    unknown; place: village code, or district code for the whole Pemda) and per age band."""

    as_of: dt.date
    counts: dict[str, Counter[str]]
    bands: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.counts.get(PLACE, Counter()).values())


def _active(rows: QuerySet[ParticipationChange], as_of: dt.date) -> Iterable[tuple[str, str, int]]:
    grouped = (
        rows.filter(day__lte=as_of)
        .order_by()
        .values("dimension", "key")
        .annotate(n=Coalesce(Sum("starts"), 0) - Coalesce(Sum("ends", filter=Q(day__lt=as_of)), 0))
        .values_list("dimension", "key", "n")
    )
    return iter(grouped)


def _bands(
    program: Program, as_of: dt.date, district: str | None, years: Counter[str]
) -> Counter[str]:
    """Age bands on `as_of` from the birth-year counts, with those born after `as_of`'s day
    and month in a year whose two possible ages fall in different bands moved one band down
    (counted from the birth-date rows)."""
    bands: Counter[str] = Counter()
    split: list[int] = []
    for key, n in years.items():
        if not key.isdigit():
            bands["—"] += n
            continue
        age = as_of.year - int(key)
        bands[age_band(age)] += n
        if age_band(age) != age_band(age - 1):
            split.append(int(key))
    if not split:
        return bands
    day = as_of.strftime("%m-%d")
    rows = ParticipationChange.objects.filter(program=program, dimension=BIRTH_DATE)
    if district is not None:
        rows = rows.filter(district=district)
    for year in split:  # one index range each (SQLite reads an OR of ranges row by row)
        born = rows.filter(key__gt=f"{year:04d}-{day}", key__lte=f"{year:04d}-12-31")
        totals = born.filter(day__lte=as_of).aggregate(
            starts=Coalesce(Sum("starts"), 0),
            ends=Coalesce(Sum("ends", filter=Q(day__lt=as_of)), 0),
        )
        n = totals["starts"] - totals["ends"]
        age = as_of.year - year
        bands[age_band(age)] -= n
        bands[age_band(age - 1)] += n
    return bands


def participation_on(
    program: Program,
    as_of: dt.date,
    *,
    district: str | None = None,
    fresh: bool | None = None,
    dimensions: tuple[str, ...] = (PLACE, *SMALL),
) -> Participation | None:
    """Active participants on `as_of` per dimension (of one district's people when
    `district`), from the kept counts; None when they are out of date."""
    if fresh is None:
        fresh = participation_fresh(program)
    if not fresh:
        return None
    counts: dict[str, Counter[str]] = {}
    rows = ParticipationChange.objects.filter(program=program)
    for dimension in dimensions:  # one query each: SQLite then keeps to the covering index
        if district is not None:
            part = rows.filter(dimension=dimension, district=district)
        elif dimension == PLACE:  # the whole Pemda's people per district, not village
            part = rows.filter(dimension=DISTRICT, district=WHOLE)
        else:
            part = rows.filter(dimension=dimension, district=WHOLE)
        for _dimension, key, n in _active(part, as_of):
            if n:
                counts.setdefault(dimension, Counter())[key] += n
    bands = _bands(program, as_of, district, counts.get(BIRTH_YEAR, Counter()))
    return Participation(as_of=as_of, counts=counts, bands=+bands)


def age_order() -> list[str]:
    return ["<15", *(f"{lo}-{hi}" if hi else f"{lo}+" for lo, hi in AGE_BANDS), "—"]

"""Coverage on any date, per district, against the workforce."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.domain.monitoring import growth_rate
from lindung.monitoring.coverage import coverage_of, rate_of
from lindung.monitoring.models import Workforce
from lindung.workers.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db

BESOLE = "35.04.15.2001"  # a village of Kecamatan Besuki
BANDUNG_VILLAGE = "35.04.17.2001"


def test_it_recomputes_gresiks_published_rate():
    # 246.305 protected workers of 628.952: 39,16 % (Gresik, against East Java's 33,4 %).
    assert rate_of(246_305, 628_952) == Decimal("39.16")


def test_it_recomputes_tulungagungs_growth_from_one_year_to_the_next():
    # 27.500 participants in one year, 37.500 the next: 10.000 / 27.500 = +36,36… → +36,4 %.
    assert growth_rate(before=27_500, after=37_500) == Decimal("36.4")


def test_a_district_without_a_workforce_figure_has_no_rate():
    assert rate_of(10, None) is None


def _enrol(program, village, **kwargs):
    return EnrolmentFactory(program=program, village_id=village, **kwargs)


def test_as_of_a_past_date_it_ignores_later_entries_and_counts_people_who_left_later(program):
    day = dt.date(2025, 2, 15)
    _enrol(program, BESOLE, started_on=dt.date(2025, 1, 1))  # counts
    _enrol(program, BESOLE, started_on=dt.date(2025, 3, 1))  # entered later
    _enrol(  # left later: counts
        program,
        BESOLE,
        started_on=dt.date(2025, 1, 1),
        status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 5, 31),
    )
    _enrol(  # left before
        program,
        BESOLE,
        started_on=dt.date(2025, 1, 1),
        status=EnrolmentStatus.ENDED,
        ended_on=dt.date(2025, 2, 1),
    )
    _enrol(program, BANDUNG_VILLAGE, started_on=dt.date(2024, 12, 1), imported=True)  # counts
    _enrol(program, BESOLE, started_on=None, status=EnrolmentStatus.APPROVED)  # not yet started
    _enrol(program, BESOLE, started_on=None, status=EnrolmentStatus.REJECTED)

    past = coverage_of(program, day)
    today = coverage_of(program, dt.date(2025, 6, 30))

    assert past.active == 3
    by_code = {r.code: r.active for r in past.regions}
    assert by_code["35.04.15"] == 2
    assert by_code["35.04.17"] == 1
    assert today.active == 3  # the later entry in, the one who left in May out


def test_it_lists_every_district_with_its_rate_against_the_workforce(program, pemda):
    for _ in range(3):
        _enrol(program, BESOLE)
    Workforce.objects.create(
        pemda=pemda, year=2025, region_id="35.04.15", working=400, source="BPS"
    )

    coverage = coverage_of(program, dt.date(2025, 6, 1))

    assert len(coverage.regions) == 19  # every district of Tulungagung
    besuki = next(r for r in coverage.regions if r.code == "35.04.15")
    assert (besuki.active, besuki.workforce, besuki.rate) == (3, 400, Decimal("0.75"))
    assert next(r for r in coverage.regions if r.code == "35.04.17").rate is None


def test_a_district_without_its_own_figure_adds_up_its_villages(program, pemda):
    _enrol(program, BESOLE)
    for village, working in ((BESOLE, 300), ("35.04.15.2002", 200)):
        Workforce.objects.create(
            pemda=pemda, year=2025, region_id=village, working=working, source="Dukcapil"
        )

    besuki = next(
        r for r in coverage_of(program, dt.date(2025, 6, 1)).regions if r.code == "35.04.15"
    )

    assert besuki.workforce == 500
    assert besuki.rate == Decimal("0.20")


def test_the_workforce_of_an_earlier_year_serves_a_later_program(pemda):
    program = ProgramFactory(pemda=pemda, code="p-2026", year=2026, start_month=dt.date(2026, 1, 1))
    Workforce.objects.create(pemda=pemda, year=2025, region_id="35.04.15", working=10, source="BPS")

    coverage = coverage_of(program, dt.date(2026, 3, 1))

    assert coverage.workforce_year == 2025


def test_the_command_prints_every_district_as_of_a_date(program, pemda):
    _enrol(program, BESOLE, started_on=dt.date(2025, 1, 1))
    _enrol(program, BESOLE, started_on=dt.date(2025, 4, 1))
    Workforce.objects.create(pemda=pemda, year=2025, region_id="35.04.15", working=8, source="BPS")
    out = StringIO()

    call_command(
        "coverage", "--program", program.code, "--as-of", "2025-02-01", "--json", stdout=out
    )

    payload = json.loads(out.getvalue())
    assert payload["as_of"] == "2025-02-01"
    assert (payload["active"], payload["quota"]) == (1, 37_500)
    assert len(payload["by_district"]) == 19
    besuki = next(d for d in payload["by_district"] if d["code"] == "35.04.15")
    assert besuki == {
        "code": "35.04.15",
        "name": "Besuki",
        "active": 1,
        "workforce": 8,
        "rate": 0.125,
    }
    assert next(d for d in payload["by_district"] if d["code"] == "35.04.01")["rate"] is None


def test_a_participant_without_a_village_on_the_enrolment_counts_in_the_workers_village(program):
    # The roster BPJS handed over names no village on the enrolment; the worker has one.
    enrolment = _enrol(program, None)
    enrolment.worker.village_id = BESOLE
    enrolment.worker.save()
    _enrol(program, BANDUNG_VILLAGE)

    coverage = coverage_of(program, dt.date(2025, 6, 1))

    by_code = {r.code: r.active for r in coverage.regions}
    assert (by_code["35.04.15"], by_code["35.04.17"], coverage.unplaced) == (1, 1, 0)

"""Cover on the incident day (PP 44/2015 Pasal 24, 39, 42, 44; PP 82/2019 Pasal 25, 26, 34),
figures worked by hand at Rp 1.000.000 declared income."""

from datetime import date
from decimal import Decimal

import pytest

from lindung.domain.cover import ClaimType, consecutive_run, cover_on
from lindung.domain.entitlement import Transport, entitlement_of
from lindung.domain.rulebook import DEFAULT_BENEFIT_TABLE, DEFAULT_RULEBOOK

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def cover(incident, paid, kind=ClaimType.JKM, *, start=JAN, end=None, today=None):
    return cover_on(
        incident=incident,
        claim_type=kind,
        covered_from=start,
        covered_to=end,
        registered=True,
        paid=paid,
        table=DEFAULT_BENEFIT_TABLE,
        today=today or incident,
    )


def total(incident, paid, kind=ClaimType.JKM, **options):
    found = cover(incident, paid, kind, today=options.pop("today", None))
    return entitlement_of(
        claim_type=kind, cover=found, income=1_000_000, rulebook=DEFAULT_RULEBOOK, **options
    )


@pytest.mark.parametrize(
    ("incident", "paid", "expected", "why"),
    [
        # PP 82/2019 Pasal 34: 20 + 12 + 10 juta after 3 consecutive paid months
        (date(2026, 3, 20), [JAN, FEB, MAR], 42_000_000, "3 paid months"),
        # BPJSTK operational rule: fewer than 3 consecutive months -> Rp 10 juta
        (date(2026, 2, 20), [JAN, FEB], 10_000_000, "2 paid months"),
        # PP 44/2015 Pasal 42 ayat (2): more than 3 months in arrears -> nothing
        (date(2026, 4, 20), [], 0, "4 unpaid months"),
        # Pasal 42 ayat (1): 1 month in arrears (April, due 15 April) still entitled
        (date(2026, 4, 20), [JAN, FEB, MAR], 42_000_000, "April unpaid, settled first"),
        # April's contribution is not yet due on 10 April (PP 44/2015 Pasal 24 ayat (3))
        (date(2026, 4, 10), [], 10_000_000, "3 months in arrears, within the limit"),
    ],
)
def test_jkm_follows_the_paid_months(incident, paid, expected, why):
    assert total(incident, paid).total == expected, why


def test_a_work_accident_death_at_the_one_million_band_pays_70_juta():
    # PP 82/2019 Pasal 25 ayat (2): 48 x 1 juta + 12 juta + 10 juta
    result = total(date(2026, 3, 5), [JAN, FEB], ClaimType.JKK_DEATH)
    assert result.parts == {"lump_sum": 48_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert result.total == 70_000_000
    assert result.scholarship == {
        "eligible": True,
        "children": 0,
        "max_per_child": 87_000_000,
        "max_total": 0,
    }


def test_fourteen_months_off_work_pays_13_juta_of_stmb():
    # Lampiran III: 12 x 100 % + 2 x 50 % of Rp 1.000.000
    result = total(date(2026, 1, 20), [JAN], ClaimType.JKK_STMB, months_off_work=14)
    assert result.parts == {"full_phase": 12_000_000, "reduced_phase": 1_000_000}
    assert result.total == 13_000_000


def test_partial_disability_takes_the_table_percent_the_officer_picks():
    # 40 % x 80 x Rp 1.000.000
    result = total(date(2026, 1, 20), [JAN], ClaimType.JKK_PARTIAL, percent=Decimal(40))
    assert result.total == 32_000_000


def test_transport_is_added_within_each_cap():
    result = total(
        date(2026, 1, 20), [JAN], ClaimType.JKK_CTT, transport=Transport(land=6_000_000, air=1)
    )
    # 56 x 1 juta + 12 juta periodic + land capped at 5 juta + air 1
    assert result.total == 56_000_000 + 12_000_000 + 5_000_000 + 1


def test_scholarships_count_at_most_two_children():
    result = total(date(2026, 1, 20), [JAN], ClaimType.JKK_DEATH, children=3)
    assert result.scholarship["children"] == 2
    assert result.scholarship["max_total"] == 174_000_000


def test_jkm_scholarship_needs_three_years_of_contributions():
    thirty_six = [date(2023 + (m // 12), m % 12 + 1, 1) for m in range(36)]
    assert cover(date(2025, 12, 10), thirty_six, start=date(2023, 1, 1)).scholarship_eligible
    assert not cover(
        date(2025, 12, 10), thirty_six[1:], start=date(2023, 2, 1)
    ).scholarship_eligible


def test_jkk_lapses_five_years_after_the_accident():
    # PP 82/2019 Pasal 26
    late = total(date(2026, 1, 20), [JAN], ClaimType.JKK_DEATH, today=date(2031, 1, 21))
    assert not late.entitled
    on_time = cover(date(2026, 1, 20), [JAN], ClaimType.JKK_DEATH, today=date(2031, 1, 20))
    assert on_time.entitled
    assert on_time.claim_deadline == date(2031, 1, 20)


def test_an_accident_is_reported_within_two_times_24_hours():
    found = cover(date(2026, 1, 20), [JAN], ClaimType.JKK_STMB)
    assert found.report_deadline == date(2026, 1, 22)
    assert cover(date(2026, 1, 20), [JAN]).report_deadline is None


def test_an_incident_outside_the_enrolment_is_not_covered():
    assert not cover(date(2025, 12, 31), []).covered
    assert not cover(date(2026, 3, 2), [JAN, FEB], end=date(2026, 2, 28)).entitled


def test_the_consecutive_run_is_the_latest_unbroken_one():
    assert consecutive_run([JAN, MAR, APR], up_to=date(2026, 4, 30)) == 2
    assert consecutive_run([JAN, FEB, MAR], up_to=date(2026, 2, 1)) == 2
    assert consecutive_run([], up_to=APR) == 0


def test_a_lapse_closed_by_a_later_payment_starts_a_new_membership():
    # Jan-Apr 2026 unpaid (lapsed, PP 44/2015 Pasal 42 ayat (2)), then May-Jul paid
    may, jun, jul = (date(2026, m, 1) for m in (5, 6, 7))
    found = cover(date(2026, 7, 20), [may, jun, jul])
    assert found.arrears == ()
    assert found.entitled
    assert total(date(2026, 7, 20), [may, jun, jul]).total == 42_000_000

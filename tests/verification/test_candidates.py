"""`candidates.alike`: rows it makes alike are rows the domain core assesses alike."""

from __future__ import annotations

import gc
import itertools

import polars as pl
import pytest

from lindung.domain import eligibility
from lindung.domain.eligibility import EligibilityPolicy
from lindung.verification.candidates import alike, assess_rows

CODES = ([], ["nik_length", "village_spelling"], ["nik_sex_mismatch", "nik_length", "nik_length"],
         ["village_spelling"], ["birth_date_from_nik"])  # fmt: skip
AGES = (None, 17, 18, 40, 64, 65)
OCCUPATIONS = (None, 1, 2, 3)
LINKS = ((None, None, []), ("exact", 0.95, ["nik_exact"]), ("probable", 0.7, ["name_close"]))


_SAME = {
    "known_deceased": False, "register_deceased": False, "enrolled": False, "group_id": None,
    "owner": None, "duplicate_of_agency": None, "duplicate_of_row": None, "owner_agency": None,
    "owner_row": None, "resident": True, "decided": False, "previous": False, "is_owner": False,
}  # fmt: skip


def _row(codes: list[str], age: int | None, occupation: int | None, link: tuple) -> dict:
    match, score, reasons = link
    return {
        **_SAME,
        "codes": codes,
        "nik_message": "NIK kurang dari 16 digit." if codes else "",
        "age": age,
        "occupation_id": occupation,
        "match": match,
        "desil": 3 if match else None,
        "score": score,
        "reasons": reasons,
    }


def _rows() -> pl.DataFrame:
    rows = [_row(*values) for values in itertools.product(CODES, AGES, OCCUPATIONS, LINKS)]
    return pl.DataFrame(rows).with_columns(pl.col("age").cast(pl.Int32))


@pytest.mark.parametrize("occupations", [frozenset({1, 2}), frozenset()])
def test_rows_made_alike_are_assessed_alike(occupations):
    policy = EligibilityPolicy(
        min_age=18, max_age=64, residency_required=True, register_required=False,
        occupations=occupations, max_desil=5, link_accept=0.9,
    )  # fmt: skip
    rows = _rows()
    made_alike = rows.with_columns(**alike(policy))

    before, after = assess_rows(rows, policy), assess_rows(made_alike, policy)

    assert after.outcomes == before.outcomes
    assert after.verdicts == before.verdicts
    assert after.review_match == before.review_match
    assert after.review_duplicate == before.review_duplicate
    assert [after.findings[i] for i in after.which] == [before.findings[i] for i in before.which]
    # ... and fewer distinct rows are left to assess: other codes, ages within the range and
    # occupations covered (or not) alike are no longer told apart.
    assert made_alike.unique().height < rows.unique().height / 3


def test_assessing_pauses_the_cycle_collector_and_restores_it(monkeypatch):
    policy = EligibilityPolicy(
        min_age=18, max_age=64, residency_required=True, register_required=False
    )
    collecting: list[bool] = []
    assess = eligibility.assess

    def watched(candidate, policy):
        collecting.append(gc.isenabled())
        return assess(candidate, policy)

    monkeypatch.setattr(eligibility, "assess", watched)
    assert gc.isenabled()

    assess_rows(_rows().head(5), policy)

    assert collecting == [False] * 5
    assert gc.isenabled()

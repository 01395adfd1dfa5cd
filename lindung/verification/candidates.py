"""The domain core's candidate built from a row of a run's joined frame, and the assessment
of many such rows: pure (polars and the domain core), so that a second process can assess
part of a large run's rows (`verify._SideWork`) without Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from lindung.common.collector import collector_paused
from lindung.domain import eligibility
from lindung.domain.eligibility import (
    Candidate,
    Duplicate,
    EligibilityPolicy,
    Finding,
    RegisterLink,
    RowRef,
)

# Intake's issue codes that make a NIK unusable, and those that say it disagrees with the
# stated birth date or sex.
NIK_INVALID_CODES: Final = frozenset(
    {
        "nik_missing", "nik_length", "nik_not_digits", "nik_province_unknown",
        "nik_regency_unknown", "nik_district_unknown", "nik_date_invalid", "nik_serial_zero",
        "nik_excel_damaged", "nik_scientific",
    }
)  # fmt: skip
NIK_INCONSISTENT_CODES: Final = frozenset({"nik_birth_date_mismatch", "nik_sex_mismatch"})


def candidate_of(row: Mapping[str, Any]) -> Candidate:
    """A row of the run's joined frame as the domain core's candidate (`is_owner`: the
    row is its duplicate group's owner)."""
    codes = set(row["codes"] or ())
    link = None
    if row["match"]:
        link = RegisterLink(
            exact=row["match"] == "exact",
            score=row["score"] or 0.0,
            reasons=tuple(row["reasons"] or ()),
            decided=row["decided"],
            desil=row["desil"],
            deceased=row["register_deceased"],
        )
    duplicate = None
    if row["group_id"] is not None:
        owner = None
        if row["owner"] is not None:
            owner = RowRef(row["owner_agency"], row["owner_row"])
        duplicate = Duplicate(
            other=RowRef(row["duplicate_of_agency"], row["duplicate_of_row"]),
            owner=owner,
            is_owner=row["is_owner"],
        )
    return Candidate(
        age=row["age"],
        resident=row["resident"],
        occupation_id=row["occupation_id"],
        nik_invalid=bool(codes & NIK_INVALID_CODES),
        nik_message=row["nik_message"],
        nik_inconsistent=bool(codes & NIK_INCONSISTENT_CODES),
        link=link,
        duplicate=duplicate,
        deceased_on_record=row["known_deceased"],
        enrolled=row["enrolled"],
        renewal=row["previous"],
    )


def alike(policy: EligibilityPolicy) -> dict[str, pl.Expr]:
    """Columns `candidate_of` reads, each put as a value the domain core treats no
    differently under ``policy`` (`eligibility.findings_of`), so that rows differing in no
    other respect are assessed once: of intake's issue codes only whether one makes the NIK
    invalid and whether one makes it inconsistent count (one code for each); an age within
    the program's range is as good as none (only an age outside it is named); an occupation
    counts only as covered or not (no list: all are)."""
    covered = sorted(policy.occupations)
    occupation = pl.lit(None, dtype=pl.Int64)
    if covered:
        occupation = pl.when(pl.col("occupation_id").is_in(covered)).then(
            pl.lit(covered[0], dtype=pl.Int64)
        )
    age = pl.col("age")
    return {
        "codes": _nik_codes(),
        "age": pl.when(age.is_between(policy.min_age, policy.max_age)).then(None).otherwise(age),
        "occupation_id": occupation,
    }


def _nik_codes() -> pl.Expr:
    """Intake's issue codes as one invalid NIK code and one inconsistent NIK code, each if
    any is among them."""
    invalid, inconsistent = min(NIK_INVALID_CODES), min(NIK_INCONSISTENT_CODES)
    codes = pl.col("codes")
    is_invalid = codes.list.eval(pl.element().is_in(sorted(NIK_INVALID_CODES))).list.any()
    is_inconsistent = codes.list.eval(pl.element().is_in(sorted(NIK_INCONSISTENT_CODES))).list.any()
    listed = pl.List(pl.String)
    return (
        pl.when(is_invalid & is_inconsistent)
        .then(pl.lit([invalid, inconsistent], dtype=listed))
        .when(is_invalid)
        .then(pl.lit([invalid], dtype=listed))
        .when(is_inconsistent)
        .then(pl.lit([inconsistent], dtype=listed))
        .when(codes.is_not_null())
        .then(pl.lit([], dtype=listed))
    )


def untold(policy: EligibilityPolicy) -> dict[str, pl.Expr]:
    """After `alike`: columns `candidate_of` reads whose values the domain core only carries
    into a finding's words (or decides on in part), each put as one value for all it
    decides alike, so that rows differing in no other respect are assessed once; the words
    get each row's own values afterwards (`findings.Wording`, `findings.named`). Of a
    duplicate's group and owner only whether there is one counts (and `is_owner`), of the
    rows it names none; of the NIK's fault none; of an age outside the program's range
    only its side; of the decile whether it is none (or 0), above the program's limit or
    not; of the link's score whether it reaches `link_accept`; of its evidence only
    whether it is ambiguous."""
    named = pl.lit(0, dtype=pl.Int64)
    nothing = pl.lit(None, dtype=pl.Int64)
    age, desil, score = pl.col("age"), pl.col("desil"), pl.col("score")
    too_high = desil > policy.max_desil if policy.max_desil else pl.lit(value=False)
    return {
        "group_id": pl.when(pl.col("group_id").is_not_null()).then(named),
        "owner": pl.when(pl.col("owner").is_not_null()).then(named),
        "duplicate_of_agency": nothing,
        "duplicate_of_row": nothing,
        "owner_agency": nothing,
        "owner_row": nothing,
        "nik_message": pl.lit(""),
        "age": pl.when(age < policy.min_age)
        .then(policy.min_age - 1)
        .when(age > policy.max_age)
        .then(policy.max_age + 1)
        .otherwise(age)
        .cast(pl.Int64),
        "desil": pl.when(desil.is_null() | (desil == 0))
        .then(desil)
        .when(too_high)
        .then((policy.max_desil or 0) + 1)
        .otherwise(1)
        .cast(pl.Int64),
        "score": pl.when(score >= policy.link_accept)
        .then(policy.link_accept)
        .when(score < policy.link_accept)
        .then(-1.0)
        .otherwise(score),
        "reasons": pl.when(pl.col("reasons").list.contains("ambiguous"))
        .then(pl.lit(["ambiguous"], dtype=pl.List(pl.String)))
        .when(pl.col("reasons").is_not_null())
        .then(pl.lit([], dtype=pl.List(pl.String))),
    }


@dataclass
class Assessed:
    """Assessments as plain columns, cheap to hand between processes: each row's outcome,
    verdict and review flags, and the index of its findings in ``findings`` (each distinct
    list of findings once)."""

    outcomes: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    review_match: list[bool] = field(default_factory=list)
    review_duplicate: list[bool] = field(default_factory=list)
    which: list[int] = field(default_factory=list)
    findings: list[tuple[Finding, ...]] = field(default_factory=list)

    def extend(self, other: Assessed) -> Assessed:
        """``other``'s rows after these."""
        offset = len(self.findings)
        self.outcomes += other.outcomes
        self.verdicts += other.verdicts
        self.review_match += other.review_match
        self.review_duplicate += other.review_duplicate
        self.which += [index + offset for index in other.which]
        self.findings += other.findings
        return self


def assess_rows(rows: pl.DataFrame, policy: EligibilityPolicy) -> Assessed:
    """Each row of ``rows`` (columns as `candidate_of` reads them) assessed by the domain
    core, in order. Python's cycle collector pauses meanwhile (in whichever process): the
    tens of thousands of small objects made hold no cycles, and each of its passes would
    walk the process's whole heap (the second process's holds the register link's)."""
    with collector_paused():
        return _assessed(rows, policy)


def _assessed(rows: pl.DataFrame, policy: EligibilityPolicy) -> Assessed:
    out = Assessed()
    seen: dict[tuple[Finding, ...], int] = {}
    for values in rows.iter_rows(named=True):
        assessment = eligibility.assess(candidate_of(values), policy)
        out.outcomes.append(assessment.outcome.value)
        out.verdicts.append(assessment.verdict.value)
        out.review_match.append(assessment.review_match)
        out.review_duplicate.append(assessment.review_duplicate)
        index = seen.get(assessment.findings)
        if index is None:
            index = seen[assessment.findings] = len(out.findings)
            out.findings.append(assessment.findings)
        out.which.append(index)
    return out

"""Eligibility rules of the domain core: findings in order of decisiveness and the verdict
they lead to (lindung/domain/eligibility.py; sources in its docstring)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lindung.domain.eligibility import (
    Candidate,
    Duplicate,
    EligibilityPolicy,
    Finding,
    Outcome,
    RegisterLink,
    RowRef,
    Verdict,
    assess,
    findings_of,
    link_needs_review,
    verdict_of,
)
from lindung.domain.eligibility import Outcome as O
from lindung.domain.eligibility import Verdict as V

POLICY = EligibilityPolicy(
    min_age=18,
    max_age=64,
    residency_required=True,
    register_required=False,
    occupations=frozenset({1, 2}),
    max_desil=5,
    link_accept=0.9,
)
LINKED = RegisterLink(exact=True, score=0.98, desil=3)
# A fisherman of 40 living in the Pemda, in the register at decile 3: nothing against him.
GOOD = Candidate(age=40, resident=True, occupation_id=1, link=LINKED)


def outcomes(candidate: Candidate, policy: EligibilityPolicy = POLICY) -> list[Outcome]:
    return [finding.outcome for finding in findings_of(candidate, policy)]


def test_a_registered_resident_of_working_age_in_a_covered_job_is_eligible():
    assessment = assess(GOOD, POLICY)

    assert assessment.findings == (Finding(Outcome.IN_REGISTER, desil=3),)
    assert assessment.verdict == Verdict.ELIGIBLE
    assert (assessment.review_match, assessment.review_duplicate) == (False, False)


@pytest.mark.parametrize(
    ("change", "primary", "verdict"),
    [
        pytest.param({"deceased_on_record": True}, O.DECEASED, V.INELIGIBLE, id="dead"),
        pytest.param({"enrolled": True}, O.ALREADY_ENROLLED, V.INELIGIBLE, id="enrolled"),
        pytest.param({"age": 65}, O.AGE_OUT_OF_RANGE, V.INELIGIBLE, id="age-65"),
        pytest.param({"age": 17}, O.AGE_OUT_OF_RANGE, V.INELIGIBLE, id="age-17"),
        pytest.param({"age": 64}, O.IN_REGISTER, V.ELIGIBLE, id="age-64-still-in"),
        pytest.param({"resident": False}, O.NOT_RESIDENT, V.REVIEW, id="not-resident"),
        pytest.param({"occupation_id": 7}, O.OCCUPATION_NOT_ELIGIBLE, V.INELIGIBLE, id="job"),
        pytest.param({"occupation_id": None}, O.OCCUPATION_NOT_ELIGIBLE, V.INELIGIBLE, id="no-job"),
        pytest.param({"renewal": True}, O.IN_REGISTER, V.ELIGIBLE, id="renewal"),
        pytest.param({"link": None}, O.NOT_IN_REGISTER, V.ELIGIBLE, id="not-in-register"),
    ],
)  # fmt: skip
def test_one_fact_against_the_candidate(change, primary, verdict):
    assessment = assess(replace(GOOD, **change), POLICY)

    assert assessment.outcome == primary
    assert assessment.verdict == verdict


def test_findings_come_most_decisive_first():
    candidate = replace(GOOD, age=70, resident=False, occupation_id=9, enrolled=True, renewal=True)

    assert outcomes(candidate) == [
        Outcome.ALREADY_ENROLLED,
        Outcome.AGE_OUT_OF_RANGE,
        Outcome.NOT_RESIDENT,
        Outcome.OCCUPATION_NOT_ELIGIBLE,
        Outcome.IN_REGISTER,
        Outcome.RENEWAL,
    ]


def test_the_age_finding_carries_the_age_and_the_range():
    (finding, *_rest) = findings_of(replace(GOOD, age=66), POLICY)

    assert (finding.age, finding.age_range) == (66, (18, 64))


def test_a_decile_above_the_limit_rules_a_registered_person_out():
    assessment = assess(replace(GOOD, link=replace(LINKED, desil=6)), POLICY)

    assert assessment.outcome == Outcome.DESIL_TOO_HIGH
    assert (assessment.findings[0].desil, assessment.findings[0].max_desil) == (6, 5)
    assert assessment.verdict == Verdict.INELIGIBLE


def test_without_a_decile_limit_any_decile_is_covered():
    policy = replace(POLICY, max_desil=None)

    assert assess(replace(GOOD, link=replace(LINKED, desil=10)), policy).verdict == Verdict.ELIGIBLE


def test_a_program_without_an_occupation_list_covers_every_job():
    policy = replace(POLICY, occupations=frozenset())

    assert assess(replace(GOOD, occupation_id=None), policy).verdict == Verdict.ELIGIBLE


def test_residency_is_only_checked_when_the_program_requires_it():
    policy = replace(POLICY, residency_required=False)

    assert assess(replace(GOOD, resident=False), policy).verdict == Verdict.ELIGIBLE


def test_the_register_says_who_is_dead():
    assessment = assess(replace(GOOD, link=replace(LINKED, deceased=True)), POLICY)

    assert assessment.findings[0] == Finding(Outcome.DECEASED, in_register=True)
    assert assessment.verdict == Verdict.INELIGIBLE


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "needs_review"),
    [
        pytest.param(RegisterLink(exact=True, score=0.9), False, id="exact-at-threshold"),
        pytest.param(RegisterLink(exact=True, score=0.89), True, id="exact-below-threshold"),
        pytest.param(RegisterLink(exact=False, score=0.99), True, id="probable"),
        pytest.param(
            RegisterLink(exact=True, score=0.99, reasons=("nik_exact", "ambiguous")),
            True,
            id="rival",
        ),
        pytest.param(RegisterLink(exact=False, score=0.5, decided=True), False, id="decided"),
    ],
)  # fmt: skip
def test_a_link_stands_alone_only_when_exact_strong_and_without_rival(link, needs_review):
    assert link_needs_review(link, POLICY) is needs_review


def test_a_probable_link_awaits_a_verifier_with_its_reasons():
    link = RegisterLink(exact=False, score=0.8, reasons=("nik_substituted", "name_same"))
    assessment = assess(replace(GOOD, link=link), POLICY)

    assert assessment.findings == (
        Finding(Outcome.PROBABLE_IN_REGISTER, reasons=("nik_substituted", "name_same")),
    )
    assert assessment.review_match
    assert assessment.verdict == Verdict.REVIEW


def test_a_broken_nik_rules_a_row_out_unless_the_register_says_who_it_is():
    broken = replace(GOOD, nik_invalid=True, nik_message="NIK 15 digit")

    assert assess(replace(broken, link=None), POLICY).verdict == Verdict.INELIGIBLE
    assert assess(broken, POLICY).verdict == Verdict.ELIGIBLE
    assert findings_of(broken, POLICY)[0] == Finding(
        Outcome.NIK_INVALID, nik_message="NIK 15 digit"
    )


def test_a_nik_disagreeing_with_the_birth_date_is_settled_by_a_link_too():
    inconsistent = replace(GOOD, nik_inconsistent=True)

    assert assess(replace(inconsistent, link=None), POLICY).verdict == Verdict.INELIGIBLE
    assert assess(inconsistent, POLICY).verdict == Verdict.ELIGIBLE


def test_when_the_program_requires_the_register_an_unlinked_row_is_ineligible():
    policy = replace(POLICY, register_required=True)
    assessment = assess(replace(GOOD, link=None), policy)

    assert assessment.findings == (Finding(Outcome.NOT_IN_REGISTER, register_required=True),)
    assert assessment.verdict == Verdict.INELIGIBLE


# --- duplicates --------------------------------------------------------------------------------

OTHER = RowRef(agency_id=2, row_number=14)


def test_an_undecided_duplicate_awaits_its_owner():
    assessment = assess(replace(GOOD, duplicate=Duplicate(other=OTHER)), POLICY)

    assert assessment.findings[0] == Finding(Outcome.DUPLICATE, other=OTHER)
    assert assessment.review_duplicate
    assert assessment.verdict == Verdict.REVIEW


def test_the_owner_of_a_duplicate_goes_forward():
    owner = Duplicate(other=OTHER, owner=RowRef(1, 3), is_owner=True)
    assessment = assess(replace(GOOD, duplicate=owner), POLICY)

    assert assessment.outcome == Outcome.IN_REGISTER
    assert assessment.verdict == Verdict.ELIGIBLE


def test_the_other_rows_of_a_decided_duplicate_are_ruled_out():
    duplicate = Duplicate(other=OTHER, owner=OTHER)
    assessment = assess(replace(GOOD, duplicate=duplicate), POLICY)

    assert assessment.findings[0] == Finding(Outcome.DUPLICATE, other=OTHER, owner=OTHER)
    assert not assessment.review_duplicate
    assert assessment.verdict == Verdict.INELIGIBLE


def test_the_verdict_of_stored_findings_follows_the_same_rules():
    findings = [Finding(Outcome.NOT_RESIDENT), Finding(Outcome.IN_REGISTER)]

    assert (
        verdict_of(findings, review_duplicate=False, review_match=False, register_required=False)
        == Verdict.REVIEW
    )

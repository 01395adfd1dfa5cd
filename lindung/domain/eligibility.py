"""Who a program may protect: the findings about one candidate and the verdict they lead to.

A candidate is one handed-in row as verification sees it: what the welfare register, the
Pemda's own records and the other agencies' lists say about the person. The findings are
ordered most decisive first (`Outcome`); the first is the row's primary outcome. The verdict
is "ineligible" when a finding rules the person out, "review" when a verifier must decide,
else "eligible".

The rules and where they come from:

- Death ends every benefit: JKK and JKM protect living workers (PP 44/2015 art. 2; PP 82/2019).
- One person, one membership: someone already enrolled in the program, or handed in by two
  agencies, is paid for once (PP 44/2015 art. 11 on registration; the Pemda's PKS with BPJS).
- The NIK identifies the person (Permendagri 72/2019 on the NIK; SE Mendagri 842.2/5193/SJ
  asks that membership use NIK-based population data): a NIK that is broken or disagrees with
  the stated birth date or sex rules the row out, unless the register says who the person is.
- Age at registration: the program's range, commonly under 65 (BPJS BPU brochure; the cap is
  configurable because the regulation text is unconfirmed; Permenaker 1/2016, now
  replaced, capped entry at 56).
- Residency, occupations and the decile limit are the Pemda's program policy (its Perbup):
  not living in the Pemda sends the row to a verifier; an occupation outside the list and a
  decile above the limit rule it out.
- Welfare-register membership (DTKS, Permensos 3/2021; DTSEN, Inpres 4/2025) is required only
  when the program says so; a probable link awaits a verifier.

Pure Python: no Django, no database. Messages are the app's business; a finding carries the
values its message needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Outcome(StrEnum):
    """What verification found about a row, most decisive first."""

    DECEASED = "deceased"
    ALREADY_ENROLLED = "already_enrolled"
    DUPLICATE = "duplicate"
    NIK_INVALID = "nik_invalid"
    NIK_INCONSISTENT = "nik_inconsistent"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    NOT_RESIDENT = "not_resident"
    OCCUPATION_NOT_ELIGIBLE = "occupation_not_eligible"
    DESIL_TOO_HIGH = "desil_too_high"
    PROBABLE_IN_REGISTER = "probable_in_register"
    NOT_IN_REGISTER = "not_in_register"
    IN_REGISTER = "in_register"
    RENEWAL = "renewal"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    REVIEW = "review"
    INELIGIBLE = "ineligible"


ORDER: Final[Mapping[Outcome, int]] = {outcome: index for index, outcome in enumerate(Outcome)}

# Findings that rule a person out whatever else is known.
RULING_OUT: Final = frozenset(
    {
        Outcome.DECEASED, Outcome.ALREADY_ENROLLED, Outcome.NIK_INVALID,
        Outcome.NIK_INCONSISTENT, Outcome.AGE_OUT_OF_RANGE, Outcome.OCCUPATION_NOT_ELIGIBLE,
        Outcome.DESIL_TOO_HIGH,
    }
)  # fmt: skip
# Findings that a link to the register settles: the register's NIK is the person's.
_SETTLED_BY_REGISTER: Final = frozenset({Outcome.NIK_INVALID, Outcome.NIK_INCONSISTENT})


@dataclass(frozen=True)
class EligibilityPolicy:
    """A program's eligibility rules (its Perbup and the Pemda's settings)."""

    min_age: int
    max_age: int
    residency_required: bool
    register_required: bool
    # Occupations the program covers; empty means every occupation.
    occupations: frozenset[int] = frozenset()
    # Highest DTSEN decile covered; None means no limit.
    max_desil: int | None = None
    # Score from which the matching engine's link stands without a verifier.
    link_accept: float = 0.0


@dataclass(frozen=True)
class RowRef:
    """Another handed-in row: its agency and its row number in that agency's list."""

    agency_id: int | None
    row_number: int | None


@dataclass(frozen=True)
class Duplicate:
    """The row is one of several rows for the same person."""

    other: RowRef  # the row it was found to repeat
    owner: RowRef | None = None  # the row chosen to go forward; None while undecided
    is_owner: bool = False


@dataclass(frozen=True)
class RegisterLink:
    """The row's person as the welfare register knows them."""

    exact: bool  # same NIK (and the rest agreeing) rather than a probable link
    score: float
    reasons: tuple[str, ...] = ()
    decided: bool = False  # a verifier accepted the link
    desil: int | None = None
    deceased: bool = False


@dataclass(frozen=True)
class Candidate:
    """One handed-in row as verification sees it."""

    age: int | None
    resident: bool
    occupation_id: int | None
    nik_invalid: bool = False
    nik_message: str = ""
    nik_inconsistent: bool = False
    link: RegisterLink | None = None
    duplicate: Duplicate | None = None
    # The Pemda's own records (earlier programs, participants).
    deceased_on_record: bool = False
    enrolled: bool = False
    renewal: bool = False


@dataclass(frozen=True)
class Finding:
    """One thing found, with the values its message needs (the others stay at their
    defaults)."""

    outcome: Outcome
    in_register: bool = False  # DECEASED: the register says so, not the Pemda's records
    other: RowRef | None = None  # DUPLICATE: the row this one repeats
    owner: RowRef | None = None  # DUPLICATE: the row chosen to go forward, if any
    nik_message: str = ""  # NIK_INVALID: what is wrong with the NIK
    age: int | None = None  # AGE_OUT_OF_RANGE, with the policy's range
    age_range: tuple[int, int] | None = None
    desil: int | None = None  # DESIL_TOO_HIGH (with max_desil) and IN_REGISTER
    max_desil: int | None = None
    reasons: tuple[str, ...] = ()  # PROBABLE_IN_REGISTER: the matching engine's evidence
    decided: bool = False  # IN_REGISTER: a verifier accepted the link
    register_required: bool = False  # NOT_IN_REGISTER: the program requires membership


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...]  # most decisive first: findings[0] is the primary outcome
    verdict: Verdict
    review_match: bool  # a probable link awaits a verifier
    review_duplicate: bool  # a duplicate group awaits its owner

    @property
    def outcome(self) -> Outcome:
        return self.findings[0].outcome


def link_needs_review(link: RegisterLink, policy: EligibilityPolicy) -> bool:
    """A link stands on its own when it is an exact NIK match scoring at least the accept
    threshold with no rival candidate, or when a verifier accepted it."""
    if link.decided:
        return False
    return not link.exact or link.score < policy.link_accept or "ambiguous" in link.reasons


def findings_of(candidate: Candidate, policy: EligibilityPolicy) -> list[Finding]:
    """Every finding about ``candidate`` under ``policy``, most decisive first."""
    found: list[Finding] = []
    link = candidate.link
    if candidate.deceased_on_record or (link is not None and link.deceased):
        in_register = link is not None and link.deceased
        found.append(Finding(Outcome.DECEASED, in_register=in_register))
    if candidate.enrolled:
        found.append(Finding(Outcome.ALREADY_ENROLLED))
    duplicate = candidate.duplicate
    if duplicate is not None and not duplicate.is_owner:
        found.append(Finding(Outcome.DUPLICATE, other=duplicate.other, owner=duplicate.owner))
    if candidate.nik_invalid:
        found.append(Finding(Outcome.NIK_INVALID, nik_message=candidate.nik_message))
    if candidate.nik_inconsistent:
        found.append(Finding(Outcome.NIK_INCONSISTENT))
    age = candidate.age
    if age is not None and not policy.min_age <= age <= policy.max_age:
        age_range = (policy.min_age, policy.max_age)
        found.append(Finding(Outcome.AGE_OUT_OF_RANGE, age=age, age_range=age_range))
    if policy.residency_required and not candidate.resident:
        found.append(Finding(Outcome.NOT_RESIDENT))
    if policy.occupations and candidate.occupation_id not in policy.occupations:
        found.append(Finding(Outcome.OCCUPATION_NOT_ELIGIBLE))
    if link is not None:
        if policy.max_desil and link.desil and link.desil > policy.max_desil:
            found.append(
                Finding(Outcome.DESIL_TOO_HIGH, desil=link.desil, max_desil=policy.max_desil)
            )
        if link_needs_review(link, policy):
            found.append(Finding(Outcome.PROBABLE_IN_REGISTER, reasons=link.reasons))
        else:
            found.append(Finding(Outcome.IN_REGISTER, desil=link.desil, decided=link.decided))
    else:
        found.append(Finding(Outcome.NOT_IN_REGISTER, register_required=policy.register_required))
    if candidate.renewal:
        found.append(Finding(Outcome.RENEWAL))
    found.sort(key=lambda finding: ORDER[finding.outcome])
    return found


def verdict_of(
    findings: Sequence[Finding],
    *,
    review_duplicate: bool,
    review_match: bool,
    register_required: bool,
) -> Verdict:
    """A broken or inconsistent NIK rules a row out only when the register does not tell who
    the person is: with a link, the register's NIK settles it (once a verifier accepts a
    probable link). A duplicate rules the row out once another row was chosen to go forward."""
    outcomes = {finding.outcome for finding in findings}
    ruling_out = set(RULING_OUT)
    if outcomes & {Outcome.IN_REGISTER, Outcome.PROBABLE_IN_REGISTER}:
        ruling_out -= _SETTLED_BY_REGISTER
    if outcomes & ruling_out or (Outcome.DUPLICATE in outcomes and not review_duplicate):
        return Verdict.INELIGIBLE
    if register_required and Outcome.NOT_IN_REGISTER in outcomes:
        return Verdict.INELIGIBLE
    if review_match or review_duplicate or Outcome.NOT_RESIDENT in outcomes:
        return Verdict.REVIEW
    return Verdict.ELIGIBLE


def assess(candidate: Candidate, policy: EligibilityPolicy) -> Assessment:
    """The findings about ``candidate``, the verdict, and what awaits a verifier."""
    findings = findings_of(candidate, policy)
    link, duplicate = candidate.link, candidate.duplicate
    review_match = link is not None and link_needs_review(link, policy)
    review_duplicate = duplicate is not None and not duplicate.is_owner and duplicate.owner is None
    verdict = verdict_of(
        findings,
        review_duplicate=review_duplicate,
        review_match=review_match,
        register_required=policy.register_required,
    )
    return Assessment(tuple(findings), verdict, review_match, review_duplicate)

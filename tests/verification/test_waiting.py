"""What waits in verification, counted for the staff home pages: the current runs' review
queues and the lists in verification, scoped to the user's Pemda (and an operator's agency).
Uses the lists of tests/verification/test_views.py: one probable link (P2, Bob's list) and
one duplicate group (P3, handed in by Bob's and Carol's agencies)."""

from __future__ import annotations

import pytest

from lindung.accounts.models import Role
from lindung.verification.selectors import VerificationWaiting, verification_waiting
from lindung.verification.services import duplicate_decide, match_decide, run_verification
from tests.factories import UserFactory
from tests.verification.test_views import duplicate_pair, hand_in_lists, probable


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency):
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists):
    return run_verification(actor="cli", program=program)


def test_nothing_waits_before_any_list_is_handed_in(verifier, program):
    assert verification_waiting(user=verifier) == VerificationWaiting(
        matches=0, duplicate_groups=0, submissions_in_verification=0
    )


def test_handed_in_lists_wait_in_verification_only_once_a_run_took_them(verifier, lists):
    assert verification_waiting(user=verifier).submissions_in_verification == 0


def test_a_verifier_sees_the_current_runs_open_matches_groups_and_lists(verifier, run):
    assert verification_waiting(user=verifier) == VerificationWaiting(
        matches=1, duplicate_groups=1, submissions_in_verification=2
    )


def test_decisions_take_matches_and_groups_off_the_count(verifier, run, lists):
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)
    ours, theirs = duplicate_pair(run, lists)
    duplicate_decide(actor=verifier, verdict=ours, owner=theirs)

    waiting = verification_waiting(user=verifier)

    assert (waiting.matches, waiting.duplicate_groups) == (0, 0)


def test_only_the_newest_finished_run_of_a_program_counts(verifier, program, run):
    run_verification(actor="cli", program=program)

    assert verification_waiting(user=verifier) == VerificationWaiting(
        matches=1, duplicate_groups=1, submissions_in_verification=2
    )


def test_another_pemdas_user_sees_nothing_of_ours(foreign_admin, run):
    assert verification_waiting(user=foreign_admin) == VerificationWaiting(0, 0, 0)


def test_a_user_without_a_pemda_sees_nothing(db, run):
    nobody = UserFactory(pemda=None, role=Role.ADMIN)

    assert verification_waiting(user=nobody) == VerificationWaiting(0, 0, 0)


def test_an_operator_counts_only_their_own_agencys_rows_and_lists(other_operator, run):
    # Carol's list (Dinas Perhubungan) has the duplicate, not the probable link.
    assert verification_waiting(user=other_operator) == VerificationWaiting(
        matches=0, duplicate_groups=1, submissions_in_verification=1
    )

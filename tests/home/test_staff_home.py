"""Staff home pages tell the truth: they count what waits for the verifier (lists, matches and
duplicate groups to review), promise only what each role can do today, and say what the
worker figure counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.common.jobs import JobStatus
from lindung.intake.models import (
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
)
from lindung.verification.models import Outcome, RowVerdict, Verdict, VerificationRun
from lindung.verification.selectors import verification_waiting
from tests.conftest import client_for
from tests.factories import UserFactory


def _submission(program, agency, status):
    return Submission.objects.create(
        pemda=program.pemda, program=program, agency=agency, source=SubmissionSource.UPLOAD,
        status=status,
    )  # fmt: skip


def _verdict(run, submission, n, **review):
    row = SubmissionRow.objects.create(
        pemda=submission.pemda, submission=submission, agency=submission.agency, row_number=n,
        outcome=RowOutcome.ACCEPTED,
    )  # fmt: skip
    return RowVerdict.objects.create(
        run=run, pemda=run.pemda, agency=submission.agency, submission=submission, row=row,
        outcome=Outcome.PROBABLE_IN_REGISTER, verdict=Verdict.REVIEW, match="probable", **review,
    )  # fmt: skip


@pytest.fixture
def work_waiting(program, agency, other_agency):
    """Two lists in verification with 3 probable links and 2 duplicate groups to decide,
    and one list handed in but not yet verified."""
    _submission(program, other_agency, SubmissionStatus.SUBMITTED)
    first = _submission(program, agency, SubmissionStatus.IN_VERIFICATION)
    second = _submission(program, other_agency, SubmissionStatus.IN_VERIFICATION)
    old = VerificationRun.objects.create(pemda=program.pemda, program=program, status="done")
    _verdict(old, first, 99, review_match=True)  # a superseded run counts for nothing
    run = VerificationRun.objects.create(pemda=program.pemda, program=program, status="done")
    for n in (1, 2, 3):
        _verdict(run, first, n, review_match=True)
    _verdict(run, first, 4, review_duplicate=True, group=1)
    _verdict(run, second, 5, review_duplicate=True, group=1)
    _verdict(run, first, 6, review_duplicate=True, group=2)
    _verdict(run, second, 7, review_duplicate=True, group=2)
    VerificationRun.objects.create(pemda=program.pemda, program=program, status=JobStatus.FAILED)
    return run


def test_verification_waiting_counts_the_current_runs_open_questions(verifier, work_waiting):
    waiting = verification_waiting(user=verifier)

    assert (waiting.matches, waiting.duplicate_groups, waiting.submissions_in_verification) == (
        3,
        2,
        2,
    )


def test_verification_waiting_sees_nothing_of_another_pemda(foreign_admin, work_waiting):
    waiting = verification_waiting(user=foreign_admin)

    assert (waiting.matches, waiting.duplicate_groups, waiting.submissions_in_verification) == (
        0,
        0,
        0,
    )


def test_the_verifier_home_counts_what_waits_for_them(verifier, program, work_waiting):
    html = client_for(verifier).get(reverse("home")).content.decode()

    assert "Menunggu Anda" in html
    assert '>1</span><span class="stat-label">usulan diserahkan, belum diverifikasi' in html
    assert '>2</span><span class="stat-label">usulan dalam verifikasi' in html
    assert '>3</span><span class="stat-label">calon padanan DTKS/DTSEN menunggu keputusan' in html
    assert '>2</span><span class="stat-label">kelompok data ganda menunggu keputusan' in html
    assert f'href="{reverse("verification:matches", args=[program.pk])}"' in html
    assert f'href="{reverse("verification:duplicates", args=[program.pk])}"' in html


def test_the_admin_home_counts_what_waits_in_verification(admin, program, work_waiting):
    html = client_for(admin).get(reverse("home")).content.decode()

    assert (
        "Menunggu: 1 usulan belum diverifikasi, 2 dalam verifikasi, 3 calon padanan dan "
        "2 kelompok data ganda belum diputuskan." in html
    )


def test_a_leader_sees_lists_in_verification_as_handed_in(pemda, program, work_waiting):
    leader = UserFactory(pemda=pemda, role=Role.LEADER)

    html = client_for(leader).get(reverse("home")).content.decode()

    assert '>3</span><span class="stat-label">usulan diserahkan instansi' in html
    assert "Menunggu Anda" not in html


@pytest.mark.parametrize(
    ("role", "work"),
    [
        (Role.FINANCE, "Anda mengelola tagihan, pembayaran (SP2D)"),
        (Role.BPJS_OFFICER, "Anda mengirim berkas pendaftaran ke BPJS"),
    ],
)
def test_finance_and_the_bpjs_officer_read_what_they_do_here(pemda, program, role, work):
    user = UserFactory(pemda=pemda, role=role)

    html = client_for(user).get(reverse("home")).content.decode()

    assert work in html
    assert "belum tersedia" not in html


def test_the_verifier_is_not_promised_enrolment(verifier, program):
    html = client_for(verifier).get(reverse("home")).content.decode()

    assert "mengusulkan peserta" not in html


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.LEADER, Role.FINANCE])
def test_the_worker_figure_says_what_it_counts(pemda, program, role):
    user = UserFactory(pemda=pemda, role=role)

    html = client_for(user).get(reverse("home")).content.decode()

    assert "data pekerja Pemda" in html
    assert "usulan belum termasuk" in html
    assert "pekerja tercatat" not in html

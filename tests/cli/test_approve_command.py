"""`lindung approve --program CODE --user USERNAME --json` → {"approved": n}: the Kepala
Dinas approves the program's pending proposals, oldest first; refused (one Indonesian line,
exit 2) for the proposer, a user without the approver role, or nothing to approve."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.common.commands import UsageError
from lindung.enrollment.management.commands.approve import Command
from lindung.enrollment.models import AllocationStatus
from lindung.workers.models import Enrolment, EnrolmentStatus
from tests.factories import AllocationFactory, AllocationLineFactory


def _proposal(program, agency, source, proposer, n):
    allocation = AllocationFactory(program=program, proposed_by=proposer, allocated=n)
    AllocationLineFactory.create_batch(
        n, allocation=allocation, agency=agency, funding_source=source
    )
    return allocation


def _approve(*args):
    out = StringIO()
    call_command("approve", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_approves_every_pending_proposal_oldest_first(
    program, agency, funding_source, verifier, approver
):
    first = _proposal(program, agency, funding_source, verifier, 2)
    second = _proposal(program, agency, funding_source, verifier, 3)

    result = _approve("--program", program.code, "--user", approver.username, "--json")

    assert result == {"approved": 5}
    assert Enrolment.objects.filter(program=program, status=EnrolmentStatus.APPROVED).count() == 5
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == AllocationStatus.APPROVED
    assert first.decided_at <= second.decided_at


def test_it_refuses_the_proposer(program, agency, funding_source, approver):
    _proposal(program, agency, funding_source, approver, 1)

    with pytest.raises(UsageError, match="pengusulnya sendiri"):
        call_command("approve", "--program", program.code, "--user", approver.username)
    assert not Enrolment.objects.exists()


def test_it_refuses_a_user_without_the_approver_role(program, agency, funding_source, verifier):
    _proposal(program, agency, funding_source, verifier, 1)

    with pytest.raises(UsageError, match="Hanya Kepala Dinas"):
        call_command("approve", "--program", program.code, "--user", verifier.username)


def test_it_refuses_when_nothing_waits_for_approval(program, approver):
    with pytest.raises(UsageError, match="Tidak ada usulan"):
        call_command("approve", "--program", program.code, "--user", approver.username)


def test_a_refusal_is_one_indonesian_line_and_exit_status_2(
    program, agency, funding_source, verifier, capsys
):
    _proposal(program, agency, funding_source, verifier, 1)

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["lindung", "approve", "--program", program.code, "--user", verifier.username]
        )

    assert exit_.value.code == 2
    assert (
        capsys.readouterr().err == "Kesalahan: Hanya Kepala Dinas yang dapat menyetujui usulan.\n"
    )


def test_a_proposal_that_no_longer_fits_is_refused_and_writes_nothing(
    program, agency, funding_source, verifier, approver
):
    program.quota = 1
    program.save()
    _proposal(program, agency, funding_source, verifier, 2)

    with pytest.raises(UsageError, match="Kuota program tersisa 1, yang akan disetujui 2"):
        call_command("approve", "--program", program.code, "--user", approver.username)
    assert not Enrolment.objects.exists()

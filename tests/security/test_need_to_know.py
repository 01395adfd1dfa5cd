"""Point 2 of issue 15: full NIKs only for the roles that act on them; the Kepala Dinas,
Keuangan and Pimpinan see them masked, on pages and in exports; full ones shown are audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.accounts.access import sees_full_nik
from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.intake.models import RowOutcome
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.intake.conftest import csv_bytes, import_bytes

# A NIK whose birth-date digits are impossible (day 45, month 13): rejected at intake.
BAD = "3504094513870001"
GOOD = "3504095806010862"


@pytest.fixture
def submission(operator, program, agency):
    submission = import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([["NIK", "Nama"], [GOOD, "Siti Aminah"], [BAD, "Sumarni"]]),
    )
    assert submission.rows.filter(outcome=RowOutcome.REJECTED, nik=BAD).exists()
    return submission


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role=Role.LEADER)


def test_the_rule_gives_full_niks_to_those_who_act_on_them(
    admin, verifier, operator, other_operator, approver, finance, leader, agency
):
    assert sees_full_nik(admin)
    assert sees_full_nik(verifier)
    assert sees_full_nik(operator, agency_id=agency.pk)
    assert not sees_full_nik(other_operator, agency_id=agency.pk)
    assert not sees_full_nik(operator)  # no agency named: not their own row
    assert not any(sees_full_nik(u, agency_id=agency.pk) for u in (approver, finance, leader))


@pytest.mark.parametrize("role", ["leader", "approver", "finance"])
def test_the_submission_page_masks_rejected_niks_for_readers_who_do_not_act_on_them(
    request, role, submission
):
    user = request.getfixturevalue(role)

    page = client_for(user).get(reverse("intake:detail", args=[submission.pk]))

    assert page.status_code == 200
    assert BAD not in page.content.decode()
    assert "3504********0001" in page.content.decode()
    assert not AuditEvent.objects.filter(action="nik.full_shown").exists()


@pytest.mark.parametrize("role", ["operator", "verifier", "admin"])
def test_the_submission_page_shows_rejected_niks_to_those_who_fix_them_and_audits_it(
    request, role, submission
):
    user = request.getfixturevalue(role)

    page = client_for(user).get(reverse("intake:detail", args=[submission.pk]))

    assert BAD in page.content.decode()
    assert GOOD not in page.content.decode()  # accepted rows stay masked for everyone
    event = AuditEvent.objects.get(action="nik.full_shown")
    assert (event.actor_id, event.changes["count"]) == (user.pk, 1)


def test_another_agencys_operator_does_not_reach_the_page(other_operator, submission):
    response = client_for(other_operator).get(reverse("intake:detail", args=[submission.pk]))

    assert response.status_code == 404


def _nik_cells(response) -> set[str]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    column = list(rows[0]).index("NIK")
    return {str(row[column]) for row in rows[1:]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("leader", {"3504********0862", "3504********0001"}),
        ("finance", {"3504********0862", "3504********0001"}),
        ("operator", {GOOD, BAD}),
        ("verifier", {GOOD, BAD}),
    ],
)
def test_the_feedback_file_carries_full_niks_only_for_those_who_act_on_them(
    request, role, expected, submission
):
    user = request.getfixturevalue(role)

    response = client_for(user).get(reverse("intake:feedback", args=[submission.pk]))

    assert response.status_code == 200
    assert _nik_cells(response) == expected
    event = AuditEvent.objects.get(action="submission.feedback_exported")
    assert event.changes["full_nik"] is (BAD in expected)
    assert (event.actor_id, event.changes["rows"]) == (user.pk, 2)

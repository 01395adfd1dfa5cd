"""The data-quality scorecard, figures worked out by hand from the lists of test_views:

Bob (Dinas Perikanan) sends 5 rows: P1 in the register, P2 a probable link awaiting review,
P3 also sent by Carol, P4 a 15-digit NIK, P5 not in the register.
Carol (Dinas Perhubungan) sends 2 rows: P3 and P6, both in the register.

After the run:   Bob  invalid NIK 1/5 = 20,0 %, duplicates 1, matched P1 + P3 = 2/5 = 40,0 %
                 Carol invalid NIK 0/2 = 0,0 %, duplicates 1, matched P3 + P6 = 2/2 = 100,0 %
After P2 is accepted and Carol keeps P3: Bob matched 3/5 = 60,0 %, duplicates 1 (lost);
                 Carol duplicates 0 (she owns the person now).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.intake import services as intake
from lindung.intake.forms import RowForm
from lindung.intake.models import RowOutcome, Submission, SubmissionRow
from lindung.verification.models import VerificationRun
from lindung.verification.scorecard import scorecard
from lindung.verification.services import duplicate_decide, match_decide, run_verification
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.intake.conftest import GOOD_CSV_HEADER, GOOD_CSV_ROWS, csv_bytes, import_bytes
from tests.verification.test_views import duplicate_pair, hand_in_lists, probable


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency) -> tuple[Submission, Submission]:
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists) -> VerificationRun:
    return run_verification(actor="cli", program=program)


def figures(card) -> tuple[object, ...]:
    return (
        card.rows_sent,
        card.verified,
        card.invalid_nik,
        card.invalid_nik_rate,
        card.duplicates,
        card.matched,
        card.match_rate,
    )


def cards_of(user, program) -> dict[str, object]:
    return {c.agency.code: c for c in scorecard(user=user, program=program).cards}


def test_the_figures_after_the_run(verifier, program, run):
    cards = cards_of(verifier, program)

    assert list(cards) == ["dishub", "perikanan"]  # by agency name
    assert figures(cards["perikanan"]) == (5, 5, 1, 20.0, 1, 2, 40.0)
    assert figures(cards["dishub"]) == (2, 2, 0, 0.0, 1, 2, 100.0)


def test_the_figures_follow_the_verifiers_decisions(verifier, program, run, lists):
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)
    bobs_p3, carols_p3 = duplicate_pair(run, lists)
    duplicate_decide(actor=verifier, verdict=bobs_p3, owner=carols_p3)

    cards = cards_of(verifier, program)

    assert figures(cards["perikanan"]) == (5, 5, 1, 20.0, 1, 3, 60.0)
    assert figures(cards["dishub"]) == (2, 2, 0, 0.0, 0, 2, 100.0)


def test_before_a_run_only_the_rows_sent_are_known(verifier, program, lists):
    cards = cards_of(verifier, program)

    assert figures(cards["perikanan"]) == (5, 0, 0, None, 0, 0, None)
    assert cards["perikanan"].fix_hours is None


def test_draft_lists_and_blank_rows_are_not_rows_sent(verifier, operator, program, agency, run):
    import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([GOOD_CSV_HEADER, *GOOD_CSV_ROWS]),
        filename="draf.csv",
    )

    assert cards_of(verifier, program)["perikanan"].rows_sent == 5


# --- time to fix ------------------------------------------------------------------------------

# Three rows whose NIK says a birth date other than the one written: rejected at intake.
# NIK 3504096804870007: 28-04-1987, woman; 3504094505870011: 05-05-1987; 3504091010870021:
# 10-10-1987, man.
WRONG_DATES = [
    ["3504096804870007", "Sumarni", "12-08-1975", "P", "Nelayan"],
    ["3504094505870011", "Tumini", "12-08-1975", "P", "Nelayan"],
    ["3504091010870021", "Paiman", "12-08-1975", "L", "Nelayan"],
]
RIGHT_DATES = {"Sumarni": "28-04-1987", "Tumini": "05-05-1987", "Paiman": "10-10-1987"}


def _at(hours: float):
    start = dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB
    return time_machine.travel(start + dt.timedelta(hours=hours), tick=False)


def _correct(operator, row: SubmissionRow, birth_date: str) -> SubmissionRow:
    row.refresh_from_db()
    values = RowForm.initial_from_row(row) | {"birth_date": birth_date}
    return intake.row_correct(actor=operator, row=row, values=values, revision=row.revision)


def test_time_to_fix_is_the_median_hours_from_first_rejection_to_the_correcting_revision(
    verifier, operator, program, agency
):
    with _at(0):
        submission = import_bytes(
            actor=operator,
            program=program,
            agency=agency,
            data=csv_bytes([GOOD_CSV_HEADER, *WRONG_DATES]),
        )
    rows = {r.name: r for r in submission.rows.all()}
    assert {r.outcome for r in rows.values()} == {RowOutcome.REJECTED}

    with _at(3):  # Sumarni fixed after 3 hours
        assert _correct(operator, rows["Sumarni"], RIGHT_DATES["Sumarni"]).outcome == "accepted"
    with _at(6):  # Paiman after 6 hours
        assert _correct(operator, rows["Paiman"], RIGHT_DATES["Paiman"]).outcome == "accepted"
    with _at(10):  # Tumini corrected wrongly first (still rejected) ...
        assert _correct(operator, rows["Tumini"], "06-05-1987").outcome == "rejected"
    with _at(30):  # ... and rightly after 30 hours
        assert _correct(operator, rows["Tumini"], RIGHT_DATES["Tumini"]).outcome == "accepted"
    with _at(31):
        submission.refresh_from_db()
        intake.submission_submit(actor=operator, submission=submission)

    card = cards_of(verifier, program)["perikanan"]

    # Median of 3, 6 and 30 hours.
    assert (card.fix_hours, card.fixed, card.rows_sent) == (6.0, 3, 3)


def test_a_walk_in_row_counts_from_when_it_was_typed_in(verifier, operator, program, agency):
    values = {
        "nik": "3504096804870007",
        "name": "Sumarni",
        "birth_date": "12-08-1975",
        "sex": "P",
        "occupation": "Nelayan",
    }
    with _at(0):
        intake.entry_add(actor=operator, program=program, agency=agency, values={**values})
    with _at(48):  # a second worker two days later, wrong the same way
        row = intake.entry_add(
            actor=operator,
            program=program,
            agency=agency,
            values={**values, "nik": "3504094505870011", "name": "Tumini"},
        )
    with _at(50):  # fixed two hours after it was typed in, not fifty after the batch began
        _correct(operator, row, RIGHT_DATES["Tumini"])
        row.submission.refresh_from_db()
        intake.submission_submit(actor=operator, submission=row.submission)

    card = cards_of(verifier, program)["perikanan"]

    assert (card.fix_hours, card.fixed, card.rows_sent) == (2.0, 1, 2)


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.ADMIN, Role.LEADER])
def test_disnaker_and_leaders_see_every_agencys_card(role, pemda, program, run):
    response = client_for(UserFactory(pemda=pemda, role=role)).get(
        reverse("verification:scorecard"), {"program": program.pk}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert [c.agency.code for c in response.context["scorecard"].cards] == ["dishub", "perikanan"]
    assert "20,0 %" in html
    assert "40,0 %" in html
    assert "100,0 %" in html
    assert "–" in html  # no row was corrected: no time to fix


def test_an_agency_sees_only_its_own_card(operator, program, run):
    response = client_for(operator).get(reverse("verification:scorecard"))

    assert [c.agency.code for c in response.context["scorecard"].cards] == ["perikanan"]
    assert "Dinas Perhubungan" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.APPROVER, Role.FINANCE, Role.BPJS_OFFICER])
def test_other_roles_are_refused_the_scorecard(role, pemda, run):
    response = client_for(UserFactory(pemda=pemda, role=role)).get(
        reverse("verification:scorecard")
    )
    assert response.status_code == 403


def test_another_pemda_sees_none_of_our_agencies(foreign_admin, program, run):
    for query in ({"program": program.pk}, {"program": "abc"}, {}):
        response = client_for(foreign_admin).get(reverse("verification:scorecard"), query)
        assert response.status_code == 200
        assert response.context["program"] is None
        assert "Dinas Perikanan" not in response.content.decode()


def test_an_agencys_scorecard_names_its_agency_once_in_the_table_not_again_in_the_lead(
    operator, program, run
):
    html = client_for(operator).get(reverse("verification:scorecard")).content.decode()

    lead = html.split('class="lead">', 1)[1].split("</p>", 1)[0]
    assert "instansi Anda" in lead
    assert "Dinas Perikanan" not in lead

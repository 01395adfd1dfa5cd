"""The operator's home tells every occupation the program covers and how much of the agency's
quota the handed-in lists use; a list far over quota is flagged at home and on its page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from lindung.intake.models import (
    RowOutcome,
    Submission,
    SubmissionRow,
    SubmissionSource,
    SubmissionStatus,
)
from lindung.intake.selectors import agency_quota_usage
from lindung.programs.services import quota_set
from tests.conftest import client_for
from tests.factories import OccupationFactory, UserFactory


def _list(program, agency, *, accepted, status=SubmissionStatus.SUBMITTED):
    return Submission.objects.create(
        pemda=program.pemda,
        program=program,
        agency=agency,
        source=SubmissionSource.ENTRY if status == SubmissionStatus.DRAFT else "upload",
        status=status,
        rows_total=accepted,
        accepted=accepted,
    )


def test_the_operator_home_lists_every_occupation_the_program_covers(operator, program, pemda):
    names = [f"Pekerjaan {letter}" for letter in "ABCDEFGHIJKLMNOPQRSTU"]  # 21
    names[-2:] = ["Pengemudi becak", "Pengemudi ojek"]
    program.occupations.set([OccupationFactory(pemda=pemda, name=name) for name in names])

    html = client_for(operator).get(reverse("home")).content.decode()

    for name in names:
        assert name in html


def test_the_operator_home_shows_how_much_of_the_quota_the_handed_in_lists_use(
    admin, operator, agency, program
):
    quota_set(actor=admin, program=program, agency=agency, quota=4_000)
    _list(program, agency, accepted=1_250)

    html = client_for(operator).get(reverse("home")).content.decode()

    assert "1.250 / 4.000" in html
    assert "terpakai oleh usulan yang diserahkan" in html
    assert "melebihi kuota" not in html


def test_the_operator_home_warns_when_the_lists_are_far_over_quota(
    admin, operator, agency, program
):
    quota_set(actor=admin, program=program, agency=agency, quota=4_000)
    _list(program, agency, accepted=60_000)

    html = client_for(operator).get(reverse("home")).content.decode()

    assert "Usulan Anda melebihi kuota" in html
    assert "kelebihan 56.000 baris" in html


def test_the_operator_home_says_when_no_quota_is_set(operator, program):
    html = client_for(operator).get(reverse("home")).content.decode()

    assert "belum ditetapkan Disnaker" in html


def test_a_list_far_over_quota_is_flagged_on_its_page(admin, operator, agency, program):
    quota_set(actor=admin, program=program, agency=agency, quota=4_000)
    _list(program, agency, accepted=1_000)
    big = _list(program, agency, accepted=60_000, status=SubmissionStatus.DRAFT)

    html = client_for(operator).get(reverse("intake:detail", args=[big.pk])).content.decode()

    assert "Daftar ini berisi 60.000 baris layak" in html
    assert "sebanyak 57.000 baris" in html


def test_a_list_within_quota_carries_no_warning(admin, operator, agency, program):
    quota_set(actor=admin, program=program, agency=agency, quota=4_000)
    small = _list(program, agency, accepted=3_000)

    html = client_for(operator).get(reverse("intake:detail", args=[small.pk])).content.decode()

    assert "baris layak" not in html


def test_the_verifier_sees_the_quota_warning_of_the_agency_that_sent_the_list(
    admin, agency, program, pemda
):
    verifier = UserFactory(pemda=pemda, role="verifier")
    quota_set(actor=admin, program=program, agency=agency, quota=100)
    big = _list(program, agency, accepted=500)

    html = client_for(verifier).get(reverse("intake:detail", args=[big.pk])).content.decode()

    assert "sebanyak 400 baris" in html


def test_quota_usage_counts_only_the_users_own_agency(
    admin, operator, other_agency, agency, program
):
    quota_set(actor=admin, program=program, agency=agency, quota=4_000)
    _list(program, agency, accepted=10)
    _list(program, agency, accepted=5, status=SubmissionStatus.DRAFT)
    _list(program, other_agency, accepted=9_999)

    usage = agency_quota_usage(user=operator, program=program)

    assert (usage.quota, usage.handed_in, usage.in_drafts, usage.remaining) == (4_000, 10, 5, 3_990)


def test_the_birth_date_column_of_a_list_never_wraps_mid_date(operator, agency, program):
    submission = _list(program, agency, accepted=1)
    SubmissionRow.objects.create(
        pemda=program.pemda, submission=submission, agency=agency, row_number=2,
        name="Siti", birth_date=dt.date(1980, 12, 6), outcome=RowOutcome.ACCEPTED,
    )  # fmt: skip

    html = client_for(operator).get(reverse("intake:detail", args=[submission.pk])).content
    css = (Path(settings.BASE_DIR) / "lindung/static/lindung/app.css").read_text()

    assert re.search(r'<td class="nowrap"[^>]*>06-12-1980', html.decode())
    assert re.search(r"\.nowrap\s*\{\s*white-space:\s*nowrap", css)

"""The verifier's pages through HTTP: who may open them, running a verification and following
it, the review queue of probable register matches, the duplicate queue, all results, and the
thresholds. Bob (Dinas Perikanan) and Carol (Dinas Perhubungan) hand in small lists of people
taken from the sample register:

- P1 Slamet Siregar: NIK as in the register (ID 350400000003);
- P2 Supriyadi: the last two digits of his NIK swapped (register 350400000010), a probable
  link awaiting the verifier;
- P3 Muhammad Darimin: handed in by both agencies (register 350400000022), a duplicate group
  awaiting its owner;
- P4 Budi Santoso: a NIK of 15 digits; P5 Wahyu Nugroho: a valid NIK the register lacks;
- P6 Kariman Pangestu (Carol only): NIK as in the register (ID 350400000025).
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.intake.models import Submission
from lindung.verification.models import (
    MatchKind,
    MatchPolicy,
    Outcome,
    RowVerdict,
    Verdict,
    VerificationRun,
)
from lindung.verification.services import run_verification
from tests.conftest import client_for
from tests.factories import ProgramFactory, UserFactory
from tests.intake.conftest import csv_bytes

HEADER = ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Kecamatan", "Pekerjaan"]
P1 = ["3504041204864767", "Slamet Siregar", "12-04-1986", "L", "Ngantru", "Nelayan"]
P2 = ["3504031303983324", "Supriyadi", "13-03-1998", "L", "Kedungwaru", "Nelayan"]
P2_REGISTER_NIK = "3504031303983342"
P3 = ["3504031305839017", "Muhammad Darimin", "13-05-1983", "L", "Kedungwaru", "Nelayan"]
P4 = ["350403130598334", "Budi Santoso", "13-05-1998", "L", "Kedungwaru", "Nelayan"]
P5 = ["3504030101909999", "Wahyu Nugroho", "01-01-1990", "L", "Kedungwaru", "Nelayan"]
P6 = ["3504042604856178", "Kariman Pangestu", "26-04-1985", "L", "Ngantru", "Nelayan"]


def hand_in_lists(hand_in, agency, other_agency) -> tuple[Submission, Submission]:
    """Bob's list (P1–P5) and Carol's (P3, P6), handed in."""
    bobs = hand_in(agency, csv_bytes([HEADER, P1, P2, P3, P4, P5]), "perikanan.csv")
    carols = hand_in(other_agency, csv_bytes([HEADER, P3, P6]), "dishub.csv")
    return bobs, carols


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency) -> tuple[Submission, Submission]:
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists) -> VerificationRun:
    return run_verification(actor="cli", program=program)


def verdict_of(run: VerificationRun, submission: Submission, row_number: int) -> RowVerdict:
    return RowVerdict.objects.get(run=run, submission=submission, row__row_number=row_number)


# Spreadsheet rows: the header is row 1, so P1 is row 2 of Bob's list.
def probable(run: VerificationRun, lists) -> RowVerdict:
    return verdict_of(run, lists[0], 3)


def duplicate_pair(run: VerificationRun, lists) -> tuple[RowVerdict, RowVerdict]:
    return verdict_of(run, lists[0], 4), verdict_of(run, lists[1], 2)


def htmx(client, url: str, data: dict[str, object]):
    return client.post(url, data, HTTP_HX_REQUEST="true")


def verifier_pages(program, run) -> list[str]:
    return [
        reverse("verification:index"),
        reverse("verification:program", args=[program.pk]),
        reverse("verification:matches", args=[program.pk]),
        reverse("verification:duplicates", args=[program.pk]),
        reverse("verification:results", args=[program.pk]),
        reverse("verification:run", args=[run.pk]),
    ]


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.ADMIN])
def test_a_verifier_and_an_admin_open_every_verification_page(role, pemda, program, run):
    user = UserFactory(pemda=pemda, role=role)
    client = client_for(user)

    for url in verifier_pages(program, run):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.APPROVER, Role.FINANCE, Role.BPJS_OFFICER, Role.LEADER])
def test_other_disnaker_roles_are_refused_the_verifier_pages(role, pemda, program, run):
    client = client_for(UserFactory(pemda=pemda, role=role))

    for url in verifier_pages(program, run):
        assert client.get(url).status_code == 403, url


def test_an_operator_is_refused_the_verifier_pages_and_decisions(operator, program, run, lists):
    client = client_for(operator)

    for url in verifier_pages(program, run):
        assert client.get(url).status_code == 403, url
    link = probable(run, lists)
    response = client.post(reverse("verification:match_decide", args=[link.pk]), {"accepted": "1"})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.review_match


def test_a_verifier_of_another_pemda_gets_404_on_every_page_and_decision(
    other_pemda, program, run, lists
):
    client = client_for(UserFactory(pemda=other_pemda, role=Role.VERIFIER))

    assert client.get(reverse("verification:index")).status_code == 200
    assert program.name not in client.get(reverse("verification:index")).content.decode()
    for url in verifier_pages(program, run)[1:]:
        assert client.get(url).status_code == 404, url
    link = probable(run, lists)
    ours, theirs = duplicate_pair(run, lists)
    posts = [
        (reverse("verification:run_start", args=[program.pk]), {}),
        (reverse("verification:match_decide", args=[link.pk]), {"accepted": "1"}),
        (reverse("verification:matches_bulk", args=[program.pk]), {"min_score": "0,9"}),
        (
            reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
            {"owner": theirs.pk},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    link.refresh_from_db()
    ours.refresh_from_db()
    assert link.review_match
    assert ours.review_duplicate
    assert VerificationRun.objects.count() == 1


# --- runs ----------------------------------------------------------------------------------


def test_the_program_page_shows_the_current_runs_counts_snapshot_and_history(
    verifier, program, run
):
    response = client_for(verifier).get(reverse("verification:program", args=[program.pk]))

    html = response.content.decode()
    assert "DTKS keadaan per 30 Juni 2025" in html
    assert "register.csv" in html
    assert response.context["rows"] == 7
    assert response.context["pending_matches"] == 1
    assert response.context["pending_groups"] == 1
    outcomes = {value: n for value, _label, n in response.context["outcomes"]}
    assert outcomes[Outcome.IN_REGISTER] == 2
    assert outcomes[Outcome.DUPLICATE] == 2
    assert outcomes[Outcome.NIK_INVALID] == 1
    verdicts = {value: n for value, _label, n in response.context["verdicts"]}
    assert verdicts == {Verdict.ELIGIBLE: 3, Verdict.REVIEW: 3, Verdict.INELIGIBLE: 1}
    assert list(response.context["history"]) == [run]
    assert "Jalankan verifikasi" in html


def test_running_verification_queues_a_run_that_the_page_follows_until_done(
    verifier, program, lists, django_capture_on_commit_callbacks
):
    client = client_for(verifier)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("verification:run_start", args=[program.pk]))

    run = VerificationRun.objects.get()
    assert response.url == reverse("verification:run", args=[run.pk])
    assert run.status == JobStatus.DONE
    assert run.started_by == verifier
    assert AuditEvent.objects.filter(action="verification.queued", actor=verifier).exists()
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200
    # Forwarded in place of the progress page in history (app.js), not pushed: Back from the
    # results must not land on a page that forwards again.
    assert "HX-Redirect" not in polled
    assert json.loads(polled["HX-Trigger"]) == {
        "lindung:forward": reverse("verification:program", args=[program.pk])
    }
    # Without scripts the finished page is a plain link to the results.
    assert reverse("verification:program", args=[program.pk]) in polled.content.decode()
    assert "every 1s" not in polled.content.decode()


def test_a_queued_run_is_polled_and_a_second_request_is_refused(verifier, program, lists):
    client = client_for(verifier)
    # Without the commit callbacks the job is never handed to the worker: it stays queued.
    client.post(reverse("verification:run_start", args=[program.pk]))
    run = VerificationRun.objects.get()

    page = client.get(reverse("verification:run", args=[run.pk]))
    again = client.post(reverse("verification:run_start", args=[program.pk]), follow=True)

    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert "Menunggu" in page.content.decode()
    assert VerificationRun.objects.count() == 1
    assert "sedang berjalan" in again.content.decode()
    program_page = client.get(reverse("verification:program", args=[program.pk]))
    assert f"Lihat proses verifikasi #{run.pk}" in program_page.content.decode()


def test_a_failed_run_shows_its_error_and_can_be_run_again(
    verifier, program, lists, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(verifier)

    def broken(run, *, context):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lindung.verification.verify.execute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("verification:run_start", args=[program.pk]))
    failed = VerificationRun.objects.get()
    assert failed.status == JobStatus.FAILED

    page = client.get(response.url).content.decode()
    polled = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()

    assert "Verifikasi terhenti karena gangguan; jalankan ulang." in page
    assert "disk full" not in page
    assert "Jalankan ulang" in page
    assert "every 1s" not in polled
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verification:run_start", args=[program.pk]))
    assert VerificationRun.objects.order_by("-pk").first().status == JobStatus.DONE


def test_running_verification_with_nothing_handed_in_says_why(verifier, program):
    response = client_for(verifier).post(
        reverse("verification:run_start", args=[program.pk]), follow=True
    )

    assert response.status_code == 200
    assert "Belum ada usulan yang diserahkan" in response.content.decode()
    assert not VerificationRun.objects.exists()


def test_a_program_or_run_that_does_not_exist_is_404(verifier, program, run):
    client = client_for(verifier)

    assert client.get(reverse("verification:program", args=[999_999])).status_code == 404
    assert client.get(reverse("verification:run", args=[999_999])).status_code == 404
    assert client.get("/verifikasi/program/abc/").status_code == 404


# --- probable register matches ---------------------------------------------------------------


def test_the_match_queue_shows_the_row_and_the_register_record_side_by_side(
    verifier, program, run, lists
):
    response = client_for(verifier).get(reverse("verification:matches", args=[program.pk]))

    html = response.content.decode()
    [item] = response.context["items"]
    assert item.verdict == probable(run, lists)
    assert "ID 350400000010" in html
    assert "SUPRIYADI" in html
    assert "Supriyadi" in html
    # 3504031303983324 against 3504031303983342: the swapped pair is marked on both sides.
    assert "35040313039833<mark>2</mark><mark>4</mark>" in html
    assert "35040313039833<mark>4</mark><mark>2</mark>" in html
    assert "dua digit NIK tertukar, nama sama, tanggal lahir sama" in html
    assert "Skor 1,00" in html
    assert "Terima: orang yang sama" in html


def test_the_match_queue_filters_by_agency_and_outcome_and_ignores_nonsense(
    verifier, program, run, other_agency, agency
):
    client = client_for(verifier)
    url = reverse("verification:matches", args=[program.pk])

    assert len(client.get(url, {"instansi": agency.pk}).context["items"]) == 1
    assert client.get(url, {"instansi": other_agency.pk}).context["items"] == []
    assert client.get(url, {"hasil": Outcome.DUPLICATE}).context["items"] == []
    assert len(client.get(url, {"hasil": Outcome.PROBABLE_IN_REGISTER}).context["items"]) == 1
    for nonsense in ({"instansi": "abc"}, {"hasil": "zzz"}, {"hal": "x"}, {"hal": "99"}):
        response = client.get(url, nonsense)
        assert response.status_code == 200
        assert len(response.context["items"]) == 1
    fragment = client.get(url, {"instansi": other_agency.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "Tidak ada calon padanan" in fragment.content.decode()


def test_the_match_queue_costs_the_same_few_queries_for_a_page(
    verifier, program, run, django_assert_max_num_queries
):
    client = client_for(verifier)
    client.get(reverse("home"))  # the session is written once, outside the count
    # 12, the tabs' open counts, and the decisions that may still be undone (count, page).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("verification:matches", args=[program.pk]))
    assert response.status_code == 200


def test_accepting_a_match_swaps_the_item_and_is_audited(verifier, program, run, lists):
    link = probable(run, lists)

    response = htmx(
        client_for(verifier),
        reverse("verification:match_decide", args=[link.pk]),
        {"accepted": "1", "note": "KTP dicek, digit tertukar"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="padanan-{link.pk}"' in html
    assert "Diterima: orang yang sama" in html
    link.refresh_from_db()
    assert (link.review_match, link.outcome, link.verdict) == (
        False,
        Outcome.IN_REGISTER,
        Verdict.ELIGIBLE,
    )
    event = AuditEvent.objects.get(action="verification.match_accepted")
    assert event.actor == verifier
    assert event.changes["note"] == "KTP dicek, digit tertukar"
    assert event.changes["register_id"] == "350400000010"


def test_rejecting_a_match_without_htmx_comes_back_to_the_queue(verifier, program, run, lists):
    link = probable(run, lists)

    response = client_for(verifier).post(
        reverse("verification:match_decide", args=[link.pk]), {"accepted": "0"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("verification:matches", args=[program.pk])
    assert "Padanan ditolak." in response.content.decode()
    link.refresh_from_db()
    assert (link.match, link.outcome) == (MatchKind.NONE, Outcome.NOT_IN_REGISTER)
    assert AuditEvent.objects.filter(action="verification.match_rejected").exists()


@pytest.mark.parametrize("data", [{}, {"accepted": "x"}, {"accepted": "1", "note": "n" * 600}])
def test_a_decision_with_bad_input_is_refused_with_a_message(verifier, run, lists, data):
    link = probable(run, lists)

    response = htmx(
        client_for(verifier), reverse("verification:match_decide", args=[link.pk]), data
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    link.refresh_from_db()
    assert link.review_match
    assert not AuditEvent.objects.filter(action__startswith="verification.match_").exists()


def test_a_match_decided_already_is_not_decided_again(verifier, run, lists):
    link = probable(run, lists)
    client = client_for(verifier)
    url = reverse("verification:match_decide", args=[link.pk])
    htmx(client, url, {"accepted": "1"})

    response = htmx(client, url, {"accepted": "0"})

    assert "sudah diputuskan" in response.content.decode()
    link.refresh_from_db()
    assert link.outcome == Outcome.IN_REGISTER
    assert AuditEvent.objects.filter(action__startswith="verification.match_").count() == 1


def test_a_decision_on_a_verdict_of_an_older_run_is_404(verifier, program, run, lists):
    link = probable(run, lists)
    run_verification(actor="cli", program=program)

    response = client_for(verifier).post(
        reverse("verification:match_decide", args=[link.pk]), {"accepted": "1"}
    )

    assert response.status_code == 404
    assert (
        client_for(verifier)
        .post(reverse("verification:match_decide", args=[999_999]), {"accepted": "1"})
        .status_code
        == 404
    )


def test_bulk_accept_takes_every_clear_case_at_or_above_the_score(verifier, program, run, lists):
    response = client_for(verifier).post(
        reverse("verification:matches_bulk", args=[program.pk]),
        {"min_score": "0,99", "note": "jelas", "expected": "1"},  # as confirmed
        follow=True,
    )

    assert "1 calon padanan dengan skor ≥ 0,99 diterima." in response.content.decode()
    link = probable(run, lists)
    assert (link.review_match, link.outcome) == (False, Outcome.IN_REGISTER)
    assert AuditEvent.objects.get(action="verification.matches_bulk_accepted").changes == {
        "min_score": 0.99,
        "rows": 1,
    }


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("abc", "Tulis angka antara 0 dan 1"),
        ("", "wajib"),
        ("0,3", "0,5"),
        ("7", "1"),
        ("nan", "Tulis angka"),
    ],
)
def test_bulk_accept_with_a_bad_score_is_refused_with_a_message(
    verifier, program, run, lists, score, message
):
    response = client_for(verifier).post(
        reverse("verification:matches_bulk", args=[program.pk]), {"min_score": score}, follow=True
    )

    assert response.status_code == 200
    [shown] = [str(m) for m in response.context["messages"]]
    assert message.lower() in shown.lower(), shown
    assert probable(run, lists).review_match


# --- duplicates ------------------------------------------------------------------------------


def test_the_duplicate_queue_shows_a_groups_rows_side_by_side(verifier, program, run, lists):
    response = client_for(verifier).get(reverse("verification:duplicates", args=[program.pk]))

    html = response.content.decode()
    [group] = response.context["groups"]
    ours, theirs = duplicate_pair(run, lists)
    assert {m.pk for m in group.members} == {ours.pk, theirs.pk}
    assert "Dinas Perikanan" in html
    assert "Dinas Perhubungan" in html
    assert html.count("3504031305839017") == 2  # full NIKs for the verifier
    assert "Dinas Perikanan baris 4 meneruskan" in html
    assert "Dinas Perhubungan baris 2 meneruskan" in html
    assert "Kedungwaru" in html


def test_choosing_the_owner_tells_the_other_agency_why(verifier, operator, program, run, lists):
    ours, theirs = duplicate_pair(run, lists)

    response = htmx(
        client_for(verifier),
        reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
        {"owner": theirs.pk, "note": "Bekerja sebagai ojek, bukan nelayan"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="ganda-{ours.group}"' in html
    assert "Pemilik tersimpan" in html
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert not ours.review_duplicate
    assert not theirs.review_duplicate
    assert (ours.outcome, ours.verdict) == (Outcome.DUPLICATE, Verdict.INELIGIBLE)
    assert theirs.outcome == Outcome.IN_REGISTER
    event = AuditEvent.objects.get(action="verification.duplicate_resolved")
    assert event.actor == verifier
    assert event.changes["owner_row"] == theirs.row_id
    assert event.changes["owner_row_number"] == 2
    # Bob's page says who keeps the person and why.
    page = client_for(operator).get(reverse("intake:detail", args=[lists[0].pk]))
    assert (
        "Orang yang sama diusulkan oleh Dinas Perhubungan (baris 2); usulan ini tidak "
        "diteruskan. Catatan: Bekerja sebagai ojek, bukan nelayan" in page.content.decode()
    )


def test_rows_of_different_people_are_kept_apart(verifier, run, lists):
    ours, theirs = duplicate_pair(run, lists)

    response = htmx(
        client_for(verifier),
        reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
        {"owner": "0", "note": "Beda orang, nama ibu berbeda"},
    )

    assert response.status_code == 200
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert not ours.review_duplicate
    assert not theirs.review_duplicate
    assert Outcome.DUPLICATE not in {f["code"] for f in ours.findings + theirs.findings}
    assert AuditEvent.objects.filter(action="verification.duplicate_separated").count() == 1


@pytest.mark.parametrize("owner", ["", "abc", "-1", "outside"])
def test_an_owner_outside_the_group_is_refused(verifier, run, lists, owner):
    ours, _theirs = duplicate_pair(run, lists)
    if owner == "outside":
        owner = str(verdict_of(run, lists[0], 2).pk)

    response = htmx(
        client_for(verifier),
        reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
        {"owner": owner},
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    ours.refresh_from_db()
    assert ours.review_duplicate
    assert not AuditEvent.objects.filter(action="verification.duplicate_resolved").exists()


def test_a_group_that_does_not_exist_is_404(verifier, run):
    response = client_for(verifier).post(
        reverse("verification:duplicate_decide", args=[run.pk, 4242]), {"owner": "1"}
    )
    assert response.status_code == 404


def test_without_htmx_choosing_the_owner_comes_back_to_the_queue(verifier, program, run, lists):
    ours, theirs = duplicate_pair(run, lists)

    response = client_for(verifier).post(
        reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
        {"owner": ours.pk},
        follow=True,
    )

    assert "Pemilik data ganda tersimpan." in response.content.decode()
    assert response.context["groups"] == []
    theirs.refresh_from_db()
    assert "Dinas Perikanan (baris 4)" in theirs.findings[0]["message"]


# --- all results -----------------------------------------------------------------------------


def test_the_results_filter_by_verdict_and_agency(verifier, program, run, other_agency):
    client = client_for(verifier)
    url = reverse("verification:results", args=[program.pk])

    ineligible = client.get(url, {"kesimpulan": Verdict.INELIGIBLE})
    theirs = client.get(url, {"instansi": other_agency.pk})

    assert [v.row.name for v in ineligible.context["verdicts"]] == ["Budi Santoso"]
    assert "NIK harus 16 digit" in ineligible.content.decode()
    assert {v.row.name for v in theirs.context["verdicts"]} == {
        "Muhammad Darimin",
        "Kariman Pangestu",
    }


def test_pages_before_any_run_say_so(verifier, program):
    client = client_for(verifier)

    for name in ("program", "matches", "duplicates", "results"):
        response = client.get(reverse(f"verification:{name}", args=[program.pk]))
        assert response.status_code == 200
        assert "belum pernah selesai diverifikasi" in response.content.decode()


# --- thresholds ------------------------------------------------------------------------------


def test_the_admin_changes_the_thresholds_with_indonesian_decimals(admin, pemda):
    client = client_for(admin)
    page = client.get(reverse("verification:policy")).content.decode()
    assert "0,99" in page
    assert "langsung dianggap ada di DTKS/DTSEN" in page

    response = client.post(
        reverse("verification:policy"),
        {
            "link_accept": "0,98",
            "link_review": "0.6",
            "duplicate_accept": "0,97",
            "duplicate_review": "0,55",
        },
        follow=True,
    )

    assert "Ambang pencocokan tersimpan" in response.content.decode()
    policy = MatchPolicy.objects.get(pemda=pemda)
    assert (policy.link_accept, policy.link_review) == (0.98, 0.6)
    assert (policy.duplicate_accept, policy.duplicate_review) == (0.97, 0.55)
    event = AuditEvent.objects.get(action="verification.policy_changed")
    assert event.changes["link_accept"] == [0.99, 0.98]


def test_the_admin_has_the_evidence_weights_learned_from_the_data(admin, pemda):
    client = client_for(admin)
    assert "Pelajari bobot bukti" in client.get(reverse("verification:policy")).content.decode()
    data = {
        "link_accept": "0,99",
        "link_review": "0,5",
        "duplicate_accept": "0,99",
        "duplicate_review": "0,5",
        "learn_weights": "on",
    }

    client.post(reverse("verification:policy"), data, follow=True)

    assert MatchPolicy.objects.get(pemda=pemda).learn_weights is True
    event = AuditEvent.objects.get(action="verification.policy_changed")
    assert event.changes == {"learn_weights": [False, True]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("link_accept", "abc", "Tulis angka antara 0 dan 1"),
        ("link_accept", "1,5", "1"),
        ("link_review", "0,995", "tidak boleh di atas ambang otomatis"),
        ("duplicate_review", "0", "lebih dari 0"),
        ("duplicate_accept", "", "wajib"),
    ],
)
def test_bad_thresholds_are_refused_in_bahasa_indonesia(admin, pemda, field, value, message):
    data = {
        "link_accept": "0,99",
        "link_review": "0,5",
        "duplicate_accept": "0,99",
        "duplicate_review": "0,5",
    } | {field: value}

    response = client_for(admin).post(reverse("verification:policy"), data)

    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower(), errors
    assert not MatchPolicy.objects.filter(pemda=pemda).exists()


def test_only_an_admin_sets_thresholds(verifier, operator, foreign_admin, pemda):
    assert client_for(verifier).get(reverse("verification:policy")).status_code == 403
    assert client_for(operator).post(reverse("verification:policy"), {}).status_code == 403
    response = client_for(foreign_admin).post(
        reverse("verification:policy"),
        {
            "link_accept": "0,9",
            "link_review": "0,5",
            "duplicate_accept": "0,9",
            "duplicate_review": "0,5",
        },
    )
    assert response.status_code == 302
    assert not MatchPolicy.objects.filter(pemda=pemda).exists()


def test_the_index_lists_each_program_with_its_last_run(verifier, pemda, program, run):
    ProgramFactory(pemda=pemda, code="lain", name="Program Lain")

    response = client_for(verifier).get(reverse("verification:index"))

    rows = dict(response.context["rows"])
    assert rows[program] == run
    assert "Belum pernah diverifikasi." in response.content.decode()


# --- dates as people read them ----------------------------------------------------------------

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_verification_pages_show_no_iso_dates(admin, program, run):
    client = client_for(admin)
    MatchPolicy.objects.create(pemda=program.pemda, updated_by=admin)

    for url in [*verifier_pages(program, run), reverse("verification:policy")]:
        html = client.get(url).content.decode()
        shown = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
        assert not ISO_DATE.search(shown), (url, ISO_DATE.search(shown))


def test_the_run_and_its_register_are_dated_in_words_where_people_read_them(verifier, program, run):
    finished = date_format(localtime(run.finished_at), "j F Y H:i")

    program_page = client_for(verifier).get(reverse("verification:program", args=[program.pk]))
    scorecard = client_for(verifier).get(reverse("verification:scorecard"))

    assert "DTKS keadaan per 30 Juni 2025" in program_page.content.decode()
    assert f"<dd>{finished}" in program_page.content.decode()
    assert f"({finished})" in scorecard.content.decode()
    assert str(run.snapshot) == "DTKS per 30 Juni 2025"

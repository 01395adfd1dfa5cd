"""What the verifier's inline actions change on the page around them, and the actions that
need a second thought: the counters follow a decision without a reload, a bulk accept shows
its count and asks first, and a single decision can be undone until the next run.

Uses the lists of tests/verification/test_views.py: one probable link (P2, Bob's list) and
one duplicate group (P3, handed in by Bob's and Carol's agencies)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.verification.models import (
    MatchKind,
    Outcome,
    ReviewDecision,
    Verdict,
    VerificationRun,
)
from lindung.verification.services import match_decide, run_request, run_verification
from tests.conftest import client_for
from tests.verification.test_views import duplicate_pair, hand_in_lists, probable


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency):
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists) -> VerificationRun:
    return run_verification(actor="cli", program=program)


def out_of_band(html: str, element_id: str) -> str:
    """The text of the out-of-band fragment with that id in an htmx response."""
    found = re.search(
        rf'<(\w+) [^>]*id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</\1>', html, re.S
    )
    assert found, f"no out-of-band #{element_id} in the response"
    return re.sub(r"<[^>]+>", "", found.group(2)).strip()


# --- Counters follow inline decisions ---------------------------------------------------------


def test_the_queue_pages_show_the_open_counts_on_their_tabs(verifier, program, run):
    html = client_for(verifier).get(reverse("verification:results", args=[program.pk])).content
    text = html.decode()

    assert re.search(r"Calon padanan DTKS/DTSEN<span id=\"tab-padanan-n\"> \(1\)</span>", text)
    assert re.search(r"Data ganda antarinstansi<span id=\"tab-ganda-n\"> \(1\)</span>", text)


def test_a_match_decision_sends_the_new_counts_with_the_decided_item(verifier, program, run, lists):
    client = client_for(verifier)
    page = client.get(reverse("verification:matches", args=[program.pk])).content.decode()
    assert "1 calon padanan menunggu keputusan." in page

    response = client.post(
        reverse("verification:match_decide", args=[probable(run, lists).pk]),
        {"accepted": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver"
        + reverse("verification:matches", args=[program.pk]),
    )

    html = response.content.decode()
    assert "Diterima: orang yang sama" in html
    assert out_of_band(html, "padanan-menunggu") == "0 calon padanan menunggu keputusan."
    assert out_of_band(html, "tab-padanan-n") == "(0)"
    assert "Saat ini 0 calon" in out_of_band(html, "padanan-jelas")


def test_the_count_sent_back_keeps_the_filter_of_the_page(
    verifier, program, run, lists, other_agency
):
    # Carol's agency has no probable link: its filtered queue was empty and stays so.
    url = reverse("verification:matches", args=[program.pk]) + f"?instansi={other_agency.pk}"

    response = client_for(verifier).post(
        reverse("verification:match_decide", args=[probable(run, lists).pk]),
        {"accepted": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver" + url,
    )

    assert out_of_band(response.content.decode(), "padanan-menunggu").startswith("0 ")


def test_choosing_an_owner_sends_the_new_group_counts(verifier, program, run, lists):
    ours, theirs = duplicate_pair(run, lists)

    response = client_for(verifier).post(
        reverse("verification:duplicate_decide", args=[run.pk, ours.group]),
        {"owner": str(theirs.pk)},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver"
        + reverse("verification:duplicates", args=[program.pk]),
    )

    html = response.content.decode()
    assert "Pemilik tersimpan" in html
    assert out_of_band(html, "ganda-menunggu") == "0 kelompok menunggu pemilik."
    assert out_of_band(html, "tab-ganda-n") == "(0)"


# --- Bulk accept asks first -------------------------------------------------------------------


def bulk(client, program, **data):
    return client.post(reverse("verification:matches_bulk", args=[program.pk]), data)


def test_bulk_accept_first_shows_how_many_and_accepts_nothing(verifier, program, run, lists):
    response = bulk(client_for(verifier), program, min_score="0,99", note="jelas")

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 padanan akan diterima." in html
    assert "Ya, terima 1 padanan" in html
    assert 'name="expected" value="1"' in html
    assert 'name="min_score" value="0,99"' in html
    assert probable(run, lists).review_match
    assert not ReviewDecision.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="verification.match").exists()


def test_the_confirmation_keeps_every_decimal_of_the_score(verifier, program, run, lists):
    html = bulk(client_for(verifier), program, min_score="0,955").content.decode()

    assert 'name="min_score" value="0,955"' in html
    assert "skor ≥ 0,955?" in html


def test_the_confirmed_bulk_accept_takes_the_count_shown(verifier, program, run, lists):
    response = bulk(client_for(verifier), program, min_score="0,99", note="jelas", expected="1")

    assert response.status_code == 302
    assert not probable(run, lists).review_match
    assert AuditEvent.objects.get(action="verification.matches_bulk_accepted").changes["rows"] == 1


def test_a_bulk_accept_whose_count_changed_meanwhile_asks_again(verifier, program, run, lists):
    # Confirmed for 1, but the link was decided by hand in between: nothing is accepted.
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=False)

    response = bulk(client_for(verifier), program, min_score="0,99", expected="1")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Jumlah calon padanan berubah" in html
    assert "Tidak ada calon padanan tanpa pesaing" in html
    assert "Ya, terima" not in html
    assert not AuditEvent.objects.filter(action="verification.matches_bulk_accepted").exists()
    assert not ReviewDecision.objects.get().accepted


# --- A single decision can be undone until the next run ---------------------------------------


def undo(client, verdict, **headers):
    return client.post(reverse("verification:match_undo", args=[verdict.pk]), **headers)


@pytest.mark.parametrize("accepted", [True, False])
def test_undoing_a_decision_puts_the_link_back_in_the_queue_as_the_run_left_it(
    verifier, program, run, lists, accepted
):
    before = probable(run, lists)
    client = client_for(verifier)
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=accepted, note="cek")

    response = undo(client, probable(run, lists))

    assert response.status_code == 302
    after = probable(run, lists)
    assert after.review_match
    assert (after.match, after.outcome, after.verdict, after.findings) == (
        before.match,
        before.outcome,
        before.verdict,
        before.findings,
    )
    assert after.verdict == Verdict.REVIEW
    assert not ReviewDecision.objects.exists()
    event = AuditEvent.objects.get(action="verification.match_undone")
    assert event.actor == verifier
    assert event.changes["accepted"] is accepted
    assert event.changes["note"] == "cek"
    page = client.get(response.url).content.decode()
    assert "Keputusan dibatalkan" in page
    assert "1 calon padanan menunggu keputusan." in page


def test_undoing_inline_swaps_the_item_back_to_its_buttons_and_the_counts(
    verifier, program, run, lists
):
    client = client_for(verifier)
    decided = client.post(
        reverse("verification:match_decide", args=[probable(run, lists).pk]),
        {"accepted": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Batalkan keputusan" in decided
    assert "1 keputusan pada verifikasi ini dapat dibatalkan" in out_of_band(decided, "keputusan")

    html = undo(client, probable(run, lists), HTTP_HX_REQUEST="true").content.decode()

    assert "Keputusan dibatalkan" in html
    assert "Terima: orang yang sama" in html
    assert out_of_band(html, "tab-padanan-n") == "(1)"
    assert "0 keputusan" in out_of_band(html, "keputusan")


def test_the_match_page_lists_the_decisions_that_can_still_be_undone(verifier, program, run, lists):
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)

    html = client_for(verifier).get(reverse("verification:matches", args=[program.pk]))
    text = html.content.decode()

    assert "1 keputusan pada verifikasi ini dapat dibatalkan" in text
    assert reverse("verification:match_undo", args=[probable(run, lists).pk]) in text


@pytest.mark.parametrize("newer", [JobStatus.DONE, JobStatus.QUEUED])
def test_a_decision_cannot_be_undone_once_a_newer_run_took_it(verifier, program, run, lists, newer):
    link = probable(run, lists)
    match_decide(actor=verifier, verdict=link, accepted=True)
    if newer == JobStatus.DONE:
        later = run_verification(actor="cli", program=program)
    else:
        later = run_request(actor="cli", program=program, enqueue=False)

    response = undo(client_for(verifier), link, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"verifikasi #{later.pk} sudah dijalankan" in html
    assert "sampai verifikasi berikutnya" in html
    assert ReviewDecision.objects.filter(accepted=True).exists()
    assert not AuditEvent.objects.filter(action="verification.match_undone").exists()


def test_a_decision_taken_before_the_current_run_cannot_be_undone(verifier, program, run, lists):
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)
    later = run_verification(actor="cli", program=program)
    used = probable(later, lists)
    assert (used.outcome, used.review_match) == (Outcome.IN_REGISTER, False)

    client = client_for(verifier)
    response = undo(client, used)

    assert response.status_code == 302
    assert ReviewDecision.objects.exists()
    page = client.get(response.url).content.decode()
    assert f"diambil sebelum verifikasi #{later.pk}" in page


def test_an_undecided_link_has_nothing_to_undo(verifier, run, lists):
    response = undo(client_for(verifier), probable(run, lists), HTTP_HX_REQUEST="true")

    assert "Belum ada keputusan" in response.content.decode()
    assert probable(run, lists).match in (MatchKind.PROBABLE, MatchKind.EXACT)


def test_undo_is_for_verifiers_of_the_pemda_only(operator, foreign_admin, verifier, run, lists):
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)

    assert undo(client_for(operator), probable(run, lists)).status_code == 403
    assert undo(client_for(foreign_admin), probable(run, lists)).status_code == 404
    assert ReviewDecision.objects.exists()

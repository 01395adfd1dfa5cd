"""What the verifier's inline actions change on the page around them, and the actions that
need a second thought: the counters follow a decision without a reload, a bulk accept shows
its count and asks first, and a single decision can be undone until the next run.

Uses the lists of tests/verification/test_views.py: one probable link (P2, Bob's list) and
one duplicate group (P3, handed in by Bob's and Carol's agencies)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lindung.verification.models import VerificationRun
from lindung.verification.services import run_verification
from tests.conftest import client_for
from tests.verification.test_views import duplicate_pair, hand_in_lists, probable


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency):  # type: ignore[no-untyped-def]
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists) -> VerificationRun:  # type: ignore[no-untyped-def]
    return run_verification(actor="cli", program=program)


def out_of_band(html: str, element_id: str) -> str:
    """The text of the out-of-band fragment with that id in an htmx response."""
    found = re.search(
        rf'<(\w+) [^>]*id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</\1>', html
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

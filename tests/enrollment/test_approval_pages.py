"""The maker–checker pages: the proposal list and page, the Kepala Dinas asked first with the
count and cost, the return with a required note that the proposer then reads, the documents
of an approved proposal, and the proposals waiting on the Kepala Dinas's home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.enrollment.approval import allocation_approve
from lindung.enrollment.models import AllocationStatus, LineOutcome, WaitReason
from lindung.workers.models import Enrolment
from tests.conftest import client_for
from tests.factories import AllocationFactory, AllocationLineFactory, UserFactory


@pytest.fixture
def proposed(program, agency, funding_source, verifier):
    allocation = AllocationFactory(
        program=program, proposed_by=verifier, allocated=2, waiting=1, cost=2 * 12 * 16_800
    )
    AllocationLineFactory(
        allocation=allocation, agency=agency, funding_source=funding_source,
        nik="3504014101800001", name="Siti Aminah",
    )  # fmt: skip
    AllocationLineFactory(allocation=allocation, agency=agency, funding_source=funding_source)
    AllocationLineFactory(
        allocation=allocation, agency=agency, name="Menunggu Satu",
        outcome=LineOutcome.WAITING, wait_reason=WaitReason.BUDGET,
    )  # fmt: skip
    return allocation


def _detail(allocation, **query):
    url = reverse("enrollment:allocation_detail", args=[allocation.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_list_shows_proposals_with_who_counts_and_cost(proposed, approver):
    html = client_for(approver).get(reverse("enrollment:proposal_list")).content.decode()

    assert f"#{proposed.pk}" in html
    assert "Menunggu persetujuan" in html
    assert "erin" in html
    assert "Rp 403.200" in html


@pytest.mark.parametrize("role", [Role.AGENCY_OPERATOR, Role.FINANCE, Role.BPJS_OFFICER])
def test_other_roles_do_not_see_proposals(proposed, pemda, agency, role):
    user = UserFactory(
        pemda=pemda, role=role, agency=agency if role == Role.AGENCY_OPERATOR else None
    )

    assert client_for(user).get(reverse("enrollment:proposal_list")).status_code == 403


def test_another_pemda_cannot_open_the_proposal(proposed, other_pemda):
    stranger = UserFactory(pemda=other_pemda, role=Role.APPROVER)

    assert client_for(stranger).get(_detail(proposed)).status_code == 404


def test_the_page_summarises_and_masks_niks(proposed, approver):
    html = client_for(approver).get(_detail(proposed)).content.decode()

    assert "Siti Aminah" in html
    assert "3504********0001" in html
    assert "3504014101800001" not in html
    assert "Anggaran tidak cukup (1)" in html
    assert "Dinas Perikanan" in html
    assert "APBD Kabupaten" in html
    assert "Setujui" in html
    assert "Kembalikan" in html


def test_the_waiting_tab_lists_the_waiting_list_with_its_reason(proposed, approver):
    html = client_for(approver).get(_detail(proposed, tab="waiting")).content.decode()

    assert "Menunggu Satu" in html
    assert "Siti Aminah" not in html


def test_the_proposer_sees_no_decision_buttons(program, agency, funding_source, approver):
    own = AllocationFactory(program=program, proposed_by=approver)
    AllocationLineFactory(allocation=own, agency=agency, funding_source=funding_source)

    html = client_for(approver).get(_detail(own)).content.decode()

    assert "Kembalikan" not in html
    assert "Anda buat sendiri" in html


def test_approving_asks_first_with_the_count_and_cost(proposed, approver):
    client = client_for(approver)
    url = reverse("enrollment:allocation_approve", args=[proposed.pk])

    html = client.get(url).content.decode()
    assert "2 orang akan ditetapkan" in html
    assert "Rp 403.200" in html
    assert not Enrolment.objects.exists()

    response = client.post(url, {"version": proposed.version})
    assert response.status_code == 302
    assert Enrolment.objects.count() == 2
    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.APPROVED


def test_an_approval_of_a_stale_page_is_refused_with_a_message(proposed, approver):
    client = client_for(approver)
    url = reverse("enrollment:allocation_approve", args=[proposed.pk])

    response = client.post(url, {"version": proposed.version + 7}, follow=True)

    assert "sudah diputuskan atau baru saja diubah" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_verifier_cannot_approve(proposed, verifier):
    url = reverse("enrollment:allocation_approve", args=[proposed.pk])
    assert client_for(verifier).post(url, {"version": 1}).status_code == 403


def test_a_return_needs_a_note_and_the_proposer_then_reads_it(proposed, approver, verifier):
    url = reverse("enrollment:allocation_return", args=[proposed.pk])
    client = client_for(approver)

    refused = client.post(url, {"version": proposed.version, "note": " "}, follow=True)
    assert "Tuliskan catatan" in refused.content.decode()

    client.post(url, {"version": proposed.version, "note": "Utamakan nelayan pesisir."})
    proposed.refresh_from_db()
    assert proposed.status == AllocationStatus.RETURNED

    html = client_for(verifier).get(_detail(proposed)).content.decode()
    assert "Utamakan nelayan pesisir." in html


def test_an_approved_proposal_offers_its_documents(proposed, approver, verifier):
    allocation_approve(actor=approver, allocation=proposed)
    client = client_for(verifier)

    html = client.get(_detail(proposed)).content.decode()
    assert "Unduh berita acara (PDF)" in html

    pdf = client.get(reverse("enrollment:allocation_download", args=[proposed.pk, "berita_acara"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(
        reverse("enrollment:allocation_download", args=[proposed.pk, "approved_list"])
    )
    assert xlsx.content.startswith(b"PK")
    assert "attachment" in xlsx["Content-Disposition"]


def test_a_document_of_a_pending_proposal_is_a_message_not_an_error(proposed, approver):
    url = reverse("enrollment:allocation_download", args=[proposed.pk, "berita_acara"])

    response = client_for(approver).get(url, follow=True)

    assert response.status_code == 200
    assert "sudah disetujui" in response.content.decode()


def test_the_kepala_dinas_home_lists_proposals_awaiting_approval(proposed, approver):
    html = client_for(approver).get(reverse("home")).content.decode()

    assert "Usulan menunggu persetujuan Anda" in html
    assert f"#{proposed.pk}" in html
    assert "2 orang, Rp 403.200" in html

"""The claim's papers: a checklist per claim type, uploads checked by content, "documents
complete" only when every required item has an upload or a waiver with a reason, every
upload and download audited, and the page (heirs, papers, accident story) for claim handlers
only, each view audited."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.claims.checklist import CHECKLIST, ITEMS, items_for, missing
from lindung.claims.documents import (
    claim_document_open,
    claim_document_remove,
    claim_document_upload,
    claim_document_waive,
)
from lindung.claims.models import ClaimDocument, ClaimStatus
from lindung.claims.services import Incident, claim_advance, claim_report
from lindung.common.errors_domain import ServiceError
from lindung.domain.cover import ClaimType
from tests.claims.conftest import PDF, papers_complete
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def claim(participant, verifier):
    incident = Incident(
        kind="JKM", incident_on=dt.date(2025, 3, 20), place="Desa Sumberdadi",
        reported_by="family", reporter_name="Siti Aminah", description="Sakit jantung",
    )  # fmt: skip
    return claim_report(actor=verifier, enrolment=participant, incident=incident)


def upload(claim, item, content=PDF, by=None, name="akta.pdf"):
    return claim_document_upload(
        actor=by, claim=claim, item=item, upload=io.BytesIO(content), filename=name
    )


def test_every_claim_type_has_a_checklist_of_known_items():
    assert set(CHECKLIST) == set(ClaimType)
    for codes in CHECKLIST.values():
        assert all(code in ITEMS for code in codes)
    jkm = [i.code for i in items_for("JKM")]
    assert {"death_certificate", "heir_certificate", "kpj_card", "savings_book_heir"} <= set(jkm)
    jkk = [i.code for i in items_for("JKK-STMB")]
    assert {"accident_report_1", "accident_report_2", "doctor_statement"} <= set(jkk)


def test_a_jkm_claim_lacks_seven_required_papers_until_they_are_handed_in():
    required = missing("JKM", set())
    assert len(required) == 7  # the marriage book is optional
    assert missing("JKM", {i.code for i in required}) == []


def test_documents_complete_is_refused_while_a_required_paper_is_missing(claim, verifier):
    with pytest.raises(ServiceError, match="Akta kematian"):
        claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    papers_complete(claim, by=verifier)
    ClaimDocument.objects.filter(item="death_certificate").delete()
    with pytest.raises(ServiceError, match="Akta kematian"):
        claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    upload(claim, "death_certificate", by=verifier)
    claim = claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    assert claim.status == ClaimStatus.DOCUMENTS_COMPLETE


def test_a_paper_marked_not_needed_with_a_reason_counts(claim, verifier):
    papers_complete(claim, by=verifier)
    ClaimDocument.objects.filter(item="ktp_heir").delete()
    with pytest.raises(ServiceError, match="alasan"):
        claim_document_waive(actor=verifier, claim=claim, item="ktp_heir", reason="  ")
    claim_document_waive(
        actor=verifier, claim=claim, item="ktp_heir", reason="Ahli waris anak di bawah umur"
    )
    claim = claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    assert claim.status == ClaimStatus.DOCUMENTS_COMPLETE
    assert AuditEvent.objects.filter(action="claim.document_waived").count() == 1


def test_a_file_is_checked_by_its_content_not_its_name(claim, verifier):
    with pytest.raises(ServiceError, match="PDF, JPG atau PNG"):
        upload(claim, "kk", content=b"MZ\x90\x00 not a scan", by=verifier, name="kk.pdf")
    document = upload(claim, "kk", content=PNG, by=verifier, name="kk.png")
    assert document.stored.endswith(".png")
    assert document.size == len(PNG)


def test_an_item_outside_the_claim_types_list_is_refused(claim, verifier):
    with pytest.raises(ServiceError, match="daftar"):
        upload(claim, "accident_report_1", by=verifier)


def test_a_download_is_audited_with_who(claim, verifier, admin):
    document = upload(claim, "death_certificate", by=verifier)
    with claim_document_open(actor=admin, document=document) as handle:
        assert handle.read() == PDF
    event = AuditEvent.objects.get(action="claim.document_downloaded")
    assert event.actor_id == admin.pk
    assert event.changes["item"] == "death_certificate"


def test_a_removed_upload_is_gone_and_audited(
    claim, verifier, operator, django_capture_on_commit_callbacks
):
    from lindung.common.uploads import upload_path

    document = upload(claim, "kk", by=verifier)
    path = upload_path(document.stored)
    assert path.is_file()
    with pytest.raises(ServiceError):
        claim_document_remove(actor=operator, document=document)
    with django_capture_on_commit_callbacks(execute=True):
        claim_document_remove(actor=verifier, document=document)
    assert not ClaimDocument.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="claim.document_removed").count() == 1


def test_every_view_of_the_claim_page_is_audited_with_who(claim, verifier, admin):
    for user in (verifier, admin, verifier):
        page = client_for(user).get(reverse("claims:detail", args=[claim.pk]))
        assert page.status_code == 200
        assert "Sakit jantung" in page.content.decode()
    viewers = AuditEvent.objects.filter(action="claim.viewed").order_by("pk")
    assert [e.actor_id for e in viewers] == [verifier.pk, admin.pk, verifier.pk]


@pytest.mark.parametrize("role_user", ["operator", "finance", "approver"])
def test_other_roles_neither_see_the_page_nor_download_a_paper(claim, verifier, role_user, request):
    document = upload(claim, "death_certificate", by=verifier)
    client = client_for(request.getfixturevalue(role_user))
    for url in (
        reverse("claims:detail", args=[claim.pk]),
        reverse("claims:document_download", args=[document.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert not AuditEvent.objects.filter(
        action__in=["claim.viewed", "claim.document_downloaded"]
    ).exists()


def test_the_page_uploads_a_paper_and_downloads_it(claim, verifier):
    client = client_for(verifier)
    response = client.post(
        reverse("claims:document_upload", args=[claim.pk]),
        {"item": "death_certificate",
         "file": SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")},
        follow=True,
    )  # fmt: skip
    assert "Dokumen diunggah." in response.content.decode()
    document = ClaimDocument.objects.get()
    assert "akta.pdf" in response.content.decode()
    download = client.get(reverse("claims:document_download", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF
    refused = client.post(
        reverse("claims:document_upload", args=[claim.pk]),
        {"item": "kk", "file": SimpleUploadedFile("kk.pdf", b"hello", content_type="text/plain")},
        follow=True,
    )
    assert refused.status_code == 200
    assert "PDF, JPG atau PNG" in refused.content.decode()


def test_once_documents_are_complete_a_paper_can_no_longer_be_removed_or_waived(claim, verifier):
    papers_complete(claim, by=verifier)
    claim = claim_advance(actor=verifier, claim=claim, to=ClaimStatus.DOCUMENTS_COMPLETE)
    document = ClaimDocument.objects.filter(claim=claim).first()
    with pytest.raises(ServiceError, match="tidak dapat diubah"):
        claim_document_remove(actor=verifier, document=document)
    with pytest.raises(ServiceError, match="tidak dapat diubah"):
        claim_document_waive(actor=verifier, claim=claim, item="marriage_book", reason="Belum")
    assert upload(claim, "marriage_book", by=verifier).item == "marriage_book"  # still added

"""The papers of a claim: an upload per checklist item (PDF, JPEG or PNG, checked by content
like payments' proofs), or the officer's note that an item is not needed; every upload,
waiver, removal and download audited. Medical and heirs' papers: claim handlers only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.claims.checklist import ITEMS, Item, items_for
from lindung.claims.heirs import OPEN
from lindung.claims.models import Claim, ClaimDocument, ClaimStatus
from lindung.claims.services import handler
from lindung.common.errors_domain import ServiceError
from lindung.common.uploads import UploadRefused, document_received, upload_path


@dataclass(frozen=True)
class ChecklistRow:
    item: Item
    documents: list[ClaimDocument]

    @property
    def done(self) -> bool:
        return bool(self.documents)


def checklist_of(claim: Claim, documents: list[ClaimDocument]) -> list[ChecklistRow]:
    """The claim type's checklist with the uploads and waivers of each item."""
    return [
        ChecklistRow(item, [d for d in documents if d.item == item.code])
        for item in items_for(claim.kind)
    ]


def _item(claim: Claim, item: str) -> Item:
    if item not in {i.code for i in items_for(claim.kind)}:
        raise ServiceError(_("Dokumen ini tidak ada dalam daftar untuk jenis klaim ini."))
    return ITEMS[item]


def _editable(claim: Claim, statuses: tuple[str, ...]) -> None:
    if claim.status not in statuses:
        raise ServiceError(
            _("Berkas klaim berstatus %(status)s tidak dapat diubah.")
            % {"status": ClaimStatus(claim.status).label}
        )


def claim_document_upload(
    *, actor: Actor, claim: Claim, item: str, upload: IO[bytes], filename: str = ""
) -> ClaimDocument:
    """Keep a PDF/JPEG/PNG for one checklist item (until BPJS has paid); audited
    `claim.document_uploaded`."""
    user = handler(actor, claim.pemda_id)
    _editable(claim, OPEN)
    _item(claim, item)
    try:
        with document_received(upload, folder="tmp") as received:
            stored = received.keep(folder="claims")
    except UploadRefused as exc:
        raise ServiceError(exc.message) from exc
    name = (filename or str(getattr(upload, "name", "") or "")).rsplit("/", 1)[-1]
    name = name[:255] or f"{item}.{received.kind}"
    try:
        with transaction.atomic():
            document = ClaimDocument.objects.create(
                claim=claim, item=item, name=name, stored=stored, sha256=received.sha256,
                size=received.size, created_by=user,
            )  # fmt: skip
            audit_record(
                actor=user, action="claim.document_uploaded", obj=claim,
                changes={"item": item, "document": document.pk, "sha256": received.sha256},
            )  # fmt: skip
    except Exception:
        upload_path(stored).unlink(missing_ok=True)
        raise
    return document


def claim_document_waive(*, actor: Actor, claim: Claim, item: str, reason: str) -> ClaimDocument:
    """Note that an item is not needed for this claim, with the reason (before documents are
    declared complete); audited `claim.document_waived`."""
    user = handler(actor, claim.pemda_id)
    _editable(claim, (ClaimStatus.REPORTED,))
    _item(claim, item)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Isi alasan dokumen ini tidak diperlukan."))
    with transaction.atomic():
        document = ClaimDocument.objects.create(
            claim=claim, item=item, waived_reason=reason, created_by=user
        )
        audit_record(
            actor=user, action="claim.document_waived", obj=claim,
            changes={"item": item, "document": document.pk, "reason": reason},
        )  # fmt: skip
    return document


def claim_document_remove(*, actor: Actor, document: ClaimDocument) -> None:
    """Remove an upload or waiver made by mistake (before documents are declared complete);
    audited `claim.document_removed`. The file is deleted once the removal is committed."""
    claim = document.claim
    user = handler(actor, claim.pemda_id)
    _editable(claim, (ClaimStatus.REPORTED,))
    stored = document.stored
    with transaction.atomic():
        # Locked, and checked again: a removal never slips past "documents complete".
        _editable(Claim.objects.select_for_update().get(pk=claim.pk), (ClaimStatus.REPORTED,))
        audit_record(
            actor=user, action="claim.document_removed", obj=claim,
            changes={"item": document.item, "document": document.pk, "sha256": document.sha256},
        )  # fmt: skip
        document.delete()
        if stored:
            transaction.on_commit(lambda: upload_path(stored).unlink(missing_ok=True))


def claim_document_open(*, actor: User, document: ClaimDocument) -> IO[bytes] | None:
    """An uploaded paper (the claim already scoped to `actor`), audited
    `claim.document_downloaded` with who; None when there is no file."""
    claim = document.claim
    user = handler(actor, claim.pemda_id)
    if not document.stored:
        return None
    path = upload_path(document.stored)
    if not path.is_file():
        return None
    handle = path.open("rb")
    audit_record(
        actor=user, action="claim.document_downloaded", obj=claim,
        changes={"item": document.item, "document": document.pk},
    )  # fmt: skip
    return handle

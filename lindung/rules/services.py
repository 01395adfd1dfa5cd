from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.domain.rulebook import RuleError, RuleTable, table_from_dict
from lindung.rules.models import RuleVersion
from lindung.rules.selectors import rulebook_for


def rule_version_add(
    *, actor: Actor, pemda: Any, kind: str, payload: dict[str, Any]
) -> RuleVersion:
    """Add a dated version for a Pemda. The table is validated by the domain core, and the
    Pemda's whole rule book must still be consistent with it (no clashing versions)."""
    try:
        table: RuleTable = table_from_dict(kind, payload)
        rulebook_for(pemda_id=pemda.pk).with_versions(table)
    except RuleError as exc:
        raise ServiceError(str(exc)) from exc
    if RuleVersion.objects.filter(pemda=pemda, kind=kind, version=table.version).exists():
        raise ServiceError(_("Versi %(v)s sudah ada.") % {"v": table.version})
    with transaction.atomic():
        version = RuleVersion.objects.create(
            pemda=pemda,
            kind=kind,
            version=table.version,
            effective_from=table.effective_from,
            effective_to=table.effective_to,
            legal_basis=table.legal_basis,
            payload=table.to_dict(),
            created_by=actor if isinstance(actor, User) else None,
        )
        audit_record(
            actor=actor,
            action="rule_version.created",
            obj=version,
            pemda=pemda,
            changes={"kind": kind, "payload": version.payload},
        )
    return version

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lindung.audit.models import AuditEvent


def audit_events_for_user(*, user: Any) -> QuerySet[AuditEvent]:
    """The audit trail a user may read: their own Pemda's, nothing of another."""
    if user.pemda_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(pemda_id=user.pemda_id).select_related("actor")

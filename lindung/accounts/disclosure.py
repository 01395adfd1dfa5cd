"""Full NIKs shown or exported are recorded: who saw how many of which object's rows
(issue 15, point 2; UU PDP Ps. 31 record of processing)."""

from __future__ import annotations

from typing import Any

from django.db import models

from lindung.audit.services import audit_record


def full_niks_shown(*, actor: Any, obj: models.Model, count: int, where: str) -> None:
    """Audit that `actor` saw `count` full NIKs of `obj` on `where` (a page or an export);
    nothing is recorded when none was shown."""
    if count <= 0:
        return
    audit_record(
        actor=actor, action="nik.full_shown", obj=obj, changes={"count": count, "where": where}
    )

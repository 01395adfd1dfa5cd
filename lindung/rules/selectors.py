from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lindung.domain.rulebook import RuleBook, RuleTable, table_from_dict
from lindung.rules.models import RuleVersion


def rule_versions_for(*, pemda_id: int | None) -> QuerySet[RuleVersion]:
    """The national versions plus the Pemda's own; never another Pemda's."""
    scope = Q(pemda__isnull=True)
    if pemda_id is not None:
        scope |= Q(pemda_id=pemda_id)
    return RuleVersion.objects.filter(scope).select_related("created_by")


def rule_table(version: RuleVersion) -> RuleTable:
    return table_from_dict(version.kind, version.payload)


def rulebook_for(*, pemda_id: int | None) -> RuleBook:
    """The rule book in force for a Pemda: national tables, then the Pemda's own versions
    (added last, so from their effective date they take precedence)."""
    versions = list(rule_versions_for(pemda_id=pemda_id))
    versions.sort(key=lambda v: (v.pemda_id is not None, v.effective_from, v.pk))
    return RuleBook.from_tables(rule_table(v) for v in versions)


def rule_version_list(*, user: Any) -> QuerySet[RuleVersion]:
    return rule_versions_for(pemda_id=user.pemda_id)

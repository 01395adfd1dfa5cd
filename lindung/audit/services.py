"""The one way to write the audit trail. Every service that changes data calls `audit_record`
inside its own transaction, so the change and its audit event commit or roll back together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from lindung.audit import chain, context
from lindung.audit.models import AuditEvent

_SENSITIVE_FIELDS = frozenset({"password"})
# Stored normalised (IPv6 cleaned): hash what the database will hold.
_IP_FIELD = AuditEvent._meta.get_field("ip_address")


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}; secrets are never recorded."""
    changed: dict[str, list[Any]] = {}
    for key in sorted(set(old) | set(new)):
        before, after = _jsonable(old.get(key)), _jsonable(new.get(key))
        if before != after:
            changed[key] = ["***", "***"] if key in _SENSITIVE_FIELDS else [before, after]
    return changed


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, for a later `diff`."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
        elif isinstance(field, models.Field):
            values[name] = getattr(obj, field.attname)
        else:
            raise TypeError(f"{name} is not a concrete field of {obj._meta.label}")
    return values


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    pemda: Any = None,
    changes: Mapping[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Append one audit event. `action` is dotted: `program.created`, `user.login_failed`."""
    ctx = context.current()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if pemda is None:
        pemda = getattr(obj, "pemda", None) if obj is not None else None
        if pemda is None and user is not None:
            pemda = getattr(user, "pemda", None)
    event = AuditEvent(
        created_at=timezone.now(),
        pemda=pemda,
        actor=user,
        actor_label=user.get_username() if user is not None else str(actor or "sistem"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:200],
        changes=_jsonable(dict(changes or {})),
        request_id=ctx.request_id,
        ip_address=_IP_FIELD.get_prep_value(ctx.ip_address),
        channel=ctx.channel,
    )
    return chain.append(event)

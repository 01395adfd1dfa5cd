"""The hash chain that makes the audit trail tamper-evident (security goal S12).

Each event's `hash` is SHA-256 over a canonical JSON of its fields plus `prev_hash`, the hash
of the event before it in the same chain. One chain per Pemda (and one, `global`, for events
without a Pemda): a Pemda's trail verifies on its own, and Pemdas never wait on each other's
lock. Writers serialise on the chain's head row (`AuditChain`), which they UPDATE before they
read it: that row lock holds on PostgreSQL and takes SQLite's write lock, so two concurrent
writers never fork a chain.

Editing a row changes its recomputed hash; removing or inserting a row breaks the next
event's `prev_hash`; removing the newest events leaves the head's count and hash unmatched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from lindung.audit.models import AuditChain, AuditEvent

HASHED_FIELDS = (
    "created_at",
    "pemda_id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changes",
    "request_id",
    "ip_address",
    "channel",
)


def chain_key(pemda_id: int | None) -> str:
    return f"pemda-{pemda_id}" if pemda_id is not None else "global"


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: AuditEvent) -> str:
    """The event's hashed content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    data: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    data["created_at"] = _timestamp(event.created_at)
    data["prev_hash"] = event.prev_hash
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event).encode("utf-8")).hexdigest()


def locked_head(key: str) -> AuditChain:
    """The chain's head row, locked for this transaction (created on a chain's first event)."""
    if not AuditChain.objects.filter(key=key).update(length=F("length")):
        try:
            with transaction.atomic():
                AuditChain.objects.create(key=key)
        except IntegrityError:  # a concurrent first writer made it: lock theirs
            AuditChain.objects.filter(key=key).update(length=F("length"))
    return AuditChain.objects.select_for_update().get(key=key)


def append(event: AuditEvent) -> AuditEvent:
    """Chain and insert `event`; call inside the caller's transaction."""
    with transaction.atomic():
        head = locked_head(chain_key(event.pemda_id))
        event.prev_hash = head.last_hash
        event.hash = event_hash(event)
        event.save(force_insert=True)
        AuditChain.objects.filter(pk=head.pk).update(
            last_hash=event.hash, last_event_id=event.pk, length=F("length") + 1
        )
    return event


@dataclass(frozen=True)
class Break:
    chain: str
    event_id: int | None
    problem: str
    expected: str
    found: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "event_id": self.event_id,
            "problem": self.problem,
            "expected": self.expected,
            "found": self.found,
        }


def _events(pemda_id: int | None) -> Iterator[AuditEvent]:
    if pemda_id is None:
        qs = AuditEvent.objects.filter(pemda_id__isnull=True)
    else:
        qs = AuditEvent.objects.filter(pemda_id=pemda_id)
    return qs.order_by("id").iterator(chunk_size=2000)


def verify_chain(pemda_id: int | None) -> tuple[int, Break | None]:
    """Walk one chain from its first event; (events checked, first broken link or None)."""
    key = chain_key(pemda_id)
    previous, last_id, count = "", None, 0
    for event in _events(pemda_id):
        count += 1
        if event.prev_hash != previous:
            return count, Break(key, event.pk, "prev_hash", previous, event.prev_hash)
        recomputed = event_hash(event)
        if event.hash != recomputed:
            return count, Break(key, event.pk, "hash", recomputed, event.hash)
        previous, last_id = event.hash, event.pk
    head = AuditChain.objects.filter(key=key).first()
    expected = (head.length, head.last_hash) if head else (0, "")
    if (count, previous) != expected:
        return count, Break(
            key, last_id, "head", f"{expected[0]} events, {expected[1]}", f"{count}, {previous}"
        )
    return count, None


def chains_to_verify(pemda_id: int | None = None) -> list[int | None]:
    """The Pemda ids whose chains exist (None = the global chain), or just `pemda_id`'s."""
    if pemda_id is not None:
        return [pemda_id]
    keys = AuditChain.objects.values_list("key", flat=True)
    seen: set[int | None] = set(AuditEvent.objects.values_list("pemda_id", flat=True).distinct())
    seen |= {None if k == "global" else int(k.removeprefix("pemda-")) for k in keys}
    return sorted(seen, key=lambda p: (p is not None, p or 0))


def verify(pemda_id: int | None = None) -> dict[str, Any]:
    """Every chain (or one Pemda's) checked; the report names the first broken link."""
    chains, first = [], None
    for pid in chains_to_verify(pemda_id):
        count, broken = verify_chain(pid)
        chains.append({"chain": chain_key(pid), "events": count, "intact": broken is None})
        if broken is not None and first is None:
            first = broken.as_dict()
    return {"intact": first is None, "chains": chains, "first_break": first}

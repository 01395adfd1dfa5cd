"""Reads of register snapshots, scoped to the user's Pemda."""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import User
from lindung.verification.models import RegisterSnapshot


def snapshot_list(*, user: User) -> QuerySet[RegisterSnapshot]:
    """The user's Pemda's snapshots, newest first; none for a user with no Pemda."""
    return scope_to_pemda(RegisterSnapshot.objects.all(), user).order_by("-as_of", "-pk")

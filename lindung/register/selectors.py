"""Reads of the welfare register, scoped to the user's Pemda."""

from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.access import scope_to_pemda
from lindung.accounts.models import User
from lindung.register.models import RegisterLoadJob, RegisterSnapshot


def snapshot_list(*, user: User) -> QuerySet[RegisterSnapshot]:
    """The user's Pemda's snapshots, newest first; none for a user with no Pemda."""
    return scope_to_pemda(RegisterSnapshot.objects.all(), user).order_by("-as_of", "-pk")


def load_jobs(*, user: User) -> QuerySet[RegisterLoadJob]:
    """The user's Pemda's register loads, newest first. Not found and not allowed look the
    same: another Pemda's loads are simply absent."""
    return scope_to_pemda(RegisterLoadJob.objects.select_related("created_by", "snapshot"), user)

"""What the intake services share: the row fields stored, limits, and the acting user."""

from __future__ import annotations

from django.conf import settings

from lindung.accounts.models import Actor, User
from lindung.common.tabular import Limits

# Row fields stored on SubmissionRow, in the order of RowResult.values.
ROW_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "phone",
    "income",
    "kk",
)
# The fields of a walk-in entry, in the column order of its stored cells.
ENTRY_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "village",
    "district",
    "occupation",
    "phone",
)
PROGRESS_EVERY = 5_000
CHUNK = 1 << 20


def limits() -> Limits:
    return Limits(max_bytes=settings.INTAKE_MAX_BYTES, max_rows=settings.INTAKE_MAX_ROWS)


def user_or_none(actor: Actor | None) -> User | None:
    """The acting user, or None for the system (a command, a background job)."""
    return actor if isinstance(actor, User) else None

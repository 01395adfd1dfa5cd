"""Reading numbers from query strings and forms without trusting them (issue 15, point 9).

`str.isdigit()` is not a check for `int()`: it accepts superscripts ("²") that `int()` refuses,
and neither limits the size, so a 23-digit id reached the database and answered 500
(OverflowError on SQLite, out of range on PostgreSQL). Views read ids and counts through
these helpers; anything else typed into the parameter reads as "not given"."""

from __future__ import annotations

import re

from django.http import Http404

# The largest value a BigAutoField (and PostgreSQL bigint) holds.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def positive_id(raw: object) -> int | None:
    """A database id (1 … 2⁶³−1) written in ASCII digits, else None."""
    value = whole_number(raw)
    return value if value else None


def whole_number(raw: object, *, maximum: int = MAX_ID) -> int | None:
    """A whole number 0 … `maximum` written in ASCII digits (a leading minus, an exponent,
    a decimal point, other scripts' digits or extra length all read as None)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def id_or_404(raw: object) -> int:
    """A required id: a missing or malformed one is a page that does not exist."""
    value = positive_id(raw)
    if value is None:
        raise Http404
    return value


def text_param(raw: object, *, limit: int = 100) -> str:
    """A free-text parameter: at most `limit` characters, without NUL (PostgreSQL refuses it)."""
    if not isinstance(raw, str):
        return ""
    return raw.replace("\x00", "")[:limit].strip()

"""Tell a worker list's blank and total rows from the rows of people.

Agencies number lines they never fill in and close a list with a "JUMLAH" line; such rows
are ignored, never rejected. ``could_be_name`` lets the row checker skip both tests for nearly
every row: a cell that could be a person's name rules them out.

Pure Python, like ``lindung.intake.normalise``: every function takes cells as a spreadsheet
reader gives them and never raises on bad input.
"""

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from lindung.intake.normalise import is_blank

_TOTAL_WORDS = frozenset(
    {"JUMLAH", "JML", "TOTAL", "SUBTOTAL", "GRANDTOTAL", "REKAP", "REKAPITULASI"}
)
_TOTAL_TWO_WORDS = frozenset({("SUB", "TOTAL"), ("GRAND", "TOTAL")})
# Words that sit next to a count in a total row ("600 orang") and are not a name.
_COUNT_WORDS = frozenset(
    {"ORANG", "JIWA", "PESERTA", "PEKERJA", "RP", "RUPIAH", "KK", "L", "P", "LAKI", "PEREMPUAN"}
)
_WORDS = re.compile(r"[A-Z]+")
_DIGIT = re.compile(r"\d")
_ROW_NUMBER_MAX = 10**6
_NIK_LIKE_DIGITS = 15  # a NIK that lost one digit or its last digit is still NIK-like


def is_blank_row(values: Iterable[object]) -> bool:
    """Every cell empty, or only a row number filled in (a numbered but unused line)."""
    filled = [value for value in values if not is_blank(value)]
    if not filled:
        return True
    return len(filled) == 1 and _is_row_number(filled[0])


def _is_row_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return float(value).is_integer() and 0 < value < _ROW_NUMBER_MAX
    if isinstance(value, str):
        text = value.strip().rstrip(".")
        return text.isdigit() and int(text) < _ROW_NUMBER_MAX
    return False


def is_total_row(values: Iterable[object]) -> bool:
    """A summary line at the end of a list: a cell saying JUMLAH, TOTAL, "Jumlah Peserta",
    "TOTAL PESERTA", "Sub Total"…, and no NIK-like value and no other cell that could be a
    name. "600 orang" or a count beside the label does not make it a person."""
    labelled = False
    for value in values:
        if not isinstance(value, str):
            if _nik_like_number(value):
                return False
            continue
        if is_blank(value):
            continue
        words = _upper_words(value)
        if _is_total_label(words):
            labelled = True
        elif _nik_like_text(value) or _name_words(value, words):
            return False
    return labelled


def could_be_name(value: object) -> bool:
    """Text that could be a person's name: letters, no digits, not a total label ("JUMLAH")
    and not only count words ("orang"). A row with such a cell is neither blank nor a total
    row, which lets a row checker skip both tests for nearly every row."""
    if not isinstance(value, str):
        return False
    words = _upper_words(value)
    return not _is_total_label(words) and _name_words(value, words)


def _upper_words(text: str) -> list[str]:
    return _WORDS.findall(text.upper() if text.isascii() else _ascii_upper(text))


def _name_words(text: str, words: list[str]) -> bool:
    return bool(words) and _DIGIT.search(text) is None and not _COUNT_WORDS.issuperset(words)


def _is_total_label(words: list[str]) -> bool:
    if not words:
        return False
    return words[0] in _TOTAL_WORDS or tuple(words[:2]) in _TOTAL_TWO_WORDS


def _nik_like_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return not is_blank(value) and abs(float(value)) >= 10 ** (_NIK_LIKE_DIGITS - 1)


def _nik_like_text(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return digits >= _NIK_LIKE_DIGITS or ("E+" in text.upper() and digits >= 2)


@lru_cache(maxsize=1 << 12)
def _ascii_upper(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()

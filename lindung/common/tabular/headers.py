"""Header rows of the tables people hand in: which row is the header, and what each column
means, by a synonym table of the import's own.

Agencies put title rows, merged bands and sometimes a two-level header above their data, and
name columns in many ways ("NIK", "No. KTP", "Nomor Induk Kependudukan"...). `find_header`
scores the first rows by how many cells are known column names and picks the best row, or
pair of rows; an import gives its synonyms (`HeaderTable`) and says which sets of fields make
a header (`eligible`). Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

_NON_WORD: Final = re.compile(r"[\W_]+")
_HINT: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def fold(text: str) -> str:
    """Case, accents of width, punctuation and spacing folded away: "Desa/Kel." → "desa kel"."""
    folded = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def compact(text: str) -> str:
    """Folded with no spaces at all: "TGL_LAHIR", "Tgl Lahir" and "TglLahir" are one key."""
    return fold(text).replace(" ", "")


class HeaderTable:
    """An import's column names: field → synonyms, matched on `key` (`fold` by default; a
    register export, written by programs, is matched on `compact`). A hint in brackets is
    ignored when the whole text is not known: "NIK (16 digit)" is NIK."""

    def __init__(
        self, synonyms: Mapping[str, Sequence[str]], *, key: Callable[[str], str] = fold
    ) -> None:
        self.key = key
        self.lookup: dict[str, str] = {}
        for field, names in synonyms.items():
            for synonym in names:
                folded = key(synonym)
                if self.lookup.setdefault(folded, field) != field:
                    raise ValueError(f"{synonym!r} is a synonym of two fields")

    def match(self, text: str) -> str | None:
        """The field a header text names, or None."""
        folded = self.key(text)
        if not folded:
            return None
        field = self.lookup.get(folded)
        if field is None and _HINT.search(text):
            field = self.lookup.get(self.key(_HINT.sub(" ", text)))
        return field

    def columns(self, headers: Sequence[object]) -> dict[str, int]:
        """{field: column} for the headers it knows; the leftmost column of a field wins."""
        found: dict[str, int] = {}
        for index, header in enumerate(headers):
            field = self.match(cell_text(header))
            if field is not None and field not in found:
                found[field] = index
        return found


def cell_text(value: object) -> str:
    """A header cell as text: whole floats without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def column_letter(index: int) -> str:
    """A 0-based column as a spreadsheet names it: 0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class HeaderCandidate:
    header_row: int  # 0-based; data starts on the next row
    headers: list[str]  # the header texts, one per column ("" for an empty cell)
    fields: list[str | None]  # per column
    pair: bool  # a two-level header (a band over sub-headers)

    @property
    def found(self) -> set[str]:
        return {f for f in self.fields if f is not None}

    def rank(self) -> tuple[int, int, int]:
        # More fields first; on a tie a single row beats a pair, and the earlier row wins.
        return (len(self.found), 0 if self.pair else 1, -self.header_row)


def _single(index: int, row: Sequence[object], table: HeaderTable) -> HeaderCandidate:
    headers = [cell_text(v) for v in row]
    fields = [
        table.match(text) if isinstance(value, str) else None
        for value, text in zip(row, headers, strict=True)
    ]
    return HeaderCandidate(index, headers, fields, pair=False)


def _pair(
    index: int, upper_row: Sequence[object], lower_row: Sequence[object], table: HeaderTable
) -> HeaderCandidate:
    """A two-level header: a band ("Alamat", "Lahir") over sub-headers ("Dusun", "RT",
    "Tempat", "Tanggal"). Merged cells arrive as one value then empty cells, so a band label
    is carried right while there are sub-headers under it."""
    width = max(len(upper_row), len(lower_row))
    upper = [cell_text(v) if isinstance(v, str) else "" for v in upper_row] + [""] * width
    lower = [cell_text(v) if isinstance(v, str) else "" for v in lower_row] + [""] * width
    headers: list[str] = []
    fields: list[str | None] = []
    band = ""
    for column in range(width):
        up, low = upper[column], lower[column]
        if up:
            band = up
        elif not low:
            band = ""
        if not low:
            headers.append(up)
            fields.append(table.match(up) if up else None)
            continue
        carried = up or band
        field = table.match(low)
        if field is None and carried:
            last_word = carried.split()[-1]
            for text in (f"{low} {carried}", f"{carried} {low}", f"{low} {last_word}"):
                field = table.match(text)
                if field is not None:
                    break
        headers.append(f"{carried} / {low}" if carried and carried != low else low)
        fields.append(field)
    return HeaderCandidate(index + 1, headers, fields, pair=True)


def find_header(
    rows: Sequence[Sequence[object]],
    table: HeaderTable,
    *,
    eligible: Callable[[set[str]], bool],
    scan_rows: int = 30,
) -> HeaderCandidate | None:
    """The most likely header among the first `scan_rows` rows (a row, or a band row over a
    sub-header row): the one naming the most fields among those `eligible` accepts."""
    scanned = list(rows[:scan_rows])
    candidates = [_single(i, row, table) for i, row in enumerate(scanned)]
    candidates += [_pair(i, scanned[i], scanned[i + 1], table) for i in range(len(scanned) - 1)]
    possible = [c for c in candidates if eligible(c.found)]
    return max(possible, key=HeaderCandidate.rank) if possible else None


def header_signature(headers: Sequence[object]) -> str:
    """A stable key for a layout: the folded non-empty header texts with their column
    positions (a remembered mapping is by column, so a shifted layout is a different one)."""
    parts = [
        f"{column}:{folded}"
        for column, value in enumerate(headers)
        if (folded := fold(cell_text(value)))
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()

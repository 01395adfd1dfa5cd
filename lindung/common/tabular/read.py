"""Reading the values of a handed-in file that ``inspect_file`` accepted.

Cell values only: formulas are never evaluated (we get the cached values). CSV is read here,
streamed, with the row limit applied while reading. xlsx, xls and ods are read by calamine
(Rust) in a separate, resource-limited process (``calamine_child``): calamine holds every
sheet as one dense block, so a 1 KB file with a value in A1 and another in XFD1048576 makes it
request hundreds of gigabytes and *abort the process*, which no ``try`` can catch. In a child
process with an address-space limit that becomes a clean refusal. Pure Python, no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

from lindung.common.tabular import calamine_child
from lindung.common.tabular.base import (
    DEFAULT_LIMITS,
    DELIMITERS,
    HEADER_ALLOWANCE,
    FileRejected,
    Limits,
    Sheet,
    encrypted,
    macro,
    too_many_cells,
    too_many_rows,
    unreadable,
)
from lindung.common.tabular.calamine_child import trim
from lindung.common.tabular.inspect import text_encoding

_SAMPLE: Final = 64 * 1024


def read_workbook(path: Path, *, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """Every sheet's values. Call ``inspect_file`` first; ``kind`` is what it returned."""
    if kind == "csv":
        return [_read_csv(path, limits)]
    if kind in ("xlsx", "xls", "ods"):
        return _read_isolated(path, limits)
    raise ValueError(f"unknown kind {kind!r}")


# -- csv --

_MAX_LINE_CHARS: Final = 1_000_000


def _read_csv(path: Path, limits: Limits) -> Sheet:
    encoding = text_encoding(path)
    if encoding is None:
        raise unreadable("bukan teks")
    max_records = limits.max_rows + HEADER_ALLOWANCE
    rows: list[list[object]] = []
    cells = 0
    try:
        with path.open("r", encoding=encoding, newline="") as fh:
            sample = fh.read(_SAMPLE)
            fh.seek(0)
            lines = _bounded_lines(fh)
            first = sample.split("\n", 1)[0].rstrip("\r").lstrip("\ufeff")
            if first.lower().startswith("sep=") and len(first) == 5:
                # Excel's own hint line ("sep=;"): Excel hides it, so rows count after it.
                delimiter = first[4]
                next(lines, None)
            else:
                delimiter = _sniff_delimiter(sample, truncated=len(sample) == _SAMPLE)
            for record in csv.reader(lines, delimiter=delimiter):
                if len(rows) >= max_records:
                    raise too_many_rows(limits)
                cells += len(record)
                if cells > limits.max_cells:
                    raise too_many_cells()
                row: list[object] = list(record)
                rows.append(row)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise unreadable("format CSV tidak dikenali") from exc
    rows = trim(rows)
    if rows and len(rows) * len(rows[0]) > limits.max_cells:
        raise too_many_cells()
    return Sheet(name="", rows=rows)


def _bounded_lines(fh: IO[str]) -> Iterator[str]:
    while True:
        line = fh.readline(_MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > _MAX_LINE_CHARS:
            raise FileRejected(
                "unreadable",
                "Ada baris yang terlalu panjang di file CSV. "
                "Simpan ulang dari Excel sebagai CSV, lalu unggah lagi.",
            )
        yield line


def _sniff_delimiter(sample: str, *, truncated: bool) -> str:
    """The delimiter that splits most lines into the same number (> 1) of fields. Ties go to
    ';', which Excel writes in an Indonesian locale."""
    lines = sample.splitlines()
    if truncated and lines:
        lines.pop()
    lines = [line for line in lines if line.strip()][:200]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        fields, agreeing = Counter(counts).most_common(1)[0]
        score = (agreeing, fields)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# -- calamine, in a child process --


def _read_isolated(path: Path, limits: Limits) -> list[Sheet]:
    command = [
        sys.executable,
        "-I",  # ignore PYTHON* variables, user site and the current directory
        str(Path(calamine_child.__file__).resolve()),
        calamine_child.CHILD_FLAG,
        str(path.resolve()),
        str(limits.max_rows),
        str(limits.max_cells),
        str(limits.parse_memory_bytes),
        str(limits.parse_seconds),
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command, capture_output=True, timeout=limits.parse_seconds + 10, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise FileRejected(
            "too_large",
            "File terlalu berat untuk dibaca. Pecah menjadi beberapa file, lalu unggah lagi.",
        ) from exc
    if done.returncode != 0:
        # A Rust allocation failure aborts (SIGABRT with this message); the kernel kills on
        # CPU time (SIGXCPU) or memory (SIGKILL). All mean: too big to hold.
        if b"memory allocation" in done.stderr or done.returncode in (-6, -9, -24):
            raise too_many_cells()
        raise unreadable()
    try:
        result = _load_child_result(done.stdout)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
        raise unreadable() from exc
    if isinstance(result, list):
        return result
    if result == "too_many_rows":
        raise too_many_rows(limits)
    if result == "too_many_cells":
        raise too_many_cells()
    if result == "macro":
        raise macro()
    if result == "encrypted":
        raise encrypted()
    raise unreadable()


class _ResultUnpickler(pickle.Unpickler):
    """The child only sends builtins and datetime values; refuse anything else."""

    _ALLOWED: Final = {
        ("datetime", "date"): dt.date,
        ("datetime", "datetime"): dt.datetime,
        ("datetime", "time"): dt.time,
        ("datetime", "timedelta"): dt.timedelta,
        ("datetime", "timezone"): dt.timezone,
    }

    def find_class(self, module: str, name: str) -> type:
        try:
            return self._ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} not allowed") from None


def _load_child_result(data: bytes) -> str | list[Sheet]:
    """The child's sheets, or the code of its refusal."""
    result = _ResultUnpickler(io.BytesIO(data)).load()  # allow-listed classes only
    if isinstance(result, tuple) and len(result) == 2:
        status, body = result
        if status == "rejected" and isinstance(body, str):
            return body
        if status == "ok" and isinstance(body, list):
            sheets = []
            for name, hidden, rows in body:
                if not (isinstance(name, str) and isinstance(rows, list)):
                    raise ValueError("bad sheet")
                sheets.append(Sheet(name=name, rows=rows, hidden=bool(hidden)))
            return sheets
    raise ValueError("bad result")

"""Files as BPJS branches send them, built in the test: xlsx (openpyxl), csv, ods and a
legacy .xls (a minimal BIFF8 workbook in a compound file), each with the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import struct
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from tests.intake.hostile import write_cfb, write_ods

Rows = Sequence[Sequence[object]]


def write_xlsx(path: Path, rows: Rows, *, sheet: str = "Hasil") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def write_csv(path: Path, rows: Rows, *, delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(
            [["" if v is None else v for v in row] for row in rows]
        )
    return path


def _ods_cell(value: object) -> str:
    if isinstance(value, bool) or value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    text = escape(str(value))
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def write_ods_rows(path: Path, rows: Rows) -> Path:
    xml = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    return write_ods(path, xml)


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 1996, 0, 0x0006))


def _label(row: int, col: int, text: str) -> bytes:
    data = text.encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + data)


def _number(row: int, col: int, value: float) -> bytes:
    return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))


def write_xls(path: Path, rows: Rows, *, sheet: str = "Hasil") -> Path:
    """A BIFF8 workbook with one sheet of text and number cells (a date goes as text
    dd-mm-yyyy, the way many branch exports write it)."""
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells += _number(r, c, value)
            elif isinstance(value, dt.date):
                cells += _label(r, c, value.strftime("%d-%m-%Y"))
            else:
                cells += _label(r, c, str(value))
    width = max((len(row) for row in rows), default=0)
    dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    sheet_stream = _bof(0x0010) + dimensions + cells + _record(0x000A, b"")
    name = sheet.encode("latin-1")
    codepage = _record(0x0042, struct.pack("<H", 1200))

    def globals_with(offset: int) -> bytes:
        boundsheet = _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)
        return _bof(0x0005) + codepage + boundsheet + _record(0x000A, b"")

    head = globals_with(0)
    stream = globals_with(len(head)) + sheet_stream
    return write_cfb(path, {"Workbook": stream})

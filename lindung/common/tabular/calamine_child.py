"""Run by ``read`` as a separate interpreter (``python -I calamine_child.py ...``): read an
xlsx, xls or ods file with calamine under address-space and CPU limits, and send the values
back pickled. Only the standard library and calamine are imported, so that the script runs
with nothing of Lindung on its path.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import sys
from pathlib import Path
from typing import Final, cast

CHILD_FLAG: Final = "--lindung-read-spreadsheet"
# Title, band and header rows above the data, per sheet (base.HEADER_ALLOWANCE; repeated here
# because this script imports nothing of Lindung).
HEADER_ALLOWANCE: Final = 50


class Refusal(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def trim(rows: list[list[object]]) -> list[list[object]]:
    """Drop trailing empty rows and columns; pad to a rectangle. Rows already of the final
    width (calamine's always are) are kept as they are."""
    while rows and all(cell == "" for cell in rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        for index in range(len(row) - 1, width - 1, -1):
            if row[index] != "":
                width = index + 1
                break
    return [row if len(row) == width else row[:width] + [""] * (width - len(row)) for row in rows]


def _child_main(argv: list[str]) -> int:
    path, max_rows, max_cells, memory, seconds = argv
    _limit_resources(memory=int(memory), seconds=int(seconds))
    result: tuple[object, ...]
    try:
        result = ("ok", _calamine_read(path, max_rows=int(max_rows), max_cells=int(max_cells)))
    except Refusal as refusal:
        result = ("rejected", refusal.code)
    except MemoryError:
        result = ("rejected", "too_many_cells")
    except BaseException as exc:  # calamine raises its own errors, and pyo3 panics derive
        # from BaseException; in this child any failure just means "cannot read".
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        result = ("rejected", _calamine_error_code(exc))
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()
    return 0


def _calamine_error_code(exc: BaseException) -> str:
    text = str(exc).lower()
    if type(exc).__name__ == "PasswordError" or "password" in text:
        return "encrypted"
    if "cell limit" in text:  # calamine's own cap on ods repeat counts
        return "too_many_cells"
    return "unreadable"


def _limit_resources(*, memory: int, seconds: int) -> None:
    try:
        import resource  # Unix only
    except ImportError:  # pragma: no cover - Windows
        return
    for limit, value in (
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_CPU, seconds),
        (resource.RLIMIT_FSIZE, 0),  # it has no business writing files
    ):
        # Best effort: a platform that refuses a limit still gets the parent's timeout.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))


def _calamine_read(
    path: str, *, max_rows: int, max_cells: int
) -> list[tuple[str, bool, list[list[object]]]]:
    from python_calamine import (  # only the child loads calamine
        CalamineWorkbook,
        SheetTypeEnum,
        SheetVisibleEnum,
    )

    # from_path picks the format by the file name; from_filelike looks at the content, as
    # inspect_file did.
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(Path(path).read_bytes()))
    metadata = workbook.sheets_metadata
    if any(m.typ in (SheetTypeEnum.MacroSheet, SheetTypeEnum.Vba) for m in metadata):
        raise Refusal("macro")
    worksheets = [m for m in metadata if m.typ == SheetTypeEnum.WorkSheet]
    max_records = max_rows + HEADER_ALLOWANCE * max(len(worksheets), 1)
    sheets: list[tuple[str, bool, list[list[object]]]] = []
    records = cells = 0
    for meta in worksheets:
        sheet = workbook.get_sheet_by_name(meta.name)
        hidden = meta.visible != SheetVisibleEnum.Visible
        end = sheet.end
        if end is None:
            sheets.append((meta.name, hidden, []))
            continue
        height, width = end[0] + 1, end[1] + 1
        records += height
        if records > max_records:
            raise Refusal("too_many_rows")
        cells += height * width
        if cells > max_cells:
            raise Refusal("too_many_cells")
        rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
        sheets.append((meta.name, hidden, trim(rows)))
    return sheets


if __name__ == "__main__" and len(sys.argv) == 7 and sys.argv[1] == CHILD_FLAG:
    sys.exit(_child_main(sys.argv[2:]))

"""The shared parts of reading files that people hand in: what a file may be, the limits it
must stay within, what reading returns, and the refusals with their Indonesian messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MIB: Final = 1024 * 1024
GIB: Final = 1024 * MIB

KINDS: Final = ("xlsx", "xls", "ods", "csv")

# Stable codes of FileRejected, for the UI, the audit log and the tests.
REJECTION_CODES: Final = (
    "empty",  # zero bytes
    "too_large",  # over max_bytes, or a sheet too wide/long to hold, or too slow to read
    "too_many_rows",  # more data rows than max_rows
    "zip_bomb",  # zip members too many, too big or too compressed
    "unsafe_xml",  # a DTD (entity declarations) inside an xlsx/ods part
    "macro",  # VBA project or Excel 4 macro sheets
    "encrypted",  # password-protected workbook
    "executable",  # a program or script under a spreadsheet name
    "html_export",  # a web page / XML 2003 file saved with an Excel name
    "unsupported",  # PDF, image, archive, other document, any other binary
    "unreadable",  # damaged, or the reader failed on it
)

# Title, band and header rows above the data, per sheet, on top of Limits.max_rows.
HEADER_ALLOWANCE: Final = 50

# Delimiters of CSV files, in the order ties are broken: Excel writes ";" in an Indonesian
# locale.
DELIMITERS: Final = (";", ",", "\t", "|")

SAVE_AS_XLSX: Final = "Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
SUPPORTED: Final = "bukan file spreadsheet yang didukung (xlsx, xls, ods, csv)"


class FileRejected(Exception):
    """A file we will not read. ``code`` is a stable slug (see REJECTION_CODES); ``message``
    is Indonesian, for the officer who uploaded it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MIB
    max_rows: int = 200_000  # data rows per file
    max_uncompressed_bytes: int = 500 * MIB  # sum of the declared sizes of zip members
    max_ratio: int = 100  # uncompressed / compressed, per zip member
    max_members: int = 10_000
    # Cells (rows × columns, empty ones included) the reader may hold for a whole file.
    max_cells: int = 10_000_000
    # Address space and CPU time of the process that runs calamine.
    parse_memory_bytes: int = 2 * GIB
    parse_seconds: int = 120


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True)
class Sheet:
    """One sheet's values, rows as a person sees them: ``rows[i]`` is spreadsheet row i + 1
    (title and blank rows kept). Rectangular; empty cells are ``""``; trailing empty rows and
    columns are dropped. Values keep their type (str, int, float, bool, date, datetime...);
    text is exactly as written (leading apostrophes and spaces kept)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False


def fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def too_many_rows(limits: Limits) -> FileRejected:
    return FileRejected(
        "too_many_rows",
        f"File berisi lebih dari {fmt_int(limits.max_rows)} baris data. "
        "Pecah menjadi beberapa file, lalu unggah satu per satu.",
    )


def too_many_cells() -> FileRejected:
    return FileRejected(
        "too_large",
        "Lembar kerja terlalu luas: ada isian jauh di luar tabel atau terlalu banyak kolom. "
        "Hapus baris dan kolom di luar tabel, simpan ulang, lalu unggah lagi.",
    )


def unreadable(detail: str = "") -> FileRejected:
    lead = f"File tidak dapat dibaca ({detail})." if detail else "File tidak dapat dibaca."
    return FileRejected("unreadable", f"{lead} {SAVE_AS_XLSX}")


def zip_bomb() -> FileRejected:
    return FileRejected(
        "zip_bomb",
        "Isi file tidak wajar: setelah dibuka ukurannya jauh terlalu besar. "
        "Salin datanya ke file Excel baru, simpan sebagai .xlsx, lalu unggah lagi.",
    )


def macro() -> FileRejected:
    return FileRejected(
        "macro",
        "File berisi makro dan ditolak demi keamanan. Simpan ulang sebagai "
        "Excel Workbook (.xlsx) tanpa makro, lalu unggah lagi.",
    )


def encrypted() -> FileRejected:
    return FileRejected(
        "encrypted",
        "File dikunci dengan kata sandi. Buka di Excel, hapus kata sandinya, simpan, "
        "lalu unggah lagi.",
    )


def unsupported(what: str = "File ini", hint: str = "") -> FileRejected:
    message = f"{what} {SUPPORTED}."
    return FileRejected("unsupported", f"{message} {hint}".strip())


# --- inspect_file ----------------------------------------------------------------------

"""Safe reading of the spreadsheets agencies and villages send (DESIGN §5, security goal S8).

Two steps, both pure Python (no Django):

- ``inspect_file`` decides what a file really is from its bytes (the name only sharpens the
  message) and refuses anything that could hurt the server or that we cannot read honestly:
  zip bombs, macros, password-protected workbooks, programs, web pages saved as ``.xls``.
  Every zip member is checked from the central directory *before* any parsing, then streamed
  through zlib with a hard cap, so a member that lies about its size is caught too.
- ``read_workbook`` returns cell values only (formulas are never evaluated; we get the cached
  values). CSV is read here, streamed, with the row limit applied while reading. xlsx, xls and
  ods are read by calamine (Rust) in a separate, resource-limited process: calamine holds every
  sheet as one dense block, so a 1 KB file with a value in A1 and another in XFD1048576 makes it
  request hundreds of gigabytes and *abort the process*, which no ``try`` can catch. In a child
  process with an address-space limit that becomes a clean refusal.

Every failure surfaces as ``FileRejected`` with a stable ``code`` and a short Indonesian
``message`` telling the officer what to do.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import pickle
import struct
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, cast

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

_SAVE_AS_XLSX: Final = "Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
_SUPPORTED: Final = "bukan file spreadsheet yang didukung (xlsx, xls, ods, csv)"


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


@dataclass(frozen=True)
class Sheet:
    """One sheet's values, rows as a person sees them: ``rows[i]`` is spreadsheet row i + 1
    (title and blank rows kept). Rectangular; empty cells are ``""``; trailing empty rows and
    columns are dropped. Values keep their type (str, int, float, bool, date, datetime...);
    text is exactly as written (leading apostrophes and spaces kept)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many_rows(limits: Limits) -> FileRejected:
    return FileRejected(
        "too_many_rows",
        f"File berisi lebih dari {_fmt_int(limits.max_rows)} baris data. "
        "Pecah menjadi beberapa file, lalu unggah satu per satu.",
    )


def _too_many_cells() -> FileRejected:
    return FileRejected(
        "too_large",
        "Lembar kerja terlalu luas: ada isian jauh di luar tabel atau terlalu banyak kolom. "
        "Hapus baris dan kolom di luar tabel, simpan ulang, lalu unggah lagi.",
    )


def _unreadable(detail: str = "") -> FileRejected:
    lead = f"File tidak dapat dibaca ({detail})." if detail else "File tidak dapat dibaca."
    return FileRejected("unreadable", f"{lead} {_SAVE_AS_XLSX}")


def _zip_bomb() -> FileRejected:
    return FileRejected(
        "zip_bomb",
        "Isi file tidak wajar: setelah dibuka ukurannya jauh terlalu besar. "
        "Salin datanya ke file Excel baru, simpan sebagai .xlsx, lalu unggah lagi.",
    )


def _macro() -> FileRejected:
    return FileRejected(
        "macro",
        "File berisi makro dan ditolak demi keamanan. Simpan ulang sebagai "
        "Excel Workbook (.xlsx) tanpa makro, lalu unggah lagi.",
    )


def _encrypted() -> FileRejected:
    return FileRejected(
        "encrypted",
        "File dikunci dengan kata sandi. Buka di Excel, hapus kata sandinya, simpan, "
        "lalu unggah lagi.",
    )


def _unsupported(what: str = "File ini", hint: str = "") -> FileRejected:
    message = f"{what} {_SUPPORTED}."
    return FileRejected("unsupported", f"{message} {hint}".strip())


# --- inspect_file ----------------------------------------------------------------------

_CFB_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLE_MAGIC: Final = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"\x00asm",  # WebAssembly
)
_IMAGE_MAGIC: Final = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
)
_ARCHIVE_MAGIC: Final = (
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
)
_SPREADSHEET_NAMES: Final = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv")


def inspect_file(path: Path, *, filename: str, limits: Limits = Limits()) -> str:
    """The kind of ``path`` ("xlsx", "xls", "ods" or "csv"), decided by its content, or
    ``FileRejected``. ``filename`` is the name the user gave; it only sharpens messages."""
    ext = Path(filename).suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise _unreadable() from exc
    if size == 0:
        raise FileRejected("empty", "File kosong. Periksa file yang dipilih, lalu unggah ulang.")
    if size > limits.max_bytes:
        raise FileRejected(
            "too_large",
            f"File lebih besar dari {limits.max_bytes // MIB} MB. "
            "Pecah menjadi beberapa file, lalu unggah satu per satu.",
        )
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _inspect_zip(path, size=size, ext=ext, limits=limits)
    if head.startswith(_CFB_MAGIC):
        return _inspect_cfb(path, ext=ext)
    if head.startswith(_EXECUTABLE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"AVI "):
        raise FileRejected(
            "executable",
            f"File ini program atau skrip dan ditolak; {_SUPPORTED}. "
            "Unggah daftar pekerja dalam file Excel atau CSV.",
        )
    if head.startswith(b"%PDF"):
        raise _unsupported("File ini PDF,", "Kirim file Excel aslinya, bukan hasil cetak/PDF.")
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise _unsupported("File ini gambar,", "Kirim file Excel aslinya, bukan foto/scan.")
    if head.startswith(_ARCHIVE_MAGIC):
        raise _unsupported(
            "File ini arsip terkompresi,", "Keluarkan file spreadsheet-nya, lalu unggah file itu."
        )
    encoding = _text_encoding(path)
    if encoding is None:
        if ext in (".csv", ".txt", ".tsv"):
            raise _unsupported(
                "File ini berisi data biner (bukan teks) sehingga",
                "Simpan ulang dari Excel sebagai CSV, lalu unggah lagi.",
            )
        raise _unsupported()
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n").lower()
    if text_head.startswith("<") and any(
        marker in text_head
        for marker in ("<html", "<table", "<!doctype", "<?xml", "urn:schemas-microsoft-com")
    ):
        raise FileRejected(
            "html_export",
            "File ini halaman web (HTML/XML) yang diberi nama spreadsheet, "
            f"bukan file Excel asli. {_SAVE_AS_XLSX}",
        )
    if ext in _BINARY_NAMES and not _looks_delimited(text_head, truncated=size > len(head)):
        # Plain prose (a letter, notes) saved under a spreadsheet's name: reading it as a
        # CSV would only end in "no header row found". A real CSV named .xlsx is read.
        raise FileRejected(
            "unsupported",
            f"Berkas ini bukan lembar kerja Excel/ODS/CSV: isinya teks biasa yang diberi "
            f"nama {ext}. Buka daftar pekerja di Excel, simpan sebagai Excel Workbook "
            "(.xlsx), lalu unggah file itu.",
        )
    return "csv"


_BINARY_NAMES: Final = (".xlsx", ".xlsm", ".xls", ".ods")


def _looks_delimited(sample: str, *, truncated: bool) -> bool:
    """Whether text reads as a table: most of its first lines split by one delimiter into
    the same number of fields (two or more; three or more for commas, which prose has)."""
    lines = sample.splitlines()
    if truncated and len(lines) > 1:
        lines.pop()
    lines = [line for line in lines if line.strip()][:50]
    if len(lines) < 2:
        return False
    for delimiter in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        fields, agreeing = Counter(counts).most_common(1)[0]
        if fields >= (3 if delimiter == "," else 2) and agreeing >= max(2, len(lines) * 0.6):
            return True
    return False


# -- zip (xlsx, ods) --

_ODS_MIME: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_MACRO_CONTENT_TYPES: Final = (b"macroenabled", b"vbaproject", b"macrosheet")
_RATIO_GRACE: Final = 1 * MIB  # members smaller than this cannot hurt, whatever their ratio
_CHUNK: Final = 1 * MIB


def _inspect_zip(path: Path, *, size: int, ext: str, limits: Limits) -> str:
    declared = _zip_declared_count(path, size)
    if declared is not None and declared > limits.max_members:
        raise _zip_bomb()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if ext in _SPREADSHEET_NAMES:
            raise _unreadable("file rusak atau tidak lengkap") from exc
        raise _unsupported() from exc
    with zf:
        infos = zf.infolist()
        _check_zip_sizes(infos, limits)
        if any(info.flag_bits & 0x1 for info in infos):  # zip-level password
            raise _encrypted()
        names = {info.filename for info in infos}
        if "mimetype" in names:
            kind = _classify_odf(zf)
        elif "[Content_Types].xml" in names:
            kind = _classify_ooxml(zf, names)
        else:
            raise _unsupported(
                "File ini arsip ZIP,", "Keluarkan file spreadsheet-nya, lalu unggah file itu."
            )
    _verify_zip_members(path, infos)
    return kind


def _zip_declared_count(path: Path, size: int) -> int | None:
    """Member count from the end-of-central-directory record, read before zipfile builds a
    ZipInfo for every entry (a 50 MB file can declare a million of them)."""
    tail_len = min(size, 22 + 65535)
    with path.open("rb") as fh:
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        pos = tail.rfind(b"PK\x05\x06")
        if pos < 0 or pos + 22 > len(tail):
            return None
        count: int = struct.unpack_from("<H", tail, pos + 10)[0]
        if count == 0xFFFF and pos >= 20 and tail[pos - 20 : pos - 16] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", tail, pos - 12)
            if offset < size:
                fh.seek(offset)
                record = fh.read(56)
                if len(record) == 56 and record[:4] == b"PK\x06\x06":
                    count = struct.unpack_from("<Q", record, 32)[0]
        return count


def _check_zip_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise _zip_bomb()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise _zip_bomb()
        if info.file_size > _RATIO_GRACE and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _zip_bomb()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unreadable("metode kompresi tidak dikenal")


def _read_member_head(zf: zipfile.ZipFile, name: str, limit: int = MIB) -> bytes:
    try:
        with zf.open(name) as member:
            return member.read(limit)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error) as exc:
        raise _unreadable("file rusak") from exc


def _classify_odf(zf: zipfile.ZipFile) -> str:
    mime = _read_member_head(zf, "mimetype", 200).strip()
    if mime != _ODS_MIME:
        raise _unsupported(
            "File ini dokumen OpenDocument lain (bukan lembar kerja), jadi",
            "Simpan data sebagai lembar kerja .ods atau .xlsx.",
        )
    names = zf.namelist()
    if "content.xml" not in names:
        raise _unreadable("file rusak atau tidak lengkap")
    if "META-INF/manifest.xml" in names and b"encryption-data" in _read_member_head(
        zf, "META-INF/manifest.xml"
    ):
        raise _encrypted()
    for name in names:
        if name.startswith(("Basic/", "Scripts/")) and not name.endswith(("-lc.xml", "-lb.xml")):
            raise _macro()
    return "ods"


def _classify_ooxml(zf: zipfile.ZipFile, names: set[str]) -> str:
    if any(
        name.casefold().endswith("vbaproject.bin") or name.startswith("xl/macrosheets/")
        for name in names
    ):
        raise _macro()
    content_types = _read_member_head(zf, "[Content_Types].xml").lower()
    if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
        raise _macro()
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise _unsupported(
            "Format Excel Binary (.xlsb)", "Simpan ulang sebagai .xlsx, lalu unggah lagi."
        )
    raise _unsupported(
        "File ini dokumen Office lain (mis. Word), jadi",
        "Salin tabelnya ke Excel, simpan sebagai .xlsx, lalu unggah lagi.",
    )


# Entity declarations are how XXE and billion-laughs work. OOXML forbids DTDs in its parts
# (calamine does not expand them either); refusing them here keeps that true for any reader.
_DTD_MARKERS: Final = (
    b"<!DOCTYPE",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!DOCTYPE".encode("utf-16-be"),
)
_DTD_OVERLAP: Final = 32


def _verify_zip_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every member with a cap at its declared size: a member producing more than it
    declares (a lying zip bomb) is refused without ever holding more than a chunk."""
    with path.open("rb") as fh:
        for info in infos:
            if info.is_dir() or (info.file_size == 0 and info.compress_size == 0):
                continue
            scan = info.filename.casefold().endswith((".xml", ".rels"))
            produced = 0
            tail = b""
            for chunk in _inflate_member(fh, info):
                produced += len(chunk)
                if produced > info.file_size:
                    raise _zip_bomb()
                if scan:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise FileRejected(
                            "unsafe_xml",
                            "File berisi bagian XML yang tidak diizinkan (deklarasi DTD). "
                            f"{_SAVE_AS_XLSX}",
                        )
                    tail = window[-_DTD_OVERLAP:]
            if produced != info.file_size:
                raise _unreadable("file rusak atau tidak lengkap")


def _inflate_member(fh: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise _unreadable("file rusak")
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while remaining > 0:
            data = fh.read(min(_CHUNK, remaining))
            if not data:
                raise _unreadable("file terpotong")
            remaining -= len(data)
            if inflater is None:
                yield data
                continue
            while data:
                # max_length keeps each step at one chunk, however well the data compresses.
                out = inflater.decompress(data, _CHUNK)
                data = inflater.unconsumed_tail
                if out:
                    yield out
                elif not data:
                    break
        if inflater is not None:
            rest = inflater.flush()
            if rest:
                yield rest
    except zlib.error as exc:
        raise _unreadable("file rusak") from exc


# -- CFB / OLE2 (xls, password-protected OOXML) --

_ENDOFCHAIN: Final = 0xFFFFFFFE
_MAXREGSECT: Final = 0xFFFFFFFA
_BIFF_BOF: Final = (0x0809, 0x0409, 0x0209, 0x0009)
_BIFF_FILEPASS: Final = 0x002F
_BIFF_EOF: Final = 0x000A


class _CfbError(Exception):
    pass


@dataclass(frozen=True)
class _CfbEntry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class _Cfb:
    """Just enough of [MS-CFB] to list the directory and read the head of one stream, with
    every chain bounded so a crafted file cannot loop."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or data[:8] != _CFB_MAGIC:
            raise _CfbError("header")
        self.data = data
        major, _byte_order, shift = struct.unpack_from("<HHH", data, 0x1A)
        if shift not in (9, 12):
            raise _CfbError("sector size")
        self.major = major
        self.sector_size = 1 << shift
        self.sector_count = (len(data) - 1) // self.sector_size  # the header is sector -1
        (n_fat, first_dir) = struct.unpack_from("<II", data, 0x2C)
        (self.mini_cutoff, first_minifat, n_minifat) = struct.unpack_from("<III", data, 0x38)
        (first_difat, n_difat) = struct.unpack_from("<II", data, 0x44)
        if n_fat > self.sector_count:
            raise _CfbError("fat count")
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAXREGSECT]
        per_difat = self.sector_size // 4 - 1
        sector = first_difat
        for _ in range(min(n_difat, self.sector_count)):
            if sector > _MAXREGSECT:
                break
            values = struct.unpack(f"<{per_difat + 1}I", self._sector(sector))
            fat_sectors.extend(s for s in values[:per_difat] if s <= _MAXREGSECT)
            sector = values[per_difat]
        per_sector = self.sector_size // 4
        self.fat: list[int] = []
        for s in fat_sectors[:n_fat]:
            self.fat.extend(struct.unpack(f"<{per_sector}I", self._sector(s)))
        directory = b"".join(self._sector(s) for s in self._chain(first_dir))
        self.entries = [
            entry
            for offset in range(0, len(directory) - 127, 128)
            if (entry := self._entry(directory[offset : offset + 128])) is not None
        ]
        self.first_minifat = first_minifat
        self.n_minifat = n_minifat

    def _sector(self, index: int) -> bytes:
        if index > _MAXREGSECT or index >= self.sector_count:
            raise _CfbError("sector out of range")
        offset = (index + 1) * self.sector_size
        return self.data[offset : offset + self.sector_size].ljust(self.sector_size, b"\0")

    def _chain(self, start: int, table: list[int] | None = None) -> Iterator[int]:
        table = self.fat if table is None else table
        current = start
        for _ in range(len(table) + 1):
            if current == _ENDOFCHAIN:
                return
            if current >= len(table):
                raise _CfbError("broken chain")
            yield current
            current = table[current]
        raise _CfbError("chain loops")

    def _entry(self, raw: bytes) -> _CfbEntry | None:
        name_len = struct.unpack_from("<H", raw, 0x40)[0]
        kind = raw[0x42]
        if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
            return None
        name = raw[: name_len - 2].decode("utf-16-le", errors="replace")
        start, size = struct.unpack_from("<IQ", raw, 0x74)
        if self.major == 3:
            size &= 0xFFFFFFFF
        return _CfbEntry(name=name, kind=kind, start=start, size=size)

    def read_head(self, entry: _CfbEntry, limit: int) -> bytes:
        want = min(entry.size, limit)
        parts: list[bytes] = []
        got = 0
        if entry.size < self.mini_cutoff and entry.kind == 2:
            root = next((e for e in self.entries if e.kind == 5), None)
            if root is None:
                raise _CfbError("no root")
            per_sector = self.sector_size // 4
            minifat: list[int] = []
            for s in self._chain(self.first_minifat):
                minifat.extend(struct.unpack(f"<{per_sector}I", self._sector(s)))
            mini_stream = b"".join(self._sector(s) for s in self._chain(root.start))
            for m in self._chain(entry.start, minifat):
                parts.append(mini_stream[m * 64 : m * 64 + 64])
                got += 64
                if got >= want:
                    break
        else:
            for s in self._chain(entry.start):
                parts.append(self._sector(s))
                got += self.sector_size
                if got >= want:
                    break
        return b"".join(parts)[:want]


def _inspect_cfb(path: Path, *, ext: str) -> str:
    data = path.read_bytes()  # at most Limits.max_bytes, checked by the caller
    try:
        cfb = _Cfb(data)
    except (_CfbError, struct.error):
        return _inspect_cfb_bytes(data)
    names = {entry.name.casefold() for entry in cfb.entries}
    if names & {"encryptedpackage", "encryptioninfo"}:
        raise _encrypted()
    if names & {"_vba_project_cur", "_vba_project", "vba", "macros"}:
        raise _macro()
    book = next(
        (e for e in cfb.entries if e.kind == 2 and e.name.casefold() in ("workbook", "book")),
        None,
    )
    if book is None:
        raise _unsupported(
            "File ini dokumen Office lain (mis. Word), jadi",
            "Salin tabelnya ke Excel, simpan sebagai .xlsx, lalu unggah lagi.",
        )
    try:
        head = cfb.read_head(book, 256 * 1024)
    except (_CfbError, struct.error) as exc:
        raise _unreadable("file rusak") from exc
    filepass = _biff_filepass(head)
    if filepass is None:
        raise _unreadable("file rusak")
    if filepass:
        raise _encrypted()
    return "xls"


def _inspect_cfb_bytes(data: bytes) -> str:
    """Fallback when the directory cannot be walked: look for the names themselves and let
    the (isolated) reader decide whether the rest is readable."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _encrypted()
    if "_VBA_PROJECT_CUR".encode("utf-16-le") in data:
        raise _macro()
    if "Book".encode("utf-16-le") in data:
        return "xls"
    raise _unreadable("file rusak")


def _biff_filepass(stream: bytes) -> bool | None:
    """True when the workbook globals carry a FILEPASS record (the workbook is encrypted);
    None when the stream does not start like a BIFF workbook."""
    pos = 0
    first = True
    while pos + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, pos)
        if first:
            if record not in _BIFF_BOF:
                return None
            first = False
        elif record == _BIFF_FILEPASS:
            return True
        elif record == _BIFF_EOF:
            return False
        pos += 4 + length
    return None if first else False


# -- text (csv) --

_SAMPLE: Final = 64 * 1024


def _text_encoding(path: Path) -> str | None:
    """The encoding to read ``path`` as text, or None if it is not text: UTF-8 (BOM or not),
    UTF-16 with a BOM (Excel's "Unicode Text"), else Windows-1252. No NUL anywhere, and hardly
    any other control characters at the start."""
    with path.open("rb") as fh:
        bom = fh.read(4)
        if bom.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates: tuple[str, ...] = ("utf-16",)
        else:
            # Five byte values are undefined in Windows-1252; a file holding them is Latin-1
            # at best, which decodes anything.
            candidates = ("utf-8-sig", "cp1252", "latin-1")
        for encoding in candidates:
            fh.seek(0)
            if _decodes_without_nul(fh, encoding):
                break
        else:
            return None
        fh.seek(0)
        sample = fh.read(_SAMPLE).decode(encoding, errors="replace")
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v\x1a")
    if controls > max(2, len(sample) // 1000):
        return None
    return encoding


def _decodes_without_nul(fh: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            if "\x00" in decoder.decode(chunk):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# --- read_workbook ---------------------------------------------------------------------


def read_workbook(path: Path, *, kind: str, limits: Limits = Limits()) -> list[Sheet]:
    """Every sheet's values. Call ``inspect_file`` first; ``kind`` is what it returned."""
    if kind == "csv":
        return [_read_csv(path, limits)]
    if kind in ("xlsx", "xls", "ods"):
        return _read_isolated(path, limits)
    raise ValueError(f"unknown kind {kind!r}")


def _trim(rows: list[list[object]]) -> list[list[object]]:
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


# -- csv --

_DELIMITERS: Final = (";", ",", "\t", "|")
_MAX_LINE_CHARS: Final = 1_000_000


def _read_csv(path: Path, limits: Limits) -> Sheet:
    encoding = _text_encoding(path)
    if encoding is None:
        raise _unreadable("bukan teks")
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
                    raise _too_many_rows(limits)
                cells += len(record)
                if cells > limits.max_cells:
                    raise _too_many_cells()
                row: list[object] = list(record)
                rows.append(row)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _unreadable("format CSV tidak dikenali") from exc
    rows = _trim(rows)
    if rows and len(rows) * len(rows[0]) > limits.max_cells:
        raise _too_many_cells()
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
    for delimiter in _DELIMITERS:
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

_CHILD_FLAG: Final = "--lindung-read-spreadsheet"


class _Refusal(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _read_isolated(path: Path, limits: Limits) -> list[Sheet]:
    command = [
        sys.executable,
        "-I",  # ignore PYTHON* variables, user site and the current directory
        str(Path(__file__).resolve()),
        _CHILD_FLAG,
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
            raise _too_many_cells()
        raise _unreadable()
    try:
        result = _load_child_result(done.stdout)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
        raise _unreadable() from exc
    if isinstance(result, list):
        return result
    if result == "too_many_rows":
        raise _too_many_rows(limits)
    if result == "too_many_cells":
        raise _too_many_cells()
    if result == "macro":
        raise _macro()
    if result == "encrypted":
        raise _encrypted()
    raise _unreadable()


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


def _child_main(argv: list[str]) -> int:
    path, max_rows, max_cells, memory, seconds = argv
    _limit_resources(memory=int(memory), seconds=int(seconds))
    result: tuple[object, ...]
    try:
        result = ("ok", _calamine_read(path, max_rows=int(max_rows), max_cells=int(max_cells)))
    except _Refusal as refusal:
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
        raise _Refusal("macro")
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
            raise _Refusal("too_many_rows")
        cells += height * width
        if cells > max_cells:
            raise _Refusal("too_many_cells")
        rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
        sheets.append((meta.name, hidden, _trim(rows)))
    return sheets


if __name__ == "__main__" and len(sys.argv) == 7 and sys.argv[1] == _CHILD_FLAG:
    sys.exit(_child_main(sys.argv[2:]))

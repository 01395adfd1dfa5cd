"""What a handed-in file really is, decided from its bytes before anything parses it.

``inspect_file`` refuses anything that could hurt the server or that cannot be read honestly:
zip bombs, macros, password-protected workbooks, programs, web pages saved as ``.xls``, prose
under a spreadsheet's name. Every zip member is checked from the central directory *before*
any parsing, then streamed through zlib with a hard cap, so a member that lies about its size
is caught too. OLE2 compound files (xls, password-protected OOXML) are read with olefile.
Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import csv
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

import olefile

from lindung.common.tabular.base import (
    DEFAULT_LIMITS,
    DELIMITERS,
    MIB,
    SAVE_AS_XLSX,
    SUPPORTED,
    FileRejected,
    Limits,
    encrypted,
    macro,
    unreadable,
    unsupported,
    zip_bomb,
)

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


def inspect_file(path: Path, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The kind of ``path`` ("xlsx", "xls", "ods" or "csv"), decided by its content, or
    ``FileRejected``. ``filename`` is the name the user gave; it only sharpens messages."""
    ext = Path(filename).suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise unreadable() from exc
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
            f"File ini program atau skrip dan ditolak; {SUPPORTED}. "
            "Unggah daftar pekerja dalam file Excel atau CSV.",
        )
    if head.startswith(b"%PDF"):
        raise unsupported("File ini PDF,", "Kirim file Excel aslinya, bukan hasil cetak/PDF.")
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise unsupported("File ini gambar,", "Kirim file Excel aslinya, bukan foto/scan.")
    if head.startswith(_ARCHIVE_MAGIC):
        raise unsupported(
            "File ini arsip terkompresi,", "Keluarkan file spreadsheet-nya, lalu unggah file itu."
        )
    encoding = text_encoding(path)
    if encoding is None:
        if ext in (".csv", ".txt", ".tsv"):
            raise unsupported(
                "File ini berisi data biner (bukan teks) sehingga",
                "Simpan ulang dari Excel sebagai CSV, lalu unggah lagi.",
            )
        raise unsupported()
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n").lower()
    if text_head.startswith("<") and any(
        marker in text_head
        for marker in ("<html", "<table", "<!doctype", "<?xml", "urn:schemas-microsoft-com")
    ):
        raise FileRejected(
            "html_export",
            "File ini halaman web (HTML/XML) yang diberi nama spreadsheet, "
            f"bukan file Excel asli. {SAVE_AS_XLSX}",
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
    for delimiter in DELIMITERS:
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
        raise zip_bomb()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if ext in _SPREADSHEET_NAMES:
            raise unreadable("file rusak atau tidak lengkap") from exc
        raise unsupported() from exc
    with zf:
        infos = zf.infolist()
        _check_zip_sizes(infos, limits)
        if any(info.flag_bits & 0x1 for info in infos):  # zip-level password
            raise encrypted()
        names = {info.filename for info in infos}
        if "mimetype" in names:
            kind = _classify_odf(zf)
        elif "[Content_Types].xml" in names:
            kind = _classify_ooxml(zf, names)
        else:
            raise unsupported(
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
        raise zip_bomb()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise zip_bomb()
        if info.file_size > _RATIO_GRACE and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise zip_bomb()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise unreadable("metode kompresi tidak dikenal")


def _read_member_head(zf: zipfile.ZipFile, name: str, limit: int = MIB) -> bytes:
    try:
        with zf.open(name) as member:
            return member.read(limit)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error) as exc:
        raise unreadable("file rusak") from exc


def _classify_odf(zf: zipfile.ZipFile) -> str:
    mime = _read_member_head(zf, "mimetype", 200).strip()
    if mime != _ODS_MIME:
        raise unsupported(
            "File ini dokumen OpenDocument lain (bukan lembar kerja), jadi",
            "Simpan data sebagai lembar kerja .ods atau .xlsx.",
        )
    names = zf.namelist()
    if "content.xml" not in names:
        raise unreadable("file rusak atau tidak lengkap")
    if "META-INF/manifest.xml" in names and b"encryption-data" in _read_member_head(
        zf, "META-INF/manifest.xml"
    ):
        raise encrypted()
    for name in names:
        if name.startswith(("Basic/", "Scripts/")) and not name.endswith(("-lc.xml", "-lb.xml")):
            raise macro()
    return "ods"


def _classify_ooxml(zf: zipfile.ZipFile, names: set[str]) -> str:
    if any(
        name.casefold().endswith("vbaproject.bin") or name.startswith("xl/macrosheets/")
        for name in names
    ):
        raise macro()
    content_types = _read_member_head(zf, "[Content_Types].xml").lower()
    if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
        raise macro()
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise unsupported(
            "Format Excel Binary (.xlsb)", "Simpan ulang sebagai .xlsx, lalu unggah lagi."
        )
    raise unsupported(
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
                    raise zip_bomb()
                if scan:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise FileRejected(
                            "unsafe_xml",
                            "File berisi bagian XML yang tidak diizinkan (deklarasi DTD). "
                            f"{SAVE_AS_XLSX}",
                        )
                    tail = window[-_DTD_OVERLAP:]
            if produced != info.file_size:
                raise unreadable("file rusak atau tidak lengkap")


def _inflate_member(fh: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise unreadable("file rusak")
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while remaining > 0:
            data = fh.read(min(_CHUNK, remaining))
            if not data:
                raise unreadable("file terpotong")
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
        raise unreadable("file rusak") from exc


# -- CFB / OLE2 (xls, password-protected OOXML) --

_BIFF_BOF: Final = (0x0809, 0x0409, 0x0209, 0x0009)
_BIFF_FILEPASS: Final = 0x002F
_BIFF_EOF: Final = 0x000A
_BOOK_HEAD: Final = 256 * 1024


def _inspect_cfb(path: Path, *, ext: str) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            names = {
                part.casefold()
                for entry in ole.listdir(streams=True, storages=True)
                for part in entry
            }
            if names & {"encryptedpackage", "encryptioninfo"}:
                raise encrypted()
            if names & {"_vba_project_cur", "_vba_project", "vba", "macros"}:
                raise macro()
            book = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if book is None:
                raise unsupported(
                    "File ini dokumen Office lain (mis. Word), jadi",
                    "Salin tabelnya ke Excel, simpan sebagai .xlsx, lalu unggah lagi.",
                )
            with ole.openstream(book) as stream:
                head = stream.read(_BOOK_HEAD)
    except FileRejected:
        raise
    except Exception:
        return _inspect_cfb_bytes(path.read_bytes())
    filepass = _biff_filepass(head)
    if filepass is None:
        raise unreadable("file rusak")
    if filepass:
        raise encrypted()
    return "xls"


def _inspect_cfb_bytes(data: bytes) -> str:
    """Fallback when the directory cannot be walked: look for the names themselves and let
    the (isolated) reader decide whether the rest is readable."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise encrypted()
    if "_VBA_PROJECT_CUR".encode("utf-16-le") in data:
        raise macro()
    if "Book".encode("utf-16-le") in data:
        return "xls"
    raise unreadable("file rusak")


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


_SAMPLE: Final = 64 * 1024


def text_encoding(path: Path) -> str | None:
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

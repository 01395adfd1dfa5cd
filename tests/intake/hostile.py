"""Builders for hostile (and a few normal) upload files, for the intake tests and any later test
that needs a bad file (security goal S8). Each ``write_*`` function takes a directory, writes
one file there and returns its path; everything is generated, nothing is downloaded.

``HOSTILE`` lists every hostile builder with the stage that must refuse it and the expected
``FileRejected.code``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# --- minimal xlsx / ods writers (so each part can be made hostile) ------------------------

_CT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
)
_WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_WORKBOOK_MACRO = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_parts(
    sheet_xml: str, *, shared_strings: str | None = None, main_type: str = _WORKBOOK_MAIN
) -> dict[str, str]:
    """The parts of a one-sheet xlsx, written by hand so any of them can be made hostile."""
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    rels = f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels += f'<Relationship Id="rId2" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": _CT_HEAD + overrides + "</Types>",
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


def write_zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def write_raw_xlsx(path: Path, sheet_xml: str, *, shared_strings: str | None = None) -> Path:
    return write_zip(path, dict(xlsx_parts(sheet_xml, shared_strings=shared_strings)))


def inline_row(row: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{_col(i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{row}">{cells}</row>'


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def write_ods(path: Path, table_xml: str, *, manifest_extra: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Data">{table_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{manifest_extra}</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME)  # stored, first, as ODF wants
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def ods_cell(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    )


# --- a raw zip writer, for members too big to compress in a test -------------------------


@dataclass(frozen=True)
class RawMember:
    name: str
    deflated: list[bytes]  # raw deflate stream, in pieces
    crc: int
    size: int  # what the headers declare as the uncompressed size


def _deflate(data: bytes) -> RawMember:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return RawMember("", [compressor.compress(data) + compressor.flush()], zlib.crc32(data), 0)


def zeros_member(name: str, size: int, *, declared: int | None = None) -> RawMember:
    """``size`` zero bytes as deflate, built from one compressed MiB repeated: a full flush
    resets the compressor, so every MiB compresses to the same ~1 KB block."""
    mib = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert size % len(mib) == 0
    count = size // len(mib)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    return RawMember(name, [block] * count + [end], crc, size if declared is None else declared)


def write_raw_zip(path: Path, members: list[RawMember]) -> Path:
    central = io.BytesIO()
    with path.open("wb") as out:
        for member in members:
            offset = out.tell()
            name = member.name.encode()
            compressed = sum(len(piece) for piece in member.deflated)
            fields = (20, 0, 8, 0, 0x21, member.crc, compressed, member.size)
            out.write(struct.pack("<I5HIII", 0x04034B50, *fields))
            out.write(struct.pack("<HH", len(name), 0) + name)
            for piece in member.deflated:
                out.write(piece)
            central.write(struct.pack("<IHHHHHHIII", 0x02014B50, 20, *fields))
            central.write(struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name)
        start = out.tell()
        directory = central.getvalue()
        out.write(directory)
        out.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0
            )
        )
    return path


def _xlsx_members_except_sheet() -> list[RawMember]:
    members = []
    for name, text in xlsx_parts("").items():
        if name != "xl/worksheets/sheet1.xml":
            data = text.encode()
            deflated = _deflate(data)
            members.append(RawMember(name, deflated.deflated, deflated.crc, len(data)))
    return members


# --- a minimal CFB (OLE2) writer, for legacy .xls variants -------------------------------

_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF

CfbTree = dict[str, "bytes | CfbTree"]  # name → stream bytes, or → a storage's children


@dataclass
class _CfbEntry:
    name: str
    type: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    start: int = _ENDOFCHAIN


def write_cfb(path: Path, tree: CfbTree) -> Path:
    """A version-3 compound file holding ``tree``. Streams are padded to 4096 bytes so none
    lives in the mini stream; siblings hang off each other's right pointer."""
    entries = [_CfbEntry("Root Entry", 5)]

    def add(children: CfbTree) -> int:
        first, previous = _NOSTREAM, None
        for name, value in children.items():
            index = len(entries)
            if isinstance(value, dict):
                entry = _CfbEntry(name, 1)
                entries.append(entry)
                entry.child = add(value)
            else:
                entry = _CfbEntry(name, 2, value.ljust(4096, b"\0"))
                entries.append(entry)
            if previous is None:
                first = index
            else:
                previous.right = index
            previous = entry
        return first

    entries[0].child = add(tree)
    streams = [e for e in entries if e.type == 2]
    dir_sectors = -(-len(entries) // 4)
    data_sectors = sum(-(-len(e.data) // 512) for e in streams)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [_FATSECT] * fat_sectors
    first_dir = len(fat)
    fat += [*range(first_dir + 1, first_dir + dir_sectors), _ENDOFCHAIN]
    body = b""
    for entry in streams:
        padded = entry.data.ljust(-(-len(entry.data) // 512) * 512, b"\0")
        entry.start = len(fat)
        fat += [*range(len(fat) + 1, len(fat) + len(padded) // 512), _ENDOFCHAIN]
        body += padded
    fat += [_FREESECT] * (fat_sectors * 128 - len(fat))

    directory = b""
    for entry in entries:
        name = entry.name.encode("utf-16-le")
        directory += (
            name.ljust(64, b"\0")
            + struct.pack("<HBB", len(name) + 2, entry.type, 1)
            + struct.pack("<III", _NOSTREAM, entry.right, entry.child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", entry.start, len(entry.data))
        )
    directory = directory.ljust(dir_sectors * 512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, fat_sectors, first_dir, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
        + struct.pack("<109I", *range(fat_sectors), *[_FREESECT] * (109 - fat_sectors))
    )
    assert len(header) == 512
    path.write_bytes(header + struct.pack(f"<{len(fat)}I", *fat) + directory + body)
    return path


def biff_workbook_stream(*, encrypted: bool = False) -> bytes:
    """The start of a BIFF8 workbook globals substream: BOF, optionally FILEPASS, EOF."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 1997, 0, 0)
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + bytes(48)
    eof = struct.pack("<HH", 0x000A, 0)
    return bof + (filepass if encrypted else b"") + eof


# --- the hostile files -------------------------------------------------------------------


def write_empty(directory: Path) -> Path:
    path = directory / "kosong.xlsx"
    path.write_bytes(b"")
    return path


def write_zip_bomb(directory: Path) -> Path:
    """An xlsx-shaped zip whose sheet inflates to 1 GiB of zeros (about 1 MB on disk)."""
    sheet = zeros_member("xl/worksheets/sheet1.xml", 1 << 30)
    return write_raw_zip(directory / "bom.xlsx", [*_xlsx_members_except_sheet(), sheet])


def write_lying_zip_bomb(directory: Path) -> Path:
    """The same gigabyte, but the headers claim the sheet is 4 KB: only inflating with a cap
    can catch it."""
    sheet = zeros_member("xl/worksheets/sheet1.xml", 1 << 30, declared=4096)
    return write_raw_zip(directory / "bom-bohong.xlsx", [*_xlsx_members_except_sheet(), sheet])


def write_many_members_zip(directory: Path) -> Path:
    parts: dict[str, str | bytes] = dict(xlsx_parts(SHEET_HEAD + SHEET_TAIL))
    parts.update({f"xl/media/x{i}.bin": b"" for i in range(10_001)})
    with zipfile.ZipFile(directory / "banyak.xlsx", "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return directory / "banyak.xlsx"


_XXE_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    'uniqueCount="2"><si><t>NIK</t></si><si><t>&xxe;</t></si></sst>'
)
_LAUGHS_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst ['
    '<!ENTITY a "hahahahahahahahahaha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    'uniqueCount="2"><si><t>NIK</t></si><si><t>&j;</t></si></sst>'
)
_TWO_SHARED_CELLS = (
    SHEET_HEAD
    + '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    + SHEET_TAIL
)


def write_xxe_xlsx(directory: Path) -> Path:
    """sharedStrings.xml declares an external entity pointing at /etc/passwd."""
    return write_raw_xlsx(directory / "xxe.xlsx", _TWO_SHARED_CELLS, shared_strings=_XXE_STRINGS)


def write_billion_laughs_xlsx(directory: Path) -> Path:
    return write_raw_xlsx(
        directory / "tawa.xlsx", _TWO_SHARED_CELLS, shared_strings=_LAUGHS_STRINGS
    )


def write_far_cell_xlsx(directory: Path) -> Path:
    """A value in A1 and one in XFD1048576: calamine would allocate 17 billion cells."""
    sheet = (
        SHEET_HEAD
        + inline_row(1, ["NIK"])
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        + SHEET_TAIL
    )
    return write_raw_xlsx(directory / "jauh.xlsx", sheet)


def write_ods_row_bomb(directory: Path) -> Path:
    """One ODS row repeated a million times (a few hundred bytes on disk)."""
    row = f'<table:table-row table:number-rows-repeated="1048576">{ods_cell("x")}</table:table-row>'
    return write_ods(directory / "ulang.ods", row)


def write_encrypted_ods(directory: Path) -> Path:
    extra = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="AAAA"/></manifest:encryption-data>'
    )
    return write_ods(directory / "sandi.ods", "", manifest_extra=extra)


def write_exe_as_xlsx(directory: Path) -> Path:
    path = directory / "daftar.xlsx"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64) + b"PE\0\0")
    return path


def write_elf_as_csv(directory: Path) -> Path:
    path = directory / "daftar.csv"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(56))
    return path


def write_script_as_csv(directory: Path) -> Path:
    path = directory / "daftar.csv"
    path.write_bytes(b"#!/bin/sh\nrm -rf /tmp/x\n")
    return path


def write_pdf_as_csv(directory: Path) -> Path:
    path = directory / "daftar.csv"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return path


def write_png_as_xlsx(directory: Path) -> Path:
    path = directory / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8) + b"IHDR" + bytes(40))
    return path


def write_html_as_xls(directory: Path) -> Path:
    """What many web applications call "export to Excel": an HTML table named .xls."""
    path = directory / "export.xls"
    path.write_text(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8">'
        '<style>td { mso-number-format:"\\@"; }</style></head>\n<body><table>'
        "<tr><td>NIK</td><td>NAMA</td></tr><tr><td>3504096804874842</td><td>Suwarni</td></tr>"
        "</table></body></html>\n",
        encoding="utf-8",
    )
    return path


def write_xml2003_as_xls(directory: Path) -> Path:
    path = directory / "export2003.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Data"><Table><Row><Cell><Data ss:Type="String">NIK</Data></Cell>'
        "</Row></Table></Worksheet></Workbook>\n",
        encoding="utf-8",
    )
    return path


def write_csv_with_nul(directory: Path) -> Path:
    path = directory / "nul.csv"
    path.write_bytes(b"NIK;NAMA\n3504096804874842;Suwa\x00rni\n")
    return path


def write_two_million_row_csv(directory: Path) -> Path:
    """A header and 2,000,000 short lines (46 MB, under the 50 MiB size limit), written in
    big blocks."""
    path = directory / "dua-juta.csv"
    block = b"3504096804874842;ANI;P\n" * 10_000
    with path.open("wb") as out:
        out.write(b"NIK;NAMA;JK\r\n")
        for _ in range(200):
            out.write(block)
    return path


def write_plain_zip(directory: Path) -> Path:
    return write_zip(directory / "arsip.zip", {"daftar.txt": "NIK;NAMA\n"})


def write_docx_as_xlsx(directory: Path) -> Path:
    parts = {
        "[Content_Types].xml": _CT_HEAD + "</Types>",
        "_rels/.rels": _ROOT_RELS,
        "word/document.xml": "<document/>",
    }
    return write_zip(directory / "surat.xlsx", dict(parts))


def write_xlsb(directory: Path) -> Path:
    """The shape of an Excel Binary Workbook: readable by some tools, not by our checks."""
    parts = {
        "[Content_Types].xml": _CT_HEAD + "</Types>",
        "_rels/.rels": _ROOT_RELS.replace("workbook.xml", "workbook.bin"),
        "xl/workbook.bin": b"\x83\x01\x00",
    }
    return write_zip(directory / "biner.xlsb", dict(parts))


def _openpyxl_xlsx_bytes() -> bytes:
    from openpyxl import Workbook  # dev dependency; only the builders need it

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["NIK", "NAMA", "TGL LAHIR"])
    sheet.append(["3504096804874842", "Suwarni", "28-04-1987"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_encrypted_xlsx(directory: Path) -> Path:
    """A real workbook, encrypted by msoffcrypto-tool as Excel does ("Encrypt with Password")."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = directory / "sandi.xlsx"
    with path.open("wb") as out:
        OOXMLFile(io.BytesIO(_openpyxl_xlsx_bytes())).encrypt("Rahasia123", out)
    return path


def _with_macro(source: bytes, *, vba: bool, content_type: bool) -> dict[str, str | bytes]:
    parts: dict[str, str | bytes] = {}
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if content_type and name == "[Content_Types].xml":
                data = data.replace(_WORKBOOK_MAIN.encode(), _WORKBOOK_MACRO.encode())
            parts[name] = data
    if vba:
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return parts


def write_xlsm_with_vba(directory: Path) -> Path:
    parts = _with_macro(_openpyxl_xlsx_bytes(), vba=True, content_type=True)
    return write_zip(directory / "makro.xlsm", parts)


def write_xlsm_renamed_xlsx(directory: Path) -> Path:
    """Only vbaProject.bin gives it away: the content type still says a plain workbook."""
    parts = _with_macro(_openpyxl_xlsx_bytes(), vba=True, content_type=False)
    return write_zip(directory / "makro.xlsx", parts)


def write_macro_content_type_xlsx(directory: Path) -> Path:
    parts = _with_macro(_openpyxl_xlsx_bytes(), vba=False, content_type=True)
    return write_zip(directory / "makro2.xlsx", parts)


def write_encrypted_xls(directory: Path) -> Path:
    return write_cfb(directory / "sandi.xls", {"Workbook": biff_workbook_stream(encrypted=True)})


def write_xls_with_vba(directory: Path) -> Path:
    tree: CfbTree = {
        "Workbook": biff_workbook_stream(),
        "_VBA_PROJECT_CUR": {"VBA": {"dir": b"\x01" * 64}, "PROJECT": b"ID={0}\r\n"},
    }
    return write_cfb(directory / "makro.xls", tree)


def write_word_doc_as_xls(directory: Path) -> Path:
    return write_cfb(directory / "surat.xls", {"WordDocument": b"\xec\xa5" + bytes(100)})


# --- normal files ------------------------------------------------------------------------


def write_normal_xlsx(directory: Path) -> Path:
    path = directory / "normal.xlsx"
    path.write_bytes(_openpyxl_xlsx_bytes())
    return path


def write_normal_csv(directory: Path) -> Path:
    path = directory / "normal.csv"
    path.write_bytes(b"NIK;NAMA;TGL_LAHIR\r\n3504096804874842;Siti Ma\x92rifah;28/04/1987\r\n")
    return path


@dataclass(frozen=True)
class Hostile:
    build: Callable[[Path], Path]
    stage: str  # "inspect": inspect_file refuses it; "read": read_workbook does
    code: str


HOSTILE: dict[str, Hostile] = {
    "empty file": Hostile(write_empty, "inspect", "empty"),
    "zip bomb of one gigabyte": Hostile(write_zip_bomb, "inspect", "zip_bomb"),
    "zip bomb lying about its size": Hostile(write_lying_zip_bomb, "inspect", "zip_bomb"),
    "zip with ten thousand and one members": Hostile(write_many_members_zip, "inspect", "zip_bomb"),
    "external entity in shared strings": Hostile(write_xxe_xlsx, "inspect", "unsafe_xml"),
    "billion laughs in shared strings": Hostile(write_billion_laughs_xlsx, "inspect", "unsafe_xml"),
    "executable renamed xlsx": Hostile(write_exe_as_xlsx, "inspect", "executable"),
    "linux executable renamed csv": Hostile(write_elf_as_csv, "inspect", "executable"),
    "shell script renamed csv": Hostile(write_script_as_csv, "inspect", "executable"),
    "pdf renamed csv": Hostile(write_pdf_as_csv, "inspect", "unsupported"),
    "image renamed xlsx": Hostile(write_png_as_xlsx, "inspect", "unsupported"),
    "html table saved as xls": Hostile(write_html_as_xls, "inspect", "html_export"),
    "xml 2003 spreadsheet saved as xls": Hostile(write_xml2003_as_xls, "inspect", "html_export"),
    "csv with a nul byte": Hostile(write_csv_with_nul, "inspect", "unsupported"),
    "plain zip archive": Hostile(write_plain_zip, "inspect", "unsupported"),
    "word document renamed xlsx": Hostile(write_docx_as_xlsx, "inspect", "unsupported"),
    "word document renamed xls": Hostile(write_word_doc_as_xls, "inspect", "unsupported"),
    "excel binary workbook": Hostile(write_xlsb, "inspect", "unsupported"),
    "password-protected xlsx": Hostile(write_encrypted_xlsx, "inspect", "encrypted"),
    "password-protected xls": Hostile(write_encrypted_xls, "inspect", "encrypted"),
    "password-protected ods": Hostile(write_encrypted_ods, "inspect", "encrypted"),
    "xlsm with a vba project": Hostile(write_xlsm_with_vba, "inspect", "macro"),
    "xlsm renamed xlsx": Hostile(write_xlsm_renamed_xlsx, "inspect", "macro"),
    "xlsx declaring a macro workbook": Hostile(write_macro_content_type_xlsx, "inspect", "macro"),
    "xls with a vba project": Hostile(write_xls_with_vba, "inspect", "macro"),
    "two million row csv": Hostile(write_two_million_row_csv, "read", "too_many_rows"),
    "xlsx with a cell in the far corner": Hostile(write_far_cell_xlsx, "read", "too_large"),
    "ods row repeated a million times": Hostile(write_ods_row_bomb, "read", "too_many_rows"),
}

"""Reading agency spreadsheets safely: kind by content, hostile files refused with a code and
an Indonesian message (S8), values read as written, row numbers as a person sees them."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import olefile
import pytest

from lindung.common.tabular import (
    REJECTION_CODES,
    FileRejected,
    Limits,
    Sheet,
    inspect_file,
    read_workbook,
)
from tests.intake import hostile

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = DATA / "samples"
EXPECTED = DATA / "samples_expected"

# file, kind, sheet, column holding the NIK
SAMPLE_FILES = [
    ("dinas-perikanan-nelayan.xlsx", "xlsx", "Nelayan", 1),
    ("dishub-ojol.xlsx", "xlsx", "Data", 1),
    ("satpolpp-becak.csv", "csv", "", 0),
    ("disperindag-pedagang.xls", "xls", "DATA", 1),
    ("desa-perangkat-rt-rw.ods", "ods", "Usulan", 1),
]


def read(path: Path, *, filename: str | None = None, limits: Limits | None = None) -> list[Sheet]:
    limits = limits or Limits()
    kind = inspect_file(path, filename=filename or path.name, limits=limits)
    return read_workbook(path, kind=kind, limits=limits)


def refusal(
    path: Path, *, filename: str | None = None, limits: Limits | None = None
) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read(path, filename=filename, limits=limits)
    return caught.value


def outcome(read_it: Callable[[], list[Sheet]]) -> list[Sheet] | FileRejected:
    try:
        return read_it()
    except FileRejected as rejected:
        return rejected


@pytest.fixture(scope="module")
def sample_sheets() -> dict[str, list[Sheet]]:
    return {name: read(SAMPLES / name) for name, *_ in SAMPLE_FILES}


# --- the five sample files -------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "sheet", "nik_column"), SAMPLE_FILES)
def test_each_sample_is_recognised_by_its_content(name, kind, sheet, nik_column):
    assert inspect_file(SAMPLES / name, filename=name) == kind


@pytest.mark.parametrize(("name", "kind", "sheet", "nik_column"), SAMPLE_FILES)
def test_each_expected_row_number_points_at_the_nik_as_written(
    sample_sheets, name, kind, sheet, nik_column
):
    """Every line of the expected table: the 1-based row a person sees holds that NIK, exactly
    as written (text, number cell read as float in xlsx, empty)."""
    sheets = {s.name: s for s in sample_sheets[name]}
    assert list(sheets) == [sheet]
    rows = sheets[sheet].rows
    with (EXPECTED / f"{Path(name).stem}.csv").open(encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    assert expected
    for line in expected:
        assert line["sheet"] == sheet
        cell = rows[int(line["row"]) - 1][nik_column]
        assert str(cell) == line["nik_as_written"], line


def test_a_nik_typed_as_a_number_arrives_as_a_float_from_xlsx(sample_sheets):
    rows = sample_sheets["dishub-ojol.xlsx"][0].rows
    assert rows[2][1] == 3504196005906740.0
    assert rows[4][1] == "'3504024809905444"  # the apostrophe is kept for the NIK checks


def test_sample_values_keep_their_types_and_spaces(sample_sheets):
    perikanan = sample_sheets["dinas-perikanan-nelayan.xlsx"][0].rows
    assert perikanan[5][:5] == [1.0, "3504096804874842", "Suwarni", "Kediri", dt.date(1987, 4, 28)]
    assert perikanan[-1][:3] == ["", "JUMLAH", "600 orang"]
    assert sample_sheets["dishub-ojol.xlsx"][0].rows[5][2] == "  Wardaya  Sihotang "
    assert sample_sheets["satpolpp-becak.csv"][0].rows[-1] == [
        "TOTAL",
        "400",
        "",
        "",
        "",
        "",
        "",
        "",
    ]


@pytest.mark.parametrize(("name", "kind", "sheet", "nik_column"), SAMPLE_FILES)
def test_sheets_are_rectangular_and_end_on_a_non_empty_row(
    sample_sheets, name, kind, sheet, nik_column
):
    rows = sample_sheets[name][0].rows
    assert len({len(row) for row in rows}) == 1
    assert any(cell != "" for cell in rows[-1])
    assert any(row[-1] != "" for row in rows)


@pytest.mark.parametrize(
    ("source", "given_name", "kind"),
    [
        ("dinas-perikanan-nelayan.xlsx", "daftar.csv", "xlsx"),
        ("satpolpp-becak.csv", "daftar.xlsx", "csv"),
        ("desa-perangkat-rt-rw.ods", "daftar.xls", "ods"),
        ("disperindag-pedagang.xls", "daftar.xlsx", "xls"),
        ("satpolpp-becak.csv", "export.xls", "csv"),  # "export to Excel" that is really text
    ],
)
def test_the_kind_comes_from_the_content_not_the_name(tmp_path, source, given_name, kind):
    path = tmp_path / given_name
    shutil.copy(SAMPLES / source, path)
    assert inspect_file(path, filename=given_name) == kind
    assert read_workbook(path, kind=kind)[0].rows


# --- hostile files (S8) ----------------------------------------------------------------


@pytest.mark.parametrize("label", list(hostile.HOSTILE))
def test_each_hostile_file_is_refused_with_its_code_and_an_indonesian_message(tmp_path, label):
    case = hostile.HOSTILE[label]
    path = case.build(tmp_path)
    if case.stage == "inspect":
        with pytest.raises(FileRejected) as caught:
            inspect_file(path, filename=path.name)
    else:
        kind = inspect_file(path, filename=path.name)
        with pytest.raises(FileRejected) as caught:
            read_workbook(path, kind=kind)
    rejected = caught.value
    assert rejected.code == case.code
    assert rejected.code in REJECTION_CODES
    assert any(word in rejected.message for word in ("File", "file", "Lembar")), rejected.message
    assert "Error" not in rejected.message
    assert "Traceback" not in rejected.message


def test_a_two_million_row_csv_is_refused_in_a_few_seconds(tmp_path):
    path = hostile.write_two_million_row_csv(tmp_path)
    assert path.stat().st_size < Limits().max_bytes  # refused for its rows, not its size
    started = time.perf_counter()
    rejected = refusal(path)
    elapsed = time.perf_counter() - started
    assert rejected.code == "too_many_rows"
    assert "200.000" in rejected.message
    assert elapsed < 3.0, f"took {elapsed:.2f} s"


def test_a_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    path = hostile.write_zip_bomb(tmp_path)
    started = time.perf_counter()
    assert refusal(path).code == "zip_bomb"
    assert time.perf_counter() - started < 0.5


def test_a_zip_lying_about_its_size_is_caught_while_inflating_under_a_cap(tmp_path):
    path = hostile.write_lying_zip_bomb(tmp_path)
    with zipfile.ZipFile(path) as zf:  # the headers alone look harmless
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 4096
    started = time.perf_counter()
    assert refusal(path).code == "zip_bomb"
    assert time.perf_counter() - started < 1.0


def test_a_member_compressed_more_than_a_hundred_times_is_a_zip_bomb(tmp_path):
    """10 MiB of zeros stays far below the total limit; only the ratio gives it away."""
    sheet = hostile.zeros_member("xl/worksheets/sheet1.xml", 10 << 20)
    path = hostile.write_raw_zip(
        tmp_path / "rasio.xlsx", [*hostile._xlsx_members_except_sheet(), sheet]
    )
    assert refusal(path).code == "zip_bomb"


@pytest.mark.parametrize(
    "build", [hostile.write_xxe_xlsx, hostile.write_billion_laughs_xlsx], ids=["xxe", "laughs"]
)
def test_entities_in_shared_strings_are_never_expanded_even_by_the_reader_itself(tmp_path, build):
    """inspect_file refuses the DTD; read_workbook, called directly, must still either refuse
    or read the entity unexpanded."""
    path = build(tmp_path)
    result = outcome(lambda: read_workbook(path, kind="xlsx"))
    if isinstance(result, FileRejected):
        assert result.code == "unreadable"
    else:
        text = repr([sheet.rows for sheet in result])
        assert "root:" not in text
        assert "hahahahahahahahahahahahaha" not in text


def test_an_encrypted_xls_is_refused_by_the_reader_too(tmp_path):
    path = hostile.write_encrypted_xls(tmp_path)
    with pytest.raises(FileRejected) as caught:
        read_workbook(path, kind="xls")
    assert caught.value.code in ("encrypted", "unreadable")


def test_the_test_compound_file_writer_makes_files_olefile_can_read(tmp_path):
    path = hostile.write_xls_with_vba(tmp_path)
    with olefile.OleFileIO(str(path)) as ole:
        assert ["_VBA_PROJECT_CUR", "VBA", "dir"] in ole.listdir(storages=True)
        assert ole.openstream("Workbook").read().startswith(b"\x09\x08")


@pytest.mark.parametrize("seed", range(8))
def test_a_damaged_file_is_read_or_refused_never_a_raw_exception(tmp_path, seed):
    rng = random.Random(seed)
    name, *_ = SAMPLE_FILES[seed % len(SAMPLE_FILES)]
    data = bytearray((SAMPLES / name).read_bytes())
    for _ in range(20):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if seed % 2:
        data = data[: rng.randrange(len(data) // 2, len(data))]
    path = tmp_path / name
    path.write_bytes(bytes(data))
    result = outcome(lambda: read(path))
    if isinstance(result, FileRejected):
        assert result.code in REJECTION_CODES
        assert result.message
    else:
        assert all(isinstance(sheet, Sheet) for sheet in result)


# --- normal files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "kind", "first_row"),
    [
        (hostile.write_normal_xlsx, "xlsx", ["NIK", "NAMA", "TGL LAHIR"]),
        (hostile.write_normal_csv, "csv", ["NIK", "NAMA", "TGL_LAHIR"]),
        (
            lambda d: (
                shutil.copy(SAMPLES / "disperindag-pedagang.xls", d / "a.xls") and d / "a.xls"
            ),
            "xls",
            ["REKAP USULAN PESERTA BPJS KETENAGAKERJAAN", "", "", "", "", "", "", "", ""],
        ),
        (
            lambda d: hostile.write_ods(
                d / "a.ods", "<table:table-row>" + hostile.ods_cell("NIK") + "</table:table-row>"
            ),
            "ods",
            ["NIK"],
        ),
    ],
    ids=["xlsx", "csv", "xls", "ods"],
)
def test_a_normal_file_of_each_kind_is_accepted(tmp_path, build, kind, first_row):
    path = Path(build(tmp_path))
    assert inspect_file(path, filename=path.name) == kind
    sheets = read_workbook(path, kind=kind)
    assert sheets[0].rows[0] == first_row


def test_windows_1252_text_is_decoded(tmp_path):
    sheet = read(hostile.write_normal_csv(tmp_path))[0]
    assert sheet.rows[1] == ["3504096804874842", "Siti Ma’rifah", "28/04/1987"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"NIK;NAMA;ALAMAT\n1;Ani;Jl. Mawar, No. 5\n2;Budi;Dsn. Krajan\n",
            [
                ["NIK", "NAMA", "ALAMAT"],
                ["1", "Ani", "Jl. Mawar, No. 5"],
                ["2", "Budi", "Dsn. Krajan"],
            ],
            id="semicolons with commas inside fields",
        ),
        pytest.param(
            b'NIK,NAMA,ALAMAT\n1,Ani,"Jl. Mawar, No. 5"\n2,Budi,"Dsn. ""Krajan"""\n',
            [
                ["NIK", "NAMA", "ALAMAT"],
                ["1", "Ani", "Jl. Mawar, No. 5"],
                ["2", "Budi", 'Dsn. "Krajan"'],
            ],
            id="commas with quoted fields",
        ),
        pytest.param(b"NIK\tNAMA\n1\tAni\n", [["NIK", "NAMA"], ["1", "Ani"]], id="tabs"),
        pytest.param(
            b"NIK|NAMA|KODE\n1|Ani|35.04\n",
            [["NIK", "NAMA", "KODE"], ["1", "Ani", "35.04"]],
            id="pipes",
        ),
        pytest.param(
            b"\xef\xbb\xbfNIK;NAMA\n1;B\xc3\xa9la\n",
            [["NIK", "NAMA"], ["1", "Béla"]],
            id="utf-8 bom",
        ),
        pytest.param(
            "NIK\tNAMA\r\n1\tBéla\r\n".encode("utf-16"),
            [["NIK", "NAMA"], ["1", "Béla"]],
            id="excel unicode text (utf-16)",
        ),
        pytest.param(
            b"sep=,\nNIK,NAMA\n1,Ani\n", [["NIK", "NAMA"], ["1", "Ani"]], id="excel sep= line"
        ),
        pytest.param(
            b"sep=\t\nNIK\tNAMA;KET\n1\tAni;x\n",
            [["NIK", "NAMA;KET"], ["1", "Ani;x"]],
            id="excel sep= line naming a tab",
        ),
        pytest.param(
            b"DAFTAR PEKERJA\n\nNIK;NAMA\n'3504;  Ani \n\n2;Budi\n\n\n",
            [
                ["DAFTAR PEKERJA", ""],
                ["", ""],
                ["NIK", "NAMA"],
                ["'3504", "  Ani "],
                ["", ""],
                ["2", "Budi"],
            ],
            id="blank rows kept in place trailing ones dropped text as written",
        ),
        pytest.param(
            b"NIK;NAMA;;;\r\n1;Ani\r\nTOTAL;1;;;\r\n",
            [["NIK", "NAMA"], ["1", "Ani"], ["TOTAL", "1"]],
            id="ragged rows padded and empty trailing columns dropped",
        ),
    ],
)
def test_csv_is_read_as_text_with_its_delimiter_sniffed(tmp_path, content, expected):
    path = tmp_path / "daftar.csv"
    path.write_bytes(content)
    sheet = read(path)[0]
    assert sheet.name == ""
    assert sheet.rows == expected


def test_spreadsheet_rows_start_at_row_one_even_when_the_table_starts_lower(tmp_path):
    sheet_xml = (
        hostile.SHEET_HEAD
        + '<row r="3"><c r="C3" t="inlineStr"><is><t>NIK</t></is></c>'
        + '<c r="D3"><f>1+1</f><v>2</v></c></row>'
        + '<row r="4"><c r="C4" t="inlineStr"><is><t>x</t></is></c>'
        + '<c r="F4" t="inlineStr"><is><t></t></is></c></row>'
        + '<row r="9"><c r="A9" t="inlineStr"><is><t></t></is></c></row>'
        + hostile.SHEET_TAIL
    )
    path = hostile.write_raw_xlsx(tmp_path / "geser.xlsx", sheet_xml)
    rows = read(path)[0].rows
    # Formulas are not evaluated: D3 gives its cached value. Empty trailing cells are dropped.
    assert rows == [["", "", "", ""], ["", "", "", ""], ["", "", "NIK", 2.0], ["", "", "x", ""]]


def test_hidden_sheets_are_read_and_flagged(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Data"
    workbook.active.append(["NIK", "NAMA"])
    hidden = workbook.create_sheet("Referensi")
    hidden.append(["kode", "desa"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "dua.xlsx"
    workbook.save(path)
    sheets = read(path)
    assert [(s.name, s.hidden, s.rows) for s in sheets] == [
        ("Data", False, [["NIK", "NAMA"]]),
        ("Referensi", True, [["kode", "desa"]]),
    ]


# --- limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "limits", "code"),
    [
        ("dinas-perikanan-nelayan.xlsx", Limits(max_rows=500), "too_many_rows"),
        ("disperindag-pedagang.xls", Limits(max_rows=400), "too_many_rows"),
        ("desa-perangkat-rt-rw.ods", Limits(max_rows=5), "too_many_rows"),
        ("satpolpp-becak.csv", Limits(max_rows=300), "too_many_rows"),
        ("dishub-ojol.xlsx", Limits(max_cells=5_000), "too_large"),
        ("satpolpp-becak.csv", Limits(max_cells=1_000), "too_large"),
        ("dishub-ojol.xlsx", Limits(max_bytes=50_000), "too_large"),
        ("dishub-ojol.xlsx", Limits(max_uncompressed_bytes=400_000), "zip_bomb"),
        ("dishub-ojol.xlsx", Limits(max_members=5), "zip_bomb"),
    ],
)
def test_each_limit_refuses_a_file_over_it(name, limits, code):
    assert refusal(SAMPLES / name, limits=limits).code == code


@pytest.mark.parametrize(
    ("name", "rows"),
    [("dinas-perikanan-nelayan.xlsx", 600), ("satpolpp-becak.csv", 400)],
)
def test_a_file_at_the_row_limit_with_its_title_rows_is_accepted(name, rows):
    assert read(SAMPLES / name, limits=Limits(max_rows=rows))


def test_a_file_the_reader_cannot_open_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "rusak.xlsx"
    data = (SAMPLES / "dishub-ojol.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert refusal(path).code == "unreadable"
    with pytest.raises(FileRejected) as caught:
        read_workbook(SAMPLES / "satpolpp-becak.csv", kind="xlsx")
    assert caught.value.code == "unreadable"


# --- text under a spreadsheet's name (issue 8) ------------------------------------------


@pytest.mark.parametrize("given_name", ["daftar.xlsx", "daftar.xls", "daftar.ods"])
def test_a_text_file_renamed_as_a_spreadsheet_is_told_it_is_not_a_spreadsheet(tmp_path, given_name):
    path = tmp_path / given_name
    path.write_text(
        "Kepada Yth. Kepala Disnaker,\n"
        "Bersama ini kami kirimkan daftar nelayan, sebagaimana diminta.\n"
        "Terima kasih atas perhatian Bapak/Ibu.\n",
        encoding="utf-8",
    )

    with pytest.raises(FileRejected) as refused:
        inspect_file(path, filename=given_name)

    assert refused.value.code == "unsupported"
    assert refused.value.message.startswith("Berkas ini bukan lembar kerja Excel/ODS/CSV")
    assert "teks biasa" in refused.value.message


@pytest.mark.parametrize(
    "content",
    [
        "NIK;Nama\n3504096804874842;Suwarni\n3504095806010862;Siti Aminah\n",
        "NIK,Nama,Pekerjaan\n3504096804874842,Suwarni,Nelayan\n",
        "NIK\tNama\n3504096804874842\tSuwarni\n",
    ],
)
def test_a_real_csv_named_xlsx_is_read_as_csv(tmp_path, content):
    path = tmp_path / "daftar.xlsx"
    path.write_text(content, encoding="utf-8")

    assert inspect_file(path, filename="daftar.xlsx") == "csv"

"""Row checks for agency worker lists: regions, occupations, the NIK against the stated
birth date and sex, and duplicates within a file.

Regions are the real Kemendagri codes of Kabupaten Tulungagung (35.04) from
``lindung/data/wilayah``; occupations are the default list in
``lindung/programs/data/occupations.csv``, numbered 1, 2, ... in file order. The base row is a
person of tests/data/samples/satpolpp-becak.csv (synthetic): NIK 3504020102827461, a man born
01-02-1982, first registered in Kec. Boyolangu.
"""

import csv
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from lindung.domain.nik import parse_nik
from lindung.domain.regions import DEFAULT_DATA_DIR
from lindung.intake.normalise import RowIssue
from lindung.intake.resolvers import OccupationResolver, RegionResolver
from lindung.intake.rowcheck import (
    CheckContext,
    RowResult,
    check_row,
    check_rows,
)

AS_OF = date(2026, 11, 22)
OCCUPATIONS_CSV = Path(DEFAULT_DATA_DIR).parent.parent / "programs" / "data" / "occupations.csv"
REGENCY_PREFIX = "35.04."


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@cache
def regions() -> RegionResolver:
    districts = [
        (r["code"], r["name"])
        for r in _read(DEFAULT_DATA_DIR / "districts.csv")
        if r["code"].startswith(REGENCY_PREFIX)
    ]
    villages = [
        (r["code"], r["name"])
        for r in _read(DEFAULT_DATA_DIR / "villages.csv")
        if r["code"].startswith(REGENCY_PREFIX)
    ]
    return RegionResolver(districts, villages)


@cache
def occupation_list() -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    return tuple(
        (number, row["name"], tuple(s for s in row["synonyms"].split("|") if s))
        for number, row in enumerate(_read(OCCUPATIONS_CSV), 1)
    )


@cache
def occupations() -> OccupationResolver:
    return OccupationResolver(occupation_list())


def occupation_id(name: str) -> int:
    return next(number for number, occupation, _ in occupation_list() if occupation == name)


def context(**kwargs: object) -> CheckContext:
    return CheckContext(as_of=AS_OF, regions=regions(), occupations=occupations(), **kwargs)


def codes(issues: list[RowIssue]) -> list[str]:
    return [issue.code for issue in issues]


# --- regions -------------------------------------------------------------------------------

REGION_CASES = [
    pytest.param("Ds. Wajak Lor", "Boyolangu", "35.04.02.2010", "35.04.02", [], id="ds-prefix"),
    pytest.param("Wajaklor", "Kec. Boyolangu", "35.04.02.2010", "35.04.02", [], id="space-dropped"),
    pytest.param(
        "Desa Wajak  Lor",
        "KECAMATAN BOYOLANGU",
        "35.04.02.2010",
        "35.04.02",
        [],
        id="desa-and-kecamatan-words",
    ),
    pytest.param(
        "Kel. Kenayan", "", "35.04.01.1008", "35.04.01", [], id="kelurahan-without-district"
    ),
    pytest.param(
        "DS SERUT", "Boyolangu", "35.04.02.2014", "35.04.02", [], id="capitals-without-dot"
    ),
    pytest.param(
        "Ds.Serut", "boyolangu", "35.04.02.2014", "35.04.02", [], id="prefix-run-together"
    ),
    pytest.param(
        "Wajak Kidl",
        "Boyolangu",
        "35.04.02.2001",
        "35.04.02",
        ["village_spelling"],
        id="typo-in-a-long-name",
    ),
    pytest.param(
        "Sumbringin Kidul",
        "Ngunut",
        "35.04.11.2008",
        "35.04.11",
        ["village_spelling"],
        id="typo-resolved-within-its-district",
    ),
    pytest.param(
        "Besuki", "Besuki", "35.04.15.2003", "35.04.15", [], id="village-named-like-its-district"
    ),
    pytest.param(
        "Besuki", "", "35.04.15.2003", "35.04.15", [], id="unique-village-without-district"
    ),
    pytest.param(
        "Tulungrejo", "Besuki", "35.04.15.2010", "35.04.15", [], id="repeated-name-district-decides"
    ),
    pytest.param(
        "Tulungrejo",
        "Karangrejo",
        "35.04.08.2013",
        "35.04.08",
        [],
        id="repeated-name-other-district",
    ),
    pytest.param(
        "Tulungrejo", "", None, None, ["village_ambiguous"], id="repeated-name-without-district"
    ),
    pytest.param(
        "Kel. Kauman", "", "35.04.01.1010", "35.04.01", [], id="kel-prefix-picks-the-kelurahan"
    ),
    pytest.param("Ds. Kauman", "", "35.04.05.2002", "35.04.05", [], id="ds-prefix-picks-the-desa"),
    pytest.param("Bono", "Pakel", "35.04.18.2002", "35.04.18", [], id="short-repeated-name"),
    pytest.param(
        "Bonu", "Pakel", None, "35.04.18", ["village_unknown"], id="no-typo-allowed-under-5-letters"
    ),
    pytest.param(
        "Serut",
        "Gondang",
        None,
        "35.04.09",
        ["village_other_district"],
        id="village-of-another-district",
    ),
    pytest.param("Atlantis", "", None, None, ["village_unknown"], id="unknown-village"),
    pytest.param(
        "Atlantis",
        "Boyolangu",
        None,
        "35.04.02",
        ["village_unknown"],
        id="unknown-village-in-a-district",
    ),
    pytest.param("", "Boyolangu", None, "35.04.02", [], id="district-only"),
    pytest.param("", "Boyolang", None, "35.04.02", ["district_spelling"], id="typo-in-district"),
    pytest.param("", "Atlantis", None, None, ["district_unknown"], id="unknown-district"),
    pytest.param(
        "Sobontoro",
        "Atlantis",
        "35.04.02.2016",
        "35.04.02",
        ["district_unknown"],
        id="unknown-district-known-village",
    ),
    pytest.param("35.04.02.2010", "", "35.04.02.2010", "35.04.02", [], id="a-village-code"),
    pytest.param("", "", None, None, [], id="blank"),
]


@pytest.mark.parametrize(
    ("village", "district", "village_code", "district_code", "warnings"), REGION_CASES
)
def test_it_resolves_village_and_district_names_of_tulungagung(
    village, district, village_code, district_code, warnings
):
    got_village, got_district, issues = regions().resolve(village=village, district=district)

    assert (got_village, got_district) == (village_code, district_code)
    assert codes(issues) == warnings
    assert all(issue.severity == "warning" for issue in issues)


def test_it_asks_for_the_district_when_a_village_name_repeats():
    _, _, issues = regions().resolve(village="Tulungrejo", district="")

    assert issues[0].message == (
        "Desa/kelurahan 'Tulungrejo' ada di beberapa kecamatan (Karangrejo, Besuki); "
        "isi kolom Kecamatan dengan benar."
    )


def test_it_says_where_a_village_of_another_district_is():
    _, _, issues = regions().resolve(village="Serut", district="Gondang")

    assert "Kecamatan Gondang" in issues[0].message
    assert "Kecamatan Boyolangu" in issues[0].message


def test_it_quotes_an_unknown_village_and_names_a_correction():
    _, _, unknown = regions().resolve(village="Atlantis", district="")
    _, _, corrected = regions().resolve(village="Wajak Kidl", district="Boyolangu")

    assert "'Atlantis'" in unknown[0].message
    assert "'Wajak Kidl' dibaca sebagai Wajak Kidul" in corrected[0].message


def test_a_cached_resolution_hands_out_its_own_list_of_warnings():
    resolver = regions()
    resolver.resolve(village="Atlantis", district="")[2].clear()

    assert codes(resolver.resolve(village="Atlantis", district="")[2]) == ["village_unknown"]


def test_a_typo_equally_close_to_two_villages_is_not_guessed():
    resolver = RegionResolver(
        [("35.04.01", "Satu")], [("35.04.01.2001", "Sumberejo"), ("35.04.01.2002", "Sumberajo")]
    )

    village, _, issues = resolver.resolve(village="Sumberxjo", district="Satu")

    assert village is None
    assert codes(issues) == ["village_unknown"]


# --- occupations ---------------------------------------------------------------------------

OCCUPATION_CASES = [
    pytest.param("OJOL", "Pengemudi Ojek Online", None, id="ojol"),
    pytest.param("Pengayuh Becak", "Tukang Becak", None, id="a-synonym"),
    pytest.param("TUKANG BECAK", "Tukang Becak", None, id="the-name-in-capitals"),
    pytest.param("Nelayan Tradisional", "Nelayan", None, id="nelayan-tradisional"),
    pytest.param("DRIVER OJOL GRAB", "Pengemudi Ojek Online", None, id="synonym-inside-a-phrase"),
    pytest.param("Driver  Ojol.", "Pengemudi Ojek Online", None, id="spaces-and-dot"),
    pytest.param("Kasi Pemerintahan", "Perangkat Desa", None, id="kasi-as-a-whole-word"),
    pytest.param("Nelayn", "Nelayan", "occupation_spelling", id="typo"),
    pytest.param("Astronot", None, "occupation_unknown", id="unknown"),
    pytest.param("Ketua RX", None, "occupation_unknown", id="typo-as-close-to-rt-as-to-rw"),
]


@pytest.mark.parametrize(("text", "expected", "warning"), OCCUPATION_CASES)
def test_it_finds_the_occupation_of_a_job_cell(text, expected, warning):
    found, issue = occupations().resolve(text)

    assert found == (occupation_id(expected) if expected else None)
    assert (issue.code if issue else None) == warning
    if issue is not None:
        assert issue.severity == "warning"
        assert f"'{text}'" in issue.message


def test_a_phrase_holding_synonyms_of_two_occupations_is_not_guessed():
    resolver = OccupationResolver([(1, "Tukang", ["tukang"]), (2, "Becak", ["becak"])])

    found, issue = resolver.resolve("tukang becak")

    assert found is None
    assert issue is not None
    assert issue.code == "occupation_ambiguous"


def test_a_blank_job_cell_has_no_occupation_and_no_issue():
    assert occupations().resolve("  ") == (None, None)


# --- single rows ---------------------------------------------------------------------------

DROP = object()  # remove the field from the base row

BASE_ROW: dict[str, object] = {
    "row_no": 7.0,
    "nik": "3504020102827461",
    "name": "  Ahmad  Jaya ",
    "birth_place": "Tulungagung",
    "birth_date": "01/02/1982",
    "sex": "L",
    "address": "Dsn. Krajan",
    "rt": 3.0,
    "rw": "5",
    "village": "Ds. Wajak Lor",
    "district": "Boyolangu",
    "occupation": "Pengayuh Becak",
    "phone": "0812-3456-7890",
}


def row(**changes: object) -> dict[str, object]:
    values = {**BASE_ROW, **changes}
    return {key: value for key, value in values.items() if value is not DROP}


def test_it_accepts_a_clean_row_and_normalises_its_values():
    result = check_row(9, row(), context=context())

    assert result == RowResult(
        row_number=9,
        values={
            "nik": "3504020102827461",
            "name": "Ahmad Jaya",
            "birth_place": "Tulungagung",
            "birth_date": date(1982, 2, 1),
            "sex": "L",
            "address": "Dsn. Krajan",
            "rt": "003",
            "rw": "005",
            "village": "Ds. Wajak Lor",
            "district": "Boyolangu",
            "village_code": "35.04.02.2010",
            "district_code": "35.04.02",
            "occupation": "Pengayuh Becak",
            "occupation_id": occupation_id("Tukang Becak"),
            "phone": "+6281234567890",
            "income": None,
            "kk": None,
        },
        issues=[],
        outcome="accepted",
    )
    assert result.reasons == ""


ROW_CASES = [
    pytest.param({}, "accepted", [], id="ok"),
    pytest.param(
        {"nik": "'3504020102827461"},
        "accepted_with_warnings",
        ["nik_cleaned"],
        id="ok-cleaned-apostrophe",
    ),
    pytest.param(
        {"nik": " 3504 0201 0282 7461 "},
        "accepted_with_warnings",
        ["nik_cleaned"],
        id="ok-cleaned-spaces",
    ),
    pytest.param(
        {"nik": 3504020102827460.0}, "rejected", ["nik_excel_damaged"], id="nik-from-a-float-cell"
    ),
    pytest.param(
        {"nik": "3504020102827460.0"},
        "rejected",
        ["nik_excel_damaged"],
        id="nik-float-written-as-text",
    ),
    pytest.param({"nik": "3,50402E+15"}, "rejected", ["nik_excel_damaged"], id="nik-in-e-notation"),
    pytest.param({"nik": ""}, "rejected", ["nik_missing"], id="missing-nik"),
    pytest.param({"nik": DROP}, "rejected", ["nik_missing"], id="no-nik-column"),
    pytest.param({"nik": "350402010282746"}, "rejected", ["nik_length"], id="nik-of-15-digits"),
    pytest.param(
        {"nik": "3504020102820000"}, "rejected", ["nik_serial_zero"], id="nik-serial-0000"
    ),
    pytest.param({"sex": "P"}, "rejected", ["nik_sex_mismatch"], id="sex-mismatch"),
    pytest.param(
        {"birth_date": "02/01/1982"}, "rejected", ["nik_birth_date_mismatch"], id="date-mismatch"
    ),
    pytest.param(
        {"birth_date": "02/01/1982", "sex": "Perempuan"},
        "rejected",
        ["nik_birth_date_mismatch", "nik_sex_mismatch"],
        id="both-mismatch",
    ),
    pytest.param({"name": ""}, "rejected", ["name_missing"], id="missing-name"),
    pytest.param({"name": "123"}, "rejected", ["name_invalid"], id="name-without-letters"),
    pytest.param(
        {"birth_date": ""},
        "accepted_with_warnings",
        ["birth_date_from_nik"],
        id="blank-date-taken-from-nik",
    ),
    pytest.param(
        {"sex": DROP}, "accepted_with_warnings", ["sex_from_nik"], id="no-sex-column-taken-from-nik"
    ),
    pytest.param({"birth_date": "kemarin"}, "rejected", ["date_unreadable"], id="unreadable-date"),
    pytest.param({"birth_date": "31-02-1982"}, "rejected", ["date_invalid"], id="impossible-date"),
    pytest.param({"birth_date": "02/13/1982"}, "rejected", ["date_invalid"], id="mm-dd-date"),
    pytest.param({"birth_date": "01-02-2030"}, "rejected", ["date_future"], id="future-date"),
    pytest.param({"sex": "X"}, "rejected", ["sex_unreadable"], id="unreadable-sex"),
    pytest.param({"birth_date": date(1982, 2, 1)}, "accepted", [], id="date-cell"),
    pytest.param({"birth_date": 29983}, "accepted", [], id="date-as-excel-serial"),
    pytest.param({"birth_date": "1-2-82"}, "accepted", [], id="two-digit-year"),
    pytest.param({"birth_date": "1 Februari 1982"}, "accepted", [], id="indonesian-month"),
    pytest.param({"sex": 1.0}, "accepted", [], id="sex-as-code-1"),
    pytest.param({"sex": "Laki-laki"}, "accepted", [], id="sex-spelled-out"),
    pytest.param(
        {"village": "Atlantis"}, "accepted_with_warnings", ["village_unknown"], id="unknown-village"
    ),
    pytest.param(
        {"district": "Atlantis", "village": "Atlantis"},
        "accepted_with_warnings",
        ["district_unknown", "village_unknown"],
        id="unknown-district",
    ),
    pytest.param(
        {"village": "Wajak Kidl"}, "accepted_with_warnings", ["village_spelling"], id="village-typo"
    ),
    pytest.param(
        {"occupation": "Astronot"},
        "accepted_with_warnings",
        ["occupation_unknown"],
        id="unknown-occupation",
    ),
    pytest.param({"phone": "12345"}, "accepted_with_warnings", ["phone_invalid"], id="bad-phone"),
    pytest.param({"phone": ""}, "accepted", [], id="no-phone"),
    pytest.param(
        {"income": "banyak"}, "accepted_with_warnings", ["income_invalid"], id="bad-income"
    ),
    pytest.param(
        {"kk": 3504020101100010.0},
        "accepted_with_warnings",
        ["kk_excel_damaged"],
        id="kk-from-a-float-cell",
    ),
    pytest.param({"kk": "35040201"}, "accepted_with_warnings", ["kk_invalid"], id="short-kk"),
    pytest.param(
        {"nik": "", "birth_date": ""}, "rejected", ["nik_missing"], id="no-nik-nothing-to-fill-from"
    ),
]


@pytest.mark.parametrize(("changes", "outcome", "issue_codes"), ROW_CASES)
def test_it_decides_the_outcome_of_a_row(changes, outcome, issue_codes):
    result = check_row(12, row(**changes), context=context())

    assert codes(result.issues) == issue_codes
    assert result.outcome == outcome


def test_errors_and_warnings_carry_their_severity():
    result = check_row(3, row(sex="P", phone="12345"), context=context())

    assert [(i.code, i.severity) for i in result.issues] == [
        ("nik_sex_mismatch", "error"),
        ("phone_invalid", "warning"),
    ]
    assert [i.code for i in result.errors] == ["nik_sex_mismatch"]
    assert [i.code for i in result.warnings] == ["phone_invalid"]


def test_it_fills_a_blank_birth_date_and_sex_from_a_valid_nik():
    result = check_row(3, row(birth_date="", sex=""), context=context())

    assert (result.values["birth_date"], result.values["sex"]) == (date(1982, 2, 1), "L")
    assert result.reasons == (
        "Tanggal lahir kosong; diambil dari NIK (01-02-1982).; "
        "Jenis kelamin kosong; diambil dari NIK (laki-laki)."
    )


def test_it_reads_a_woman_from_her_nik():
    woman = row(nik="3504024809905444", name="Yuliana", birth_date="08-09-1990", sex="")

    result = check_row(3, woman, context=context())

    assert result.values["sex"] == "P"
    assert codes(result.issues) == ["sex_from_nik"]


def test_it_splits_a_combined_place_and_date_column():
    combined = row(birth_place=DROP, birth_date=DROP, birth_place_date="Trenggalek, 01-02-1982")

    result = check_row(3, combined, context=context())

    assert result.outcome == "accepted"
    assert (result.values["birth_place"], result.values["birth_date"]) == (
        "Trenggalek",
        date(1982, 2, 1),
    )


def test_it_splits_a_combined_rt_rw_column():
    result = check_row(3, row(rt=DROP, rw=DROP, rt_rw="RT 3 RW 5"), context=context())

    assert (result.values["rt"], result.values["rw"]) == ("003", "005")


def test_it_rejects_a_text_nik_the_reader_says_came_from_a_number_cell():
    result = check_row(3, row(nik="3504020102827460"), context=context(), numeric_nik=True)

    assert codes(result.errors) == ["nik_excel_damaged"]


def test_it_keeps_the_nik_digits_of_a_rejected_row_for_matching():
    result = check_row(3, row(sex="P"), context=context())

    assert result.values["nik"] == "3504020102827461"


def test_it_rejects_a_blank_required_field():
    result = check_row(
        3, row(occupation=""), context=context(require_fields=frozenset({"occupation"}))
    )

    assert result.outcome == "rejected"
    assert result.issues == [
        RowIssue("occupation", "occupation_missing", "Pekerjaan belum diisi.", "error")
    ]


def test_a_birth_date_taken_from_the_nik_satisfies_a_requirement():
    strict = context(require_fields=frozenset({"birth_date", "sex"}))

    result = check_row(3, row(birth_date="", sex=""), context=strict)

    assert result.outcome == "accepted_with_warnings"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param({"row_no": 14.0, "nik": "", "name": "", "sex": ""}, id="blank-but-numbered"),
        pytest.param({"nik": "", "name": " ", "village": None}, id="blank"),
        pytest.param({"row_no": "", "nik": "JUMLAH", "name": "600 orang"}, id="jumlah"),
        pytest.param({"nik": "TOTAL", "name": "400", "sex": ""}, id="total"),
    ],
)
def test_it_ignores_blank_and_total_rows_without_issues(raw):
    result = check_row(20, raw, context=context())

    assert (result.outcome, result.issues) == ("ignored", [])


NIK_TEXTS = [
    "3504020102827461",  # man
    "3504024809905444",  # woman
    "3504020102820010",  # serial 0010: a text NIK may end in 0
    "3504870102827461",  # unknown district: a warning
    "3504020102820000",  # serial 0000
    "3504023202827461",  # 32 February
    "3599020102827461",  # unknown regency
    "9101020102827461",  # retired Papua regency
    "3504021212990001",  # 12-12-1999
]


@pytest.mark.parametrize("text", NIK_TEXTS)
def test_a_clean_text_nik_read_as_a_text_integer_gives_the_same_result(text):
    # check_row hands clean 16-digit text NIKs to parse_nik as int with numeric_cell=False,
    # for speed; this holds it to the domain's reading of the text itself.
    assert parse_nik(int(text), as_of=AS_OF, numeric_cell=False) == parse_nik(text, as_of=AS_OF)


# --- whole files ---------------------------------------------------------------------------


def test_it_rejects_the_second_row_with_the_same_nik_naming_the_first():
    rows = [(12, row()), (13, row(nik="3504024809905444", sex="P", birth_date="")), (15, row())]

    first, _, second = check_rows(rows, context=context())

    assert first.outcome == "accepted"
    assert second.outcome == "rejected"
    assert second.issues == [
        RowIssue(
            "nik",
            "dup_in_file",
            "NIK sama dengan baris 12; hapus baris ganda atau perbaiki NIK.",
            "error",
        )
    ]


def test_a_duplicate_counts_cleaned_and_invalid_niks_too():
    rows = [
        (2, row(nik="3504020102820000")),
        (3, row(nik="3504 0201 0282 0000")),
        (4, row(nik="'3504020102827461")),
        (5, row()),
    ]

    results = list(check_rows(rows, context=context()))

    assert [codes(r.issues) for r in results] == [
        ["nik_serial_zero"],
        ["nik_serial_zero", "nik_cleaned", "dup_in_file"],
        ["nik_cleaned"],
        ["dup_in_file"],
    ]


def test_two_niks_damaged_alike_by_excel_are_not_called_duplicates():
    # 3504020102827461 and 3504020102827462 both become ...7460 in a number cell.
    rows = [(2, row(nik=3504020102827460.0)), (3, row(nik=3504020102827460.0))]

    results = list(check_rows(rows, context=context()))

    assert [codes(r.issues) for r in results] == [["nik_excel_damaged"], ["nik_excel_damaged"]]


def test_blank_and_total_rows_are_ignored_never_rejected_nor_counted_as_duplicates():
    rows = [
        (6, row()),
        (7, {"row_no": 2.0, "nik": "", "name": "", "sex": ""}),
        (8, {"row_no": 3.0, "nik": "", "name": "", "sex": ""}),
        (9, {"row_no": "", "nik": "JUMLAH", "name": "2 orang", "sex": ""}),
    ]

    results = list(check_rows(rows, context=context()))

    assert [(r.row_number, r.outcome, r.issues) for r in results] == [
        (6, "accepted", []),
        (7, "ignored", []),
        (8, "ignored", []),
        (9, "ignored", []),
    ]

"""Blank rows, total rows and name-like cells of a worker list (lindung.intake.rowkinds)."""

import pytest

from lindung.intake.rowkinds import could_be_name, is_blank_row, is_total_row

BLANK_ROWS = [
    pytest.param([], id="no-cells"),
    pytest.param(["", None, "  "], id="empty-cells"),
    pytest.param([float("nan"), "", ""], id="nan"),
    pytest.param([7.0, "", "", ""], id="only-a-row-number"),
    pytest.param(["12", "", ""], id="only-a-row-number-as-text"),
    pytest.param(["-", "", "."], id="dashes-and-dots"),
]


@pytest.mark.parametrize("values", BLANK_ROWS)
def test_it_sees_a_blank_row(values):
    assert is_blank_row(values)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(["", "Budi"], id="a-name"),
        pytest.param([1.0, "3504011203850001"], id="a-row-number-and-a-nik"),
        pytest.param([1.0, 2.0], id="two-numbers"),
    ],
)
def test_a_row_with_data_is_not_blank(values):
    assert not is_blank_row(values)


TOTAL_ROWS = [
    # The ends of the sample lists dinas-perikanan-nelayan.xlsx and satpolpp-becak.csv.
    pytest.param(["", "JUMLAH", "600 orang", "", "", ""], id="jumlah-of-the-nelayan-file"),
    pytest.param(["TOTAL", "400", "", "", "", "", "", ""], id="total-of-the-becak-file"),
    pytest.param(["", "Jumlah Peserta", 560.0], id="jumlah-peserta"),
    pytest.param(["TOTAL PESERTA", "", ""], id="total-peserta"),
    pytest.param(["Sub Total", 123], id="sub-total"),
    pytest.param(["", "JML.", "12", "orang"], id="jml-with-a-unit-word"),
]


@pytest.mark.parametrize("values", TOTAL_ROWS)
def test_it_sees_a_total_row(values):
    assert is_total_row(values)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(["3504011203850001", "JUMLAH"], id="a-nik-makes-it-a-person"),
        pytest.param([3504011203850010.0, "Total"], id="a-nik-number-makes-it-a-person"),
        pytest.param(["", "TOTAL", "Sutrisno"], id="a-name-makes-it-a-person"),
        pytest.param(["1", "Budi", "L"], id="no-label"),
        pytest.param(["", "", ""], id="blank"),
    ],
)
def test_a_row_without_a_total_label_or_with_a_person_is_not_a_total_row(values):
    assert not is_total_row(values)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Sutrisno", True, id="a-name"),
        pytest.param("  Abdul Gantar ", True, id="a-name-with-spaces"),
        pytest.param("JUMLAH", False, id="a-total-label"),
        pytest.param("600 orang", False, id="a-count"),
        pytest.param("orang", False, id="a-unit-word"),
        pytest.param("", False, id="blank"),
        pytest.param(12.0, False, id="a-number"),
    ],
)
def test_it_tells_text_that_could_be_a_name(value, expected):
    assert could_be_name(value) is expected

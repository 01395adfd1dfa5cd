"""The file-in layer's value rules are the same wherever a file comes in: intake's cell
parser and the register loader read every date text alike, and every file Lindung writes
neutralises formulas with one set of trigger characters."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from lindung.common.tabular.values import (
    FORMULA_TRIGGERS,
    MONTHS,
    formula_restored,
    formula_safe,
)
from lindung.intake.cli import csv_safe
from lindung.intake.exports import read_back, safe_value
from lindung.intake.normalise import parse_date
from lindung.register.clean import parse_dates

D = dt.date
AS_OF = D(2025, 6, 30)

# Date texts as lists and registers write them, with the date both must read (None: no date).
DATE_TEXTS = [
    ("27-05-2006", D(2006, 5, 27)),
    ("27/05/2006", D(2006, 5, 27)),
    ("27.05.2006", D(2006, 5, 27)),
    ("7-5-2006", D(2006, 5, 7)),
    ("27/05/06", D(2006, 5, 27)),
    ("03/02/25", D(2025, 2, 3)),  # two-digit year up to the as-of date: this century
    ("31/12/25", D(1925, 12, 31)),  # after the as-of date: the century before
    ("01-07-25", D(1925, 7, 1)),
    ("30-06-25", D(2025, 6, 30)),
    ("03/02/26", D(1926, 2, 3)),
    ("12 Agustus 1975", D(1975, 8, 12)),
    ("12 Agt 1975", D(1975, 8, 12)),
    ("12-Ags-75", D(1975, 8, 12)),
    ("12 agu. 1975", D(1975, 8, 12)),
    ("7 Nopember 1970", D(1970, 11, 7)),
    ("29 Pebruari 1996", D(1996, 2, 29)),
    ("12-Aug-1975", D(1975, 8, 12)),
    ("33512", D(1991, 10, 1)),  # Excel serial
    ("33512.0", D(1991, 10, 1)),
    ("61", D(1900, 3, 1)),
    ("1975-08-12", D(1975, 8, 12)),  # ISO
    ("1975-08-12 00:00:00", D(1975, 8, 12)),
    ("12081975", D(1975, 8, 12)),  # ddmmyyyy
    ("", None),
    ("   ", None),
    ("kemarin", None),
    ("31-02-2000", None),
    ("05/20/1990", None),  # never month first
    ("60", None),  # Excel's 29 February 1900
    ("1975", None),  # a year alone
    ("33512.5", None),  # a serial with a time of day, written as text
    ("12 Agustusan 1975", None),
    ("01-01-2030", None),  # after the as-of date
    ("3.50415E+09", None),
]


@pytest.mark.parametrize(("text", "expected"), DATE_TEXTS)
def test_intake_and_the_register_read_a_date_text_alike(text, expected):
    by_intake, _issue = parse_date(text, as_of=AS_OF)
    by_register = parse_dates(pl.Series([text]), as_of=AS_OF).to_list()[0]
    assert by_intake == by_register == expected


def test_a_whole_column_of_date_texts_reads_as_its_texts_one_by_one():
    texts = [text for text, _expected in DATE_TEXTS] * 3
    column = parse_dates(pl.Series(texts), as_of=AS_OF).to_list()
    assert column == [expected for _text, expected in DATE_TEXTS] * 3


def test_one_month_table_knows_the_indonesian_short_forms():
    assert {name: MONTHS[name] for name in ("agt", "ags", "agu", "agust", "peb", "nop", "mrt")} == {
        "agt": 8, "ags": 8, "agu": 8, "agust": 8, "peb": 2, "nop": 11, "mrt": 3,
    }  # fmt: skip


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_file_neutralises_the_same_formula_triggers(trigger):
    text = trigger + "SUM(A1)"
    assert formula_safe(text) == "'" + text
    assert csv_safe(text) == "'" + text
    assert formula_restored(formula_safe(text)) == text
    assert read_back("'" + text) == text


def test_the_trigger_set_is_designs_and_plain_text_is_left_alone():
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r")
    assert formula_safe("Siti") == csv_safe("Siti") == "Siti"
    assert formula_safe("'Jumat") == "'Jumat"
    assert formula_restored("'Jumat") == read_back("'Jumat") == "'Jumat"
    assert safe_value(None) == csv_safe(None) == ""

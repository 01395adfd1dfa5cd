"""Cell values every file-in reads the same way: dates (one month table, one set of rules)
and the neutralising of text a spreadsheet would run as a formula.

Intake reads an agency's list cell by cell (``lindung.intake.normalise.parse_date`` turns a
``DateReading`` into its row issues); the register loader reads millions of rows and parses
each distinct date text once with the same rules. Pure Python: no Django.

Date rules:

- Day first, never ``mm/dd``: "05/20/1990" is not a date (month 20 does not exist).
- A two-digit year takes the latest century that does not put the date after ``as_of``
  (the rule ``lindung.domain.nik`` applies to NIK digits), so people come out 0-100 years
  old: as of 30-06-2025, "03-02-25" is 2025 and "31-12-25" is 1925.
- A date after ``as_of`` or before 1900 is refused (``future``, ``too_old``).
- Excel serial numbers in the 1900 date system: serial 1 is 1900-01-01, 60 the 29 February
  1900 that Lotus 1-2-3 invented and Excel kept (refused), from 61 on serial n is
  1899-12-30 + n. A number cell may carry a time of day (its fraction is dropped); a text is
  read as a serial only when it holds a whole number ("33512", "33512.0").
- Four digits alone are a year typed without day and month (``year_only``), and so is a
  number cell from 1900 up to the year of ``as_of``.
- Eight digits are ``ddmmyyyy``, else ``yyyymmdd`` (the two readings never both hold); a
  number cell of seven or eight digits is ``ddmmyyyy`` that lost its leading zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Final

# Month names and the abbreviations seen in Indonesian lists and registers ("Agt", "Ags",
# "Agu", "Peb", "Nop", the old spellings "Pebruari", "Nopember"), plus English ones, since
# exports of English-locale spreadsheets write "12-Aug-1975". Lower case.
MONTH_NAMES: Final[dict[int, tuple[str, ...]]] = {
    1: ("januari", "jan", "january", "janu"),
    2: ("februari", "pebruari", "feb", "peb", "febr", "february"),
    3: ("maret", "mar", "march", "mrt"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "jun", "june"),
    7: ("juli", "jul", "july"),
    8: ("agustus", "agu", "agt", "ags", "agst", "agus", "agust", "aug", "august"),
    9: ("september", "sep", "sept", "spt"),
    10: ("oktober", "okt", "oct", "october"),
    11: ("november", "nov", "nopember", "nop"),
    12: ("desember", "des", "dec", "december", "desemb"),
}
MONTHS: Final[dict[str, int]] = {
    name: number for number, names in MONTH_NAMES.items() for name in names
}

APOSTROPHES: Final = "'‘’`"  # a leading apostrophe makes a spreadsheet cell text

_TIME = r"(?:[ t]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})" + _TIME)
_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})" + _TIME)
_NAMED_MONTH_DATE = re.compile(r"(\d{1,2})[\s\-/.,]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})" + _TIME)
_MONTH_FIRST_DATE = re.compile(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_YEAR_ONLY = re.compile(r"\d{4}")
_WHOLE_NUMBER = re.compile(r"(\d{1,7})(?:\.0*)?")

EXCEL_EPOCH: Final = date(1899, 12, 30)  # serial 61 = 1900-03-01 (see the module docstring)
EXCEL_LEAP_BUG_SERIAL: Final = 60
OLDEST_YEAR: Final = 1900

# Why a date was not taken (DateReading.problem).
NOT_A_DATE: Final = "not_a_date"  # a number below 1, a boolean, an impossible serial
UNREADABLE: Final = "unreadable"  # a text in no form we know
NO_SUCH_MONTH: Final = "no_such_month"  # 05/20/1990
NOT_IN_CALENDAR: Final = "not_in_calendar"  # 31-02-1980
EXCEL_LEAP_DAY: Final = "excel_leap_day"  # serial 60
YEAR_ONLY: Final = "year_only"
FUTURE: Final = "future"
TOO_OLD: Final = "too_old"


@dataclass(frozen=True)
class DateReading:
    """What a cell says as a date: ``value`` when it is one (problem None); otherwise why not,
    with the calendar date read when it was only out of range (``future``, ``too_old``) and
    the month number for ``no_such_month``."""

    value: date | None = None
    problem: str | None = None
    read: date | None = None
    month: int = 0

    @property
    def blank(self) -> bool:
        return self.value is None and self.problem is None


BLANK: Final = DateReading()


def in_range(day: date, as_of: date) -> DateReading:
    if day > as_of:
        return DateReading(problem=FUTURE, read=day)
    if day.year < OLDEST_YEAR:
        return DateReading(problem=TOO_OLD, read=day)
    return DateReading(value=day)


def _make_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _build(day: int, month: int, year_text: str, as_of: date) -> DateReading:
    year = int(year_text)
    if len(year_text) == 2:
        year += as_of.year // 100 * 100
        if (year, month, day) > (as_of.year, as_of.month, as_of.day):
            year -= 100
    made = _make_date(day, month, year)
    if made is None:
        return DateReading(problem=NOT_IN_CALENDAR)
    return in_range(made, as_of)


def read_date_number(value: int | float | Decimal, as_of: date) -> DateReading:
    """A number cell as a date: an Excel serial, a year alone, or ddmmyyyy."""
    number = float(value)
    if not math.isfinite(number) or number < 1:
        return DateReading(problem=NOT_A_DATE)
    whole = int(number)
    if OLDEST_YEAR <= whole <= as_of.year and whole == number:
        return DateReading(problem=YEAR_ONLY)
    if whole >= 1_000_000 and whole == number:
        # ddmmyyyy typed into a number cell; a leading zero of the day is lost then.
        return read_date_text(f"{whole:08d}", as_of)
    if whole == EXCEL_LEAP_BUG_SERIAL:
        return DateReading(problem=EXCEL_LEAP_DAY)
    serial = whole + 1 if whole < EXCEL_LEAP_BUG_SERIAL else whole
    try:
        day = EXCEL_EPOCH + timedelta(days=serial)
    except OverflowError:
        return DateReading(problem=NOT_A_DATE)
    return in_range(day, as_of)


def _named(day: str, month_name: str, year: str, as_of: date) -> DateReading:
    month = MONTHS.get(month_name)
    if month is None:
        return DateReading(problem=UNREADABLE)
    return _build(int(day), month, year, as_of)


@lru_cache(maxsize=1 << 16)
def read_date_text(raw: str, as_of: date) -> DateReading:
    """A text cell as a date (blank text: ``BLANK``). Cached per distinct text: a column of a
    million rows holds a few tens of thousands of distinct dates."""
    text = " ".join(raw.split()).strip(APOSTROPHES + " ").lower()
    if not text:
        return BLANK
    if match := _NUMERIC_DATE.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        if month > 12:
            return DateReading(problem=NO_SUCH_MONTH, month=month)
        return _build(day, month, match[3], as_of)
    if match := _ISO_DATE.fullmatch(text):
        return _build(int(match[3]), int(match[2]), match[1], as_of)
    if match := _NAMED_MONTH_DATE.fullmatch(text):
        return _named(match[1], match[2], match[3], as_of)
    if match := _MONTH_FIRST_DATE.fullmatch(text):
        return _named(match[2], match[1], match[3], as_of)
    if _EIGHT_DIGITS.fullmatch(text):
        day_first = _make_date(int(text[:2]), int(text[2:4]), int(text[4:]))
        if day_first is not None or text[:2] not in ("19", "20"):
            return _build(int(text[:2]), int(text[2:4]), text[4:], as_of)
        return _build(int(text[6:]), int(text[4:6]), text[:4], as_of)
    if _YEAR_ONLY.fullmatch(text):
        return DateReading(problem=YEAR_ONLY)
    if match := _WHOLE_NUMBER.fullmatch(text):
        return read_date_number(int(match[1]), as_of)
    return DateReading(problem=UNREADABLE)


# --- formulas ------------------------------------------------------------------------------

# What makes a spreadsheet read a cell as a formula (CSV/formula injection, OWASP): an
# opening =, +, - or @, and a tab or carriage return that some programs skip before the
# formula. One set for every file Lindung writes (CSV and xlsx alike).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet will show it and never run it: one that would start a
    formula gets a leading apostrophe (shown by no spreadsheet, kept as text)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def formula_restored(text: str) -> str:
    """A text ``formula_safe`` protected, as it was before: reading back a file we wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text

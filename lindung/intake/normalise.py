"""Normalise single spreadsheet cells of an agency worker list.

Agencies hand over lists typed by hand in Excel, LibreOffice or exported from other systems
as the sample lists and the agencies' own show: dates as real date cells, as Excel serial
numbers, as ``dd-mm-yyyy``/``dd/mm/yy`` text or with Indonesian month names; sex as L/P,
spelled out or coded 1/2; phone numbers that lost their leading 0 in a number cell; RT/RW that
lost their zero padding; a combined "tempat, tanggal lahir" cell; blank and total rows.

Every function here is pure and takes a value as a spreadsheet reader gives it (``str``, ``''``
for an empty cell, ``int``/``float``, ``date``/``datetime``, ``bool``, ``None``). Functions that
can find something wrong return the value and a ``RowIssue`` (or ``None``); they never raise on
bad input. Parsers of text are cached per distinct text: a column of 100.000 rows holds few
distinct dates, sexes and RT numbers.

Decisions (the date rules and the month table are ``lindung.common.tabular.values``', shared
with the register loader):

- Dates are read day first and never as ``mm/dd``: "05/20/1990" is an error, not a swap
  (Indonesian dates are day first). A two-digit year takes the latest century that does not put
  the date after ``as_of`` (the rule ``lindung.domain.nik`` applies to NIK digits), so people
  come out 0-100 years old.
- A bare number from 1900 up to the current year is a year typed alone, not an Excel serial
  (serial 1990 would be 1905-06-12): it is reported as an incomplete date.
- Eight digits are read as ``ddmmyyyy``, else as ``yyyymmdd``; the two readings can never both
  be valid (the month of one sits where the century of the other does).
- Phone numbers: only Indonesian mobile numbers (08xx, 10-13 digits) are kept; anything else
  is a warning and the value is dropped, because a notification sent to a landline or a
  truncated number reaches no one.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from lindung.common.tabular import values
from lindung.domain.money import parse_rupiah

Severity = Literal["error", "warning"]
SexCode = Literal["L", "P"]


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A finding on one field of one row. ``code`` is a stable English slug, ``message`` is
    for the officer, in Bahasa Indonesia, and names the value found."""

    field: str
    code: str
    message: str
    severity: Severity


# Labels of fields in messages to officers.
FIELD_LABELS = {
    "nik": "NIK",
    "name": "Nama",
    "birth_place": "Tempat lahir",
    "birth_date": "Tanggal lahir",
    "birth_place_date": "Tempat/tanggal lahir",
    "sex": "Jenis kelamin",
    "address": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "rt_rw": "RT/RW",
    "village": "Desa/kelurahan",
    "district": "Kecamatan",
    "occupation": "Pekerjaan",
    "phone": "Nomor HP",
    "income": "Penghasilan",
    "kk": "Nomor KK",
}

_INVISIBLE = "\u200b\u200c\u200d\ufeff"
_APOSTROPHES = values.APOSTROPHES


# --- blank cells and plain text ------------------------------------------------------------


def is_blank(value: object) -> bool:
    """An empty cell: ``None``, NaN, or text with no letter or digit ("", "  ", "-", "."). A
    dash is how many agencies mark "not known"."""
    if value is None:
        return True
    if isinstance(value, str):
        # Most cells start with a letter or digit: answer those without a search.
        return not value or (not value[0].isalnum() and _blank_text(value))
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def _blank_text(text: str) -> bool:
    return _LETTER_OR_DIGIT.search(text) is None


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def clean_text(value: object) -> str:
    """The cell as tidy text: trimmed, inner runs of spaces collapsed, ``12.0`` written "12",
    a date written dd-mm-yyyy; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isprintable() and "  " not in value and value == value.strip():
            return value  # the common case, without building a new string
        return " ".join(value.translate(_DROP_INVISIBLE).split())
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y}" if value.time() == datetime.min.time() else f"{value}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal):
        if value.is_nan():
            return ""
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return " ".join(str(value).split())


_DROP_INVISIBLE = {ord(ch): None for ch in _INVISIBLE}


# --- dates ---------------------------------------------------------------------------------

# The month table and the date rules are the file-in layer's, shared with the register
# loader (lindung.common.tabular.values); intake words the row issues.
_MONTHS = values.MONTHS
_EXAMPLE_DATE = "tulis hari-bulan-tahun, mis. 20-05-1990"


def parse_date(
    value: object, *, as_of: date, field: str = "birth_date"
) -> tuple[date | None, RowIssue | None]:
    """Read a date cell. Blank gives ``(None, None)``; anything unreadable, impossible
    (31-02-1980), before 1900 or after ``as_of`` gives ``(None, error)``.

    Accepted: date and datetime cells; Excel
    serial numbers (1900 date system, with its invented 29 Feb 1900 = serial 60 refused);
    "dd-mm-yyyy", "dd/mm/yyyy", "dd.mm.yyyy", two-digit years; "12 Agustus 1975",
    "12-Agu-1975", "12 Ags. 1975"; ISO "1975-08-12" with or without a time; "ddmmyyyy".
    The rules are ``lindung.common.tabular.values``'s.
    """
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        reading = values.in_range(day, as_of)
        shown = f"{day:%d-%m-%Y}"
    elif is_blank(value):
        return None, None
    elif isinstance(value, str):
        reading = values.read_date_text(value, as_of)
        shown = " ".join(value.split())
    elif isinstance(value, bool):
        reading = values.DateReading(problem=values.NOT_A_DATE)
        shown = str(value)
    elif isinstance(value, int | float | Decimal):
        reading = values.read_date_number(value, as_of)
        shown = clean_text(value)
    else:
        reading = values.DateReading(problem=values.NOT_A_DATE)
        shown = clean_text(value)
    if reading.problem is None:
        return reading.value, None
    return None, _date_problem(field, reading, shown)


def _date_problem(field: str, reading: values.DateReading, shown: str) -> RowIssue:
    problem = reading.problem
    if problem == values.YEAR_ONLY:
        return _date_issue(
            field,
            "date_incomplete",
            f"hanya berisi tahun ({shown}); isi tanggal lengkap, mis. 20-05-1990.",
        )
    if problem == values.FUTURE:
        return _date_issue(field, "date_future", f"'{shown}' ada di masa depan; periksa tahunnya.")
    detail = {
        values.TOO_OLD: f"'{shown}' terlalu lama (sebelum 1900); periksa tahunnya.",
        values.NOT_IN_CALENDAR: f"'{shown}' tidak ada di kalender; periksa hari dan bulan.",
        values.NO_SUCH_MONTH: (
            f"'{shown}' tidak valid: bulan {reading.month} tidak ada ({_EXAMPLE_DATE})."
        ),
        values.EXCEL_LEAP_DAY: (
            f"'{shown}' adalah nomor seri Excel untuk 29-02-1900, tanggal yang tidak ada; "
            f"{_EXAMPLE_DATE}."
        ),
    }.get(problem or "")
    if detail is not None:
        return _date_issue(field, "date_invalid", detail)
    if problem == values.NOT_A_DATE:
        return _date_issue(field, "date_unreadable", f"'{shown}' bukan tanggal; {_EXAMPLE_DATE}.")
    return _date_issue(field, "date_unreadable", f"'{shown}' tidak dikenali; {_EXAMPLE_DATE}.")


def _date_issue(field: str, code: str, detail: str) -> RowIssue:
    label = FIELD_LABELS.get(field, "Tanggal")
    return RowIssue(field, code, f"{label} {detail}", "error")


# --- sex -----------------------------------------------------------------------------------

_SEX_WORDS: dict[str, SexCode] = {
    **dict.fromkeys(
        ("L", "LK", "LAKI", "LAKILAKI", "LAKI2", "LELAKI", "LKLK", "PRIA", "MALE", "M", "1"), "L"
    ),
    **dict.fromkeys(
        ("P", "PR", "PEREMPUAN", "PEREMPUA", "WANITA", "FEMALE", "W", "F", "WN", "2"), "P"
    ),
}


def parse_sex(value: object) -> tuple[SexCode | None, RowIssue | None]:
    """Read sex as "L" or "P": L/P, Laki-laki/Laki Laki/LAKI2/Lk/Pria/Male/M,
    Perempuan/Pr/Wanita/Female/W/F, and the register code 1 = L, 2 = P (BDT/DTKS coding).
    Blank gives ``(None, None)``; anything else an error."""
    if is_blank(value):
        return None, None
    if isinstance(value, str):
        return _parse_sex_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _parse_sex_text(clean_text(value))
    return None, _sex_issue(clean_text(value))


@lru_cache(maxsize=1024)
def _parse_sex_text(text: str) -> tuple[SexCode | None, RowIssue | None]:
    key = "".join(ch for ch in text.upper() if ch.isalnum())
    stripped = text.strip()
    if "." in stripped and stripped.replace(".", "", 1).isdigit():
        key = stripped.split(".")[0] if float(stripped).is_integer() else stripped  # "1.0"
    sex = _SEX_WORDS.get(key)
    if sex is None:
        return None, _sex_issue(" ".join(text.split()))
    return sex, None


def _sex_issue(shown: str) -> RowIssue:
    return RowIssue(
        "sex",
        "sex_unreadable",
        f"Jenis kelamin '{shown}' tidak dikenali; isi L atau P.",
        "error",
    )


# --- combined place and date of birth -----------------------------------------------------

_PLACE_TRAILER = " ,;:/-"


def split_place_date(value: object) -> tuple[str, object]:
    """Split a "tempat, tanggal lahir" cell into the place and the date part, left unparsed.

    "Trenggalek, 20-05-1990" -> ("Trenggalek", "20-05-1990"); "Kediri 20 Mei 1990" ->
    ("Kediri", "20 Mei 1990"). The cut is at the last comma before the first digit, else
    before the first digit (a comma inside the date, as in "Blitar, 12 Agustus, 1975", is
    not the cut). A date or number cell, or text without a place, gives ("", date part);
    text without digits is all place.
    """
    if isinstance(value, date | int | float | Decimal) and not isinstance(value, bool):
        return "", value
    if is_blank(value):
        return "", ""
    return _split_place_date_text(clean_text(value))


@lru_cache(maxsize=1 << 14)
def _split_place_date_text(text: str) -> tuple[str, str]:
    first_digit = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
    if first_digit is None:
        return text.rstrip(_PLACE_TRAILER), ""
    comma = text.rfind(",", 0, first_digit)
    cut = comma if comma >= 0 else first_digit
    place = text[:cut].strip().rstrip(_PLACE_TRAILER).strip()
    rest = text[cut:].lstrip(",").strip()
    if place and not any(ch.isalpha() for ch in place):
        return "", text  # "20 - 05 - 1990" or similar: no place at all
    if comma < 0 and place and _MONTHS.get(place.split()[-1].lower().rstrip(".")) is not None:
        # "Mei 20, 1990" or "Kediri Mei 20, 1990": the month name belongs to the date.
        words = place.split()
        return " ".join(words[:-1]).rstrip(_PLACE_TRAILER), f"{words[-1]} {rest}"
    return place, rest


# --- phone numbers -------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"\s*(?:/|,|;|\batau\b|\bdan\b)\s*")
_MOBILE_NATIONAL_LENGTHS = range(9, 13)  # 08xx with 10-13 digits: 8xx without the 0, 9-12
_PHONE_EXAMPLE = "tulis nomor HP seperti 0812-3456-7890"


def normalise_phone(value: object) -> tuple[str, RowIssue | None]:
    """An Indonesian mobile number in E.164, "+6281234567890", from the ways lists write it:
    "0812-3456-7890", "0812 3456 7890", "+62 812…", "62812…", or a number cell that lost
    its leading 0 (812345678, 81234567890.0). Mobile numbers are 08xx with 10-13 digits.
    Blank gives ("", None); anything else ("", warning). Of "0812… / 0813…" the first is
    kept."""
    if isinstance(value, str):
        if value.isdigit() and value.isascii():  # the common case first
            return _phone_digits(value, value)
        if is_blank(value):
            return "", None
        return _phone_text(value)
    if is_blank(value):
        return "", None
    if isinstance(value, bool):
        return "", _phone_issue(str(value))
    if isinstance(value, int | float | Decimal):
        if not float(value).is_integer():
            return "", _phone_issue(clean_text(value))
        return _phone_text(str(int(value)))
    return "", _phone_issue(clean_text(value))


_PHONE_PLAIN = frozenset("0123456789+-. ")
_PHONE_NOISE = str.maketrans("", "", " -.()'‘’\u00a0")


def _phone_text(raw: str) -> tuple[str, RowIssue | None]:
    text = raw.strip().strip(_APOSTROPHES)
    if not _PHONE_PLAIN.issuperset(text):
        text = _PHONE_SEPARATORS.split(text.lower(), maxsplit=1)[0]
    digits = text.translate(_PHONE_NOISE).removeprefix("+")
    if not (digits.isdigit() and digits.isascii()):
        return "", _phone_issue(" ".join(raw.split()))
    return _phone_digits(digits, raw)


def _phone_digits(digits: str, shown: str) -> tuple[str, RowIssue | None]:
    if digits.startswith("0062"):
        national = digits[4:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits  # the leading 0 was lost in a number cell
    if national.startswith("0") and digits.startswith(("62", "0062")):
        national = national[1:]  # "+62 0812…": the 0 written after the country code
    if not national.startswith("8") or len(national) not in _MOBILE_NATIONAL_LENGTHS:
        return "", _phone_issue(" ".join(shown.split()))
    return "+62" + national, None


def _phone_issue(shown: str) -> RowIssue:
    return RowIssue(
        "phone",
        "phone_invalid",
        f"Nomor HP '{shown}' bukan nomor HP Indonesia yang lengkap; {_PHONE_EXAMPLE}.",
        "warning",
    )


# --- RT / RW -------------------------------------------------------------------------------

_RT_RW_LABEL = re.compile(r"(?<![a-z])(rt|rw)[\s.:/\-]*(\d{1,3})(?!\d)")
_DIGIT_GROUPS = re.compile(r"\d+")
_RT_RW_WIDTH = 3  # OpenSID and KTPs print RT/RW as "004"


def pad_rt_rw(value: object) -> str:
    """RT or RW as three digits: "4", 4.0 and "04" give "004" (a number cell drops the zeros);
    "RT 4" gives "004"; blank gives ""; other text is kept."""
    if isinstance(value, str):
        return _pad_rt_rw_text(value)
    if is_blank(value):
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 0 <= number < 10**_RT_RW_WIDTH:
            return f"{int(number):03d}"
    return clean_text(value)


@lru_cache(maxsize=1024)
def _pad_rt_rw_text(raw: str) -> str:
    if is_blank(raw):
        return ""
    text = clean_text(raw)
    lowered = text.lower()
    if lowered[:2] in ("rt", "rw"):
        lowered = lowered[2:].lstrip(" .:")
    if lowered.isdigit() and lowered.isascii() and int(lowered) < 10**_RT_RW_WIDTH:
        return f"{int(lowered):03d}"
    if lowered.endswith(".0") and lowered[:-2].isdigit() and int(lowered[:-2]) < 1000:
        return f"{int(lowered[:-2]):03d}"
    return text


def split_rt_rw(value: object) -> tuple[str, str]:
    """Split a combined RT/RW cell: "003/005", "3/5", "003 / 005", "RT 3 RW 5", "RW 5 RT 3",
    "RT.003/RW.005". One number is the RT. A date cell (Excel read "3/5" as a date) is not
    guessed: ("", "")."""
    if is_blank(value) or isinstance(value, date | bool):
        return "", ""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return pad_rt_rw(value), ""
    return _split_rt_rw_text(clean_text(value))


@lru_cache(maxsize=1024)
def _split_rt_rw_text(text: str) -> tuple[str, str]:
    labelled = dict(_RT_RW_LABEL.findall(text.lower()))
    if labelled:
        return pad_rt_rw(labelled.get("rt", "")), pad_rt_rw(labelled.get("rw", ""))
    groups = _DIGIT_GROUPS.findall(text)
    if len(groups) == 2:
        return pad_rt_rw(groups[0]), pad_rt_rw(groups[1])
    if len(groups) == 1:
        return pad_rt_rw(groups[0]), ""
    return "", ""


# --- income --------------------------------------------------------------------------------


def parse_income(value: object) -> tuple[int | None, RowIssue | None]:
    """Declared monthly income in whole rupiah: 1000000, "1.000.000", "Rp 1.000.000",
    "1 juta", "1,5 jt" (Indonesian notation, ``lindung.domain.money.parse_rupiah``). Blank
    gives ``(None, None)``; unreadable, negative or fractional amounts a warning, since the
    programme's default band applies then."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, _income_issue(str(value))
    if isinstance(value, int | float | Decimal):
        if not float(value).is_integer() or value < 0:
            return None, _income_issue(clean_text(value))
        return int(value), None
    if isinstance(value, str):
        return _parse_income_text(value)
    return None, _income_issue(clean_text(value))


@lru_cache(maxsize=4096)
def _parse_income_text(raw: str) -> tuple[int | None, RowIssue | None]:
    shown = " ".join(raw.split())
    try:
        return parse_rupiah(shown.replace("\u00a0", " ")), None
    except ValueError:
        return None, _income_issue(shown)


def _income_issue(shown: str) -> RowIssue:
    return RowIssue(
        "income",
        "income_invalid",
        f"Penghasilan '{shown}' tidak dikenali; tulis dalam rupiah, mis. 1.000.000.",
        "warning",
    )

"""NIK (Nomor Induk Kependudukan): clean, check and read a 16-digit population number.

Structure (Dukcapil: https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik):
digits 1-2 province, 3-4 regency/city, 5-6 district (Kemendagri codes of the place of first
issue, not today's address), 7-8 birth day (+40 for women), 9-10 month, 11-12 year,
13-16 serial from 0001. There is no check digit. Region codes: Kepmendagri
300.2.2-2430/2025 (shipped in lindung/data/wilayah); codes of split or merged regions persist
in old NIKs, so they warn rather than reject. Spreadsheet damage: Excel keeps 15 significant
digits (Microsoft KB 269370).
"""

import functools
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from lindung.domain.regions import RegionCodes, dotted, load_region_codes

Sex = Literal["L", "P"]

NIK_LENGTH = 16
# Excel and other spreadsheets keep 15 significant digits of a number (Microsoft KB 269370).
SPREADSHEET_DIGITS = 15
FEMALE_DAY_OFFSET = 40

_DIGITS = re.compile(r"[0-9]+")
# One digit before the separator, as spreadsheets and Python write it: "3,50401E+15".
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]*)?\s*[eE]\s*[+-]?[0-9]+")
# A number shown by a spreadsheet or a reader: "3504011203850010.0", "3.504.011.203.850.010".
_FLOAT_TEXT = re.compile(r"([0-9]+)[.,]0+")
_GROUPED_THOUSANDS = re.compile(r"[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})+")

_INVISIBLE = "\u200b\ufeff"
_APOSTROPHES = "'‘’"
_DOTS = "."
_DASHES = "-‐‑‒–—−"

_DAMAGE_ADVICE = "Format kolom NIK sebagai Teks di Excel lalu ketik ulang NIK lengkap."


@dataclass(frozen=True)
class Issue:
    """A finding on an input value: ``code`` is a stable English slug, ``message`` is for
    the officer, in Bahasa Indonesia."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class NikResult:
    """What a NIK says, and what is wrong with it.

    ``nik`` holds the digits once cleaning left nothing but digits, even when they are not a
    valid NIK (wrong length, unknown region) or came from a damaged numeric cell (last digit
    unreliable): matching may still use them. Trust it only when ``valid``. Region fields are
    the codes written in the NIK, which for a retired Papua code is the old code.
    """

    raw: str
    nik: str | None
    valid: bool
    province: str | None = None
    regency: str | None = None
    district: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    damaged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "nik": self.nik,
            "province": self.province,
            "regency": self.regency,
            "district": self.district,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
            "damaged": self.damaged,
        }


def is_female_day(day: int) -> bool:
    """Women's NIKs carry the birth day plus 40 (41-71).

    Source: Dukcapil, https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik
    """
    return day > FEMALE_DAY_OFFSET


def detect_spreadsheet_damage(raw: object, *, numeric_cell: bool | None = None) -> Issue | None:
    """Flag a NIK that went through a spreadsheet number format; it cannot be repaired.

    Excel keeps 15 significant digits, so a 16-digit NIK typed into a number cell loses its
    last digit (it becomes 0) or shows as "3,50401E+15" (Microsoft KB 269370). Python
    ``int``, ``float`` and ``Decimal`` count as numeric cells unless ``numeric_cell=False``
    says the reader took them from text; a ``float`` always went through a binary number. A
    16-digit text ending in 0 is not damage: serial 0010 exists.
    """
    if isinstance(raw, str) and _SCIENTIFIC.fullmatch(_strip_spaces(raw)):
        return Issue(
            "nik_excel_damaged",
            f"NIK tertulis {raw.strip()} (format angka ilmiah): digit NIK sudah hilang. "
            + _DAMAGE_ADVICE,
        )
    digits = _numeric_digits(raw, numeric_cell=numeric_cell)
    if digits is None:
        return None
    significant = len(digits.rstrip("0"))
    if len(digits) >= NIK_LENGTH and significant <= SPREADSHEET_DIGITS:
        return Issue(
            "nik_excel_damaged",
            "NIK rusak karena kolom diformat angka di Excel (digit terakhir menjadi 0). "
            + _DAMAGE_ADVICE,
        )
    if significant > SPREADSHEET_DIGITS:
        return Issue(
            "nik_excel_damaged",
            "NIK dari sel berformat angka tidak dapat dipercaya (spreadsheet hanya menyimpan "
            "15 digit). " + _DAMAGE_ADVICE,
        )
    return None


def parse_nik(
    raw: object,
    *,
    as_of: date,
    regions: RegionCodes | None = None,
    numeric_cell: bool | None = None,
) -> NikResult:
    """Clean, check and read a NIK as it came from a file or a form.

    Rules (Dukcapil,
    https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik): 16 digits; a
    known province and regency, where a retired pre-2022 Papua regency code is accepted with
    a warning; district "00" is an error, an unknown district only a warning (old NIKs keep
    the codes of merged or split districts); day 01-31 or 41-71 (women), a real date not
    after ``as_of``, the century being the latest one that does not put it after ``as_of``;
    serial not 0000. Harmless noise (spaces, dots, dashes, a leading apostrophe, the letter O
    for zero) is cleaned with a warning; anything else is reported, never guessed.
    """
    regions = regions if regions is not None else load_region_codes()
    shown = _shown(raw)
    if _is_blank(raw):
        return NikResult(raw=shown, nik=None, valid=False, errors=(_missing(),))

    damage = detect_spreadsheet_damage(raw, numeric_cell=numeric_cell)
    if damage is not None:
        return NikResult(
            raw=shown,
            nik=_numeric_digits(raw, numeric_cell=numeric_cell),
            valid=False,
            errors=(damage,),
            damaged=True,
        )

    read = _read_digits(raw, shown=shown, numeric_cell=numeric_cell)
    if isinstance(read, NikResult):
        return read
    digits, warnings = read
    if len(digits) != NIK_LENGTH:
        return NikResult(
            raw=shown,
            nik=digits,
            valid=False,
            errors=(
                Issue("nik_length", f"NIK harus 16 digit angka (tertulis {len(digits)} digit)."),
            ),
            warnings=tuple(warnings),
        )
    return _checked(digits, shown=shown, as_of=as_of, regions=regions, warnings=warnings)


def _read_digits(
    raw: object, *, shown: str, numeric_cell: bool | None
) -> tuple[str, list[Issue]] | NikResult:
    """The digits a non-blank, undamaged cell holds and the cleaning warnings, or the result
    that ends the parse when it holds no digits."""
    warnings: list[Issue] = []
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        digits = _integer_digits(raw)
        if digits is None:
            return _not_digits(shown)
    elif isinstance(raw, str):
        # A number rendered as text ("…001.0") is read as that number, never cleaned longer.
        digits = _numeric_digits(raw, numeric_cell=numeric_cell)
        if digits is None:
            digits, cleaned = _clean(raw)
            if digits == "":
                return NikResult(raw=shown, nik=None, valid=False, errors=(_missing(),))
            if digits is None:
                return _not_digits(shown)
            if cleaned:
                warnings.append(Issue("nik_cleaned", f"NIK dirapikan: {'; '.join(cleaned)}."))
    else:
        return _not_digits(shown)
    return digits, warnings


def _checked(
    digits: str, *, shown: str, as_of: date, regions: RegionCodes, warnings: list[Issue]
) -> NikResult:
    """Read the region, birth date, sex and serial of 16 digits and check each."""
    errors: list[Issue] = []
    province, regency, district, region_errors, region_warnings = _region_of(digits[:6], regions)
    errors.extend(region_errors)
    warnings.extend(region_warnings)
    birth_date, sex = _check_birth(digits, as_of, errors)
    if digits[12:] == "0000":
        errors.append(
            Issue("nik_serial_zero", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")
        )
    return NikResult(
        raw=shown,
        nik=digits,
        valid=not errors,
        province=province,
        regency=regency,
        district=district,
        birth_date=birth_date,
        sex=sex,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def check_consistency(
    result: NikResult, *, birth_date: date | None, sex: str | None
) -> tuple[Issue, ...]:
    """Cross-check a stated birth date and sex against a valid NIK.

    Source: the NIK's digits 7-12 are the birth date, +40 on the day for women (Dukcapil,
    above). The NIK holds only two year
    digits, so a stated year that differs from the inferred one by whole centuries agrees.
    ``sex`` must already be normalised to "L" or "P".
    """
    if sex not in (None, "L", "P"):
        raise ValueError(f"sex must be 'L' or 'P', not {sex!r}")
    if not result.valid or result.birth_date is None or result.sex is None:
        return ()
    issues: list[Issue] = []
    nik_date = result.birth_date
    if birth_date is not None and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        nik_date.day,
        nik_date.month,
        nik_date.year % 100,
    ):
        issues.append(
            Issue(
                "nik_birth_date_mismatch",
                f"Tanggal lahir {_dmy(birth_date)} tidak sama dengan NIK ({_dmy(nik_date)}).",
            )
        )
    if sex is not None and sex != result.sex:
        issues.append(
            Issue(
                "nik_sex_mismatch",
                f"Jenis kelamin {_sex_name(sex)} tidak sama dengan NIK ({_sex_name(result.sex)}).",
            )
        )
    return tuple(issues)


def compose_nik(*, district: str, birth_date: date, sex: Sex, serial: int) -> str:
    """Write the NIK of a person first registered in ``district`` ("35.04.01").

    Source: Dukcapil, https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik
    """
    code = district.replace(".", "")
    if len(code) != 6 or not _DIGITS.fullmatch(code):
        raise ValueError(f"district must be a 6-digit Kemendagri code, not {district!r}")
    if sex not in ("L", "P"):
        raise ValueError(f"sex must be 'L' or 'P', not {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1-9999, not {serial}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{code}{day:02d}{birth_date:%m%y}{serial:04d}"


# A NIK-shaped run: 16 digits not inside a longer number.
NIK_RUN = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def mask_nik_runs(text: str) -> str:
    """Every NIK-shaped run of digits in `text` masked (log lines, error reports)."""
    return NIK_RUN.sub(lambda m: mask_nik(m.group(0)), text)


def mask_nik(nik: str) -> str:
    """Hide a NIK in lists and public answers: "3504********0001" (personal data, UU 27/2022
    on personal data protection: show no more than the task needs)."""
    if len(nik) == NIK_LENGTH:
        return nik[:4] + "*" * 8 + nik[-4:]
    return "*" * max(len(nik) - 4, 0) + nik[-4:]


# Many rows share the first six digits; their findings are the same (issues are immutable).
@functools.lru_cache(maxsize=16_384)
def _region_of(
    prefix: str, regions: RegionCodes
) -> tuple[str | None, str | None, str | None, tuple[Issue, ...], tuple[Issue, ...]]:
    errors: list[Issue] = []
    warnings: list[Issue] = []
    province, regency, district = _check_region(prefix, regions, errors, warnings)
    return province, regency, district, tuple(errors), tuple(warnings)


def _check_region(
    digits: str, regions: RegionCodes, errors: list[Issue], warnings: list[Issue]
) -> tuple[str | None, str | None, str | None]:
    province = digits[:2]
    if province not in regions.provinces:
        errors.append(
            Issue("nik_province_unknown", f"Kode provinsi {province} pada NIK tidak dikenal.")
        )
        return None, None, None

    regency = dotted(digits[:4])
    current = regions.retired_regencies.get(regency)
    if current is not None:
        # Kecamatan suffixes were renumbered in some of these regencies, so the district
        # cannot be checked against today's table (data/wilayah/README.md).
        now = f"{current} {regions.regencies[current]}" if current in regions.regencies else current
        warnings.append(
            Issue(
                "nik_retired_region",
                f"Kode wilayah {regency} pada NIK adalah kode lama sebelum pemekaran Papua "
                f"2022; sekarang {now}.",
            )
        )
    elif regency not in regions.regencies:
        errors.append(
            Issue("nik_regency_unknown", f"Kode kabupaten/kota {regency} pada NIK tidak dikenal.")
        )
        return province, None, None

    district = dotted(digits[:6])
    if digits[4:6] == "00":
        errors.append(Issue("nik_district_zero", "Kode kecamatan pada NIK tidak boleh 00."))
        return province, regency, None
    if current is None and district not in regions.districts:
        warnings.append(
            Issue(
                "nik_district_unknown",
                f"Kode kecamatan {district} pada NIK tidak ada di daftar Kemendagri saat ini "
                "(mungkin kecamatan lama). Periksa KTP.",
            )
        )
    return province, regency, district


def _check_birth(digits: str, as_of: date, errors: list[Issue]) -> tuple[date | None, Sex | None]:
    coded_day, month, year_2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex: Sex = "P" if is_female_day(coded_day) else "L"
    day = coded_day - FEMALE_DAY_OFFSET if sex == "P" else coded_day
    # The latest century that does not put the birth after as_of: "26" read on 2026-11-22 is
    # 2026 for a birthday up to 22 November, else 1926.
    year = as_of.year // 100 * 100 + year_2
    if (year, month, day) > (as_of.year, as_of.month, as_of.day):
        year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        errors.append(
            Issue(
                "nik_date_invalid",
                f"Tanggal lahir dalam NIK tidak valid (digit 7–12 tertulis {digits[6:12]}).",
            )
        )
        return None, None
    return born, sex


def _numeric_digits(raw: object, *, numeric_cell: bool | None) -> str | None:
    """The digits of ``raw`` if it went through a number format, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) or (isinstance(raw, int | Decimal) and numeric_cell is not False):
        return _integer_digits(raw)
    if isinstance(raw, str):
        text = _strip_spaces(raw)
        if match := _FLOAT_TEXT.fullmatch(text):
            return match[1]
        if _GROUPED_THOUSANDS.fullmatch(text):
            return re.sub("[.,]", "", text)
        if numeric_cell and _DIGITS.fullmatch(text):
            return text
    return None


def _integer_digits(number: int | float | Decimal) -> str | None:
    value = Decimal(number)  # exact, also for a float
    if value.is_finite() and value >= 0 and value == value.to_integral_value():
        return str(int(value))
    return None


def _clean(raw: str) -> tuple[str | None, list[str]]:
    """Strip harmless noise. Return the digits (None when anything else is left) and, in the
    officer's words, what was changed."""
    text = _strip_spaces(raw)
    removed = ["spasi"] if text != raw else []
    if text.startswith(tuple(_APOSTROPHES)):
        text = text[1:]
        removed.append("tanda petik")
    kept = []
    for ch in text:
        noise = _noise_name(ch)
        if noise is None:
            kept.append(ch)
        elif noise not in removed:
            removed.append(noise)
    text = "".join(kept)
    changes = [f"{', '.join(removed)} dihapus"] if removed else []
    with_zeros = text.replace("O", "0").replace("o", "0")
    if with_zeros != text and _DIGITS.fullmatch(with_zeros):
        text = with_zeros
        changes.append("huruf O diganti angka 0")
    if text and not _DIGITS.fullmatch(text):
        return None, changes
    return text, changes


def _noise_name(ch: str) -> str | None:
    if ch.isspace() or ch in _INVISIBLE:
        return "spasi"
    if ch in _DOTS:
        return "titik"
    if ch in _DASHES:
        return "tanda hubung"
    return None


def _strip_spaces(text: str, *, inner: bool = False) -> str:
    if inner:
        return "".join(ch for ch in text if not (ch.isspace() or ch in _INVISIBLE))
    return text.strip().strip(_INVISIBLE).strip()


def _is_blank(raw: object) -> bool:
    if raw is None:
        return True
    # pandas and some readers give NaN for an empty cell.
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if isinstance(raw, Decimal) and raw.is_nan():
        return True
    return isinstance(raw, str) and _strip_spaces(raw, inner=True) == ""


def _shown(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    return str(raw)


def _missing() -> Issue:
    return Issue("nik_missing", "NIK belum diisi.")


def _not_digits(shown: str) -> NikResult:
    return NikResult(
        raw=shown,
        nik=None,
        valid=False,
        errors=(
            Issue(
                "nik_not_digits",
                f"NIK hanya boleh berisi 16 digit angka (tertulis: {shown.strip()}).",
            ),
        ),
    )


def _dmy(value: date) -> str:
    return f"{value:%d-%m-%Y}"


def _sex_name(sex: str) -> str:
    return "laki-laki" if sex == "L" else "perempuan"

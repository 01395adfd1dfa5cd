"""Check one row of an agency worker list: normalise its cells, resolve its region and
occupation, cross-check the NIK, and decide whether the row can be used.

Input rows are mappings from canonical field names ("nik", "name", "birth_date",
"birth_place_date", "sex", "rt_rw", "village", "district", "occupation", ...) to raw cell
values, as the header recognition maps them. Rules, from the lists agencies really send:

- NIK problems found by ``lindung.domain.nik`` keep their codes: its errors reject the row,
  its warnings (cleaned noise, retired or unknown region code) only flag it.
- A stated birth date or sex that disagrees with a valid NIK rejects the row; a blank one is
  taken from the NIK, with a warning so the officer can complete the list.
- Unknown villages, districts and occupations, and unusable phone numbers, are warnings: the
  person can still be verified and registered, the officer completes the data.
- Blank rows and total rows are ignored, never rejected; the same NIK on a later row of the
  same file is rejected as a duplicate of the earlier row.

Decisions:

- A duplicate is judged on the cleaned NIK digits whether the NIK is valid or not, except for
  a NIK damaged by a spreadsheet number format: its last digit is lost, so two different
  people can share the damaged digits, and such rows are rejected already.
- A village written in the wrong district is not moved: the village is left unresolved and
  the officer told where that name does exist. Spelling corrections (edit distance 1, or 2 for
  long names) are applied with a warning that names the correction.
- The name is kept as written, only trimmed and with single spaces: it must match the KTP, and
  a title-cased rewrite is for display, not for the record.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from lindung.domain.nik import NikResult, check_consistency, parse_nik
from lindung.intake.normalise import (
    FIELD_LABELS,
    RowIssue,
    SexCode,
    clean_text,
    is_blank,
    normalise_phone,
    pad_rt_rw,
    parse_date,
    parse_income,
    parse_sex,
    split_place_date,
    split_rt_rw,
)
from lindung.intake.resolvers import OccupationResolver, RegionResolver
from lindung.intake.rowkinds import could_be_name, is_blank_row, is_total_row

Outcome = Literal["accepted", "accepted_with_warnings", "rejected", "ignored"]

# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckContext:
    """What a row is checked against. ``require_fields`` lists fields, besides NIK and name
    (always required), whose blank value rejects the row; a birth date or sex taken from the
    NIK counts as given."""

    as_of: date
    regions: RegionResolver
    occupations: OccupationResolver
    require_fields: frozenset[str] = frozenset()


@dataclass(slots=True)
class RowResult:
    """The outcome of one row. ``values`` holds the normalised fields: nik (cleaned digits
    or None), name, birth_place, birth_date, sex, address, rt, rw, village, district,
    village_code, district_code, occupation, occupation_id, phone, income, kk."""

    row_number: int
    values: dict[str, object]
    issues: list[RowIssue] = field(default_factory=list)
    outcome: Outcome = "accepted"

    @property
    def reasons(self) -> str:
        return "; ".join(issue.message for issue in self.issues)

    @property
    def errors(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.severity == "warning"]


_NIK_ISSUE_FIELDS = {"nik_birth_date_mismatch": "birth_date", "nik_sex_mismatch": "sex"}
_KK_LENGTH = 16
_NIK_LENGTH = 16


def check_row(
    row_number: int,
    raw: Mapping[str, object],
    *,
    context: CheckContext,
    numeric_nik: bool | None = None,
) -> RowResult:
    """Normalise and check one row; see the module docstring for the rules.

    ``numeric_nik`` tells ``parse_nik`` whether the NIK cell was a number cell when the reader
    knows (True) or knows it was text (False).
    """
    get = raw.get
    name_like = could_be_name(get("name"))
    if not name_like:  # a name rules out a blank or total row: most rows skip both tests
        cells = raw.values()
        if is_blank_row(cells) or is_total_row(cells):
            return RowResult(row_number, {}, [], "ignored")

    issues: list[RowIssue] = []
    nik_result = _check_nik(get("nik"), context.as_of, numeric_nik, issues)
    name = _check_name(get("name"), name_like, issues)
    birth_place, birth_date, sex = _check_birth(raw, nik_result, context.as_of, issues)
    rt, rw = _rt_rw(raw)
    village = clean_text(get("village"))
    district = clean_text(get("district"))
    village_code, district_code = _check_region(village, district, context.regions, issues)
    occupation = clean_text(get("occupation"))
    occupation_id = _check_occupation(occupation, context.occupations, issues)
    # The last three are inlined, not steps: a call per cell shows in the intake benchmark.
    phone, phone_issue = normalise_phone(get("phone"))
    if phone_issue is not None:
        issues.append(phone_issue)
    income, income_issue = parse_income(get("income"))
    if income_issue is not None:
        issues.append(income_issue)
    kk, kk_issue = _parse_kk(get("kk"))
    if kk_issue is not None:
        issues.append(kk_issue)

    values: dict[str, object] = {
        "nik": nik_result.nik,
        "name": name,
        "birth_place": birth_place,
        "birth_date": birth_date,
        "sex": sex,
        "address": clean_text(get("address")),
        "rt": rt,
        "rw": rw,
        "village": village,
        "district": district,
        "village_code": village_code,
        "district_code": district_code,
        "occupation": occupation,
        "occupation_id": occupation_id,
        "phone": phone,
        "income": income,
        "kk": kk,
    }
    if context.require_fields:
        _require(context.require_fields, values, raw, issues)
    return RowResult(row_number, values, issues, _outcome(issues))


def _check_nik(
    nik_raw: object, as_of: date, numeric_nik: bool | None, issues: list[RowIssue]
) -> NikResult:
    if (
        numeric_nik is not True
        and isinstance(nik_raw, str)
        and len(nik_raw) == _NIK_LENGTH
        and nik_raw.isdigit()
        and nik_raw.isascii()
        and nik_raw[0] != "0"
    ):
        # Speed: a clean 16-digit text NIK handed over as the integer a text cell held
        # (numeric_cell=False) gives the same result and skips the domain's character-by-
        # character cleaning, ~40 % of a row's time. No NIK starts with 0 (province 11-96),
        # and tests/intake/test_rowcheck.py checks that both readings agree.
        nik_result = parse_nik(int(nik_raw), as_of=as_of, numeric_cell=False)
    else:
        nik_result = parse_nik(nik_raw, as_of=as_of, numeric_cell=numeric_nik)
    for issue in nik_result.errors:
        issues.append(RowIssue("nik", issue.code, issue.message, "error"))
    for issue in nik_result.warnings:
        issues.append(RowIssue("nik", issue.code, issue.message, "warning"))
    return nik_result


def _check_name(raw_name: object, name_like: bool, issues: list[RowIssue]) -> str:
    name = clean_text(raw_name)
    if not name:
        issues.append(RowIssue("name", "name_missing", "Nama belum diisi.", "error"))
    elif not name_like and not any(ch.isalpha() for ch in name):
        issues.append(
            RowIssue(
                "name",
                "name_invalid",
                f"Nama '{name}' tidak berisi huruf; isi nama sesuai KTP.",
                "error",
            )
        )
    return name


def _check_birth(
    raw: Mapping[str, object], nik_result: NikResult, as_of: date, issues: list[RowIssue]
) -> tuple[str, date | None, SexCode | None]:
    """Place and date of birth (apart or in one cell) and sex, cross-checked with the NIK."""
    get = raw.get
    birth_place = clean_text(get("birth_place"))
    birth_date_raw = get("birth_date")
    combined = get("birth_place_date")
    if combined is not None and not is_blank(combined):
        place_part, date_part = split_place_date(combined)
        birth_place = birth_place or place_part
        if is_blank(birth_date_raw):
            birth_date_raw = date_part
    birth_date, date_issue = parse_date(birth_date_raw, as_of=as_of)
    if date_issue is not None:
        issues.append(date_issue)

    sex: SexCode | None
    sex, sex_issue = parse_sex(get("sex"))
    if sex_issue is not None:
        issues.append(sex_issue)

    birth_date, sex = _against_nik(nik_result, birth_date, date_issue, sex, sex_issue, issues)
    return birth_place, birth_date, sex


def _rt_rw(raw: Mapping[str, object]) -> tuple[str, str]:
    """RT and RW from their own cells, or split from one "RT/RW" cell."""
    rt = pad_rt_rw(raw.get("rt"))
    rw = pad_rt_rw(raw.get("rw"))
    rt_rw = raw.get("rt_rw")
    if rt_rw is not None and not (rt and rw):
        split_rt, split_rw = split_rt_rw(rt_rw)
        rt, rw = rt or split_rt, rw or split_rw
    return rt, rw


def _check_region(
    village: str, district: str, regions: RegionResolver, issues: list[RowIssue]
) -> tuple[str | None, str | None]:
    if not (village or district):
        return None, None
    village_code, district_code, region_warnings = regions.resolve(
        village=village, district=district
    )
    issues.extend(region_warnings)
    return village_code, district_code


def _check_occupation(
    occupation: str, occupations: OccupationResolver, issues: list[RowIssue]
) -> int | None:
    if not occupation:
        return None
    occupation_id, occupation_issue = occupations.resolve(occupation)
    if occupation_issue is not None:
        issues.append(occupation_issue)
    return occupation_id


def check_rows(
    rows: Iterable[tuple[int, Mapping[str, object]]], *, context: CheckContext
) -> Iterator[RowResult]:
    """Check the rows of one file in order, adding duplicate detection: a NIK (cleaned, valid
    or not) already seen on an earlier row rejects the later row with "dup_in_file"."""
    seen: dict[str, int] = {}
    for row_number, raw in rows:
        result = check_row(row_number, raw, context=context)
        nik = result.values.get("nik")
        if isinstance(nik, str) and not (
            result.issues and any(i.code == "nik_excel_damaged" for i in result.issues)
        ):
            first = seen.get(nik)
            if first is None:
                seen[nik] = row_number
            else:
                result.issues.append(
                    RowIssue(
                        "nik",
                        "dup_in_file",
                        f"NIK sama dengan baris {first}; hapus baris ganda atau perbaiki NIK.",
                        "error",
                    )
                )
                result.outcome = "rejected"
        yield result


def _against_nik(
    nik_result: NikResult,
    birth_date: date | None,
    date_issue: RowIssue | None,
    sex: SexCode | None,
    sex_issue: RowIssue | None,
    issues: list[RowIssue],
) -> tuple[date | None, SexCode | None]:
    """Cross-check stated birth date and sex with a valid NIK, filling blanks from it."""
    if not nik_result.valid:
        return birth_date, sex
    for issue in check_consistency(nik_result, birth_date=birth_date, sex=sex):
        field_name = _NIK_ISSUE_FIELDS.get(issue.code, "nik")
        issues.append(RowIssue(field_name, issue.code, issue.message, "error"))
    if birth_date is None and date_issue is None and nik_result.birth_date is not None:
        birth_date = nik_result.birth_date
        issues.append(
            RowIssue(
                "birth_date",
                "birth_date_from_nik",
                f"Tanggal lahir kosong; diambil dari NIK ({birth_date:%d-%m-%Y}).",
                "warning",
            )
        )
    if sex is None and sex_issue is None and nik_result.sex is not None:
        sex = nik_result.sex
        shown = "laki-laki" if sex == "L" else "perempuan"
        issues.append(
            RowIssue(
                "sex",
                "sex_from_nik",
                f"Jenis kelamin kosong; diambil dari NIK ({shown}).",
                "warning",
            )
        )
    return birth_date, sex


def _parse_kk(value: object) -> tuple[str | None, RowIssue | None]:
    """Family card number: 16 digits read as text; a number cell with 16 digits has lost
    its last one (Excel keeps 15 significant digits)."""
    if isinstance(value, str) and len(value) == _KK_LENGTH and value.isdigit():
        return value, None  # the common case, first
    if is_blank(value):
        return None, None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        digits = str(int(value)) if float(value).is_integer() else ""
        if len(digits) >= _KK_LENGTH:
            return None, RowIssue(
                "kk",
                "kk_excel_damaged",
                "Nomor KK rusak karena kolom diformat angka di Excel; format kolom sebagai "
                "Teks lalu ketik ulang.",
                "warning",
            )
    else:
        text = clean_text(value)
        digits = "".join(ch for ch in text if ch not in " .-'‘’")
    if len(digits) == _KK_LENGTH and digits.isdigit() and digits.isascii():
        return digits, None
    return None, RowIssue(
        "kk",
        "kk_invalid",
        f"Nomor KK '{clean_text(value)}' harus 16 digit angka; periksa kembali.",
        "warning",
    )


def _require(
    required: frozenset[str],
    values: Mapping[str, object],
    raw: Mapping[str, object],
    issues: list[RowIssue],
) -> None:
    for name in sorted(required):
        if name in ("nik", "name"):
            continue  # always checked
        value = values.get(name, raw.get(name))
        if value is None or value == "":
            if any(issue.field == name and issue.severity == "error" for issue in issues):
                continue  # already rejected for this field
            label = FIELD_LABELS.get(name, name)
            issues.append(RowIssue(name, f"{name}_missing", f"{label} belum diisi.", "error"))


def _outcome(issues: list[RowIssue]) -> Outcome:
    if not issues:
        return "accepted"
    for issue in issues:
        if issue.severity == "error":
            return "rejected"
    return "accepted_with_warnings"

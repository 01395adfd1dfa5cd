"""Check one row of an agency worker list: normalise its cells, resolve its region and
occupation, cross-check the NIK, and decide whether the row can be used.

Input rows are mappings from canonical field names ("nik", "name", "birth_date",
"birth_place_date", "sex", "rt_rw", "village", "district", "occupation", ...) to raw cell
values, as the header recognition maps them. Rules (DESIGN.md §4-§5; reference/data-formats.md
§0 and §3):

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

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lindung.domain.nik import NikResult, check_consistency, parse_nik
from lindung.intake.normalise import (
    FIELD_LABELS,
    RowIssue,
    SexCode,
    clean_text,
    could_be_name,
    is_blank,
    is_blank_row,
    is_total_row,
    normalise_phone,
    pad_rt_rw,
    parse_date,
    parse_income,
    parse_sex,
    split_place_date,
    split_rt_rw,
)

Outcome = Literal["accepted", "accepted_with_warnings", "rejected", "ignored"]

_T = TypeVar("_T")
_NO_MATCH = 1 << 30

# --- shared helpers ------------------------------------------------------------------------


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# --- regions -------------------------------------------------------------------------------

# Prefixes written before village and district names: "Ds.", "Desa", "Kel.", "Kelurahan",
# "Desa/Kel.", "Kec.", "Kecamatan".
_REGION_PREFIX = re.compile(r"^(?:(desa|ds|kelurahan|kel|kecamatan|kec)(?![a-z])[\s./:]*)+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_VILLAGE_CODE = re.compile(r"(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})")
_DISTRICT_CODE = re.compile(r"(\d{2})\.?(\d{2})\.?(\d{2})")
# Kemendagri village codes: the first digit of the last four is 1 for a kelurahan and 2 for
# a desa (Permendagri 58/2021).
_KIND_OF_PREFIX = {"kel": "1", "kelurahan": "1", "desa": "2", "ds": "2"}


def _region_key(text: str) -> tuple[str, str | None]:
    """Case-, space- and punctuation-free key of a region name without its prefix, and the
    kind the prefix announced ("1" kelurahan, "2" desa, or None)."""
    lowered = _ascii_lower(text).strip()
    kind = None
    match = _REGION_PREFIX.match(lowered)
    if match:
        rest = lowered[match.end() :]
        if _NOT_ALNUM.sub("", rest):  # "Desa" alone stays a name
            kind = _KIND_OF_PREFIX.get(match[1])
            lowered = rest
    return _NOT_ALNUM.sub("", lowered), kind


RegionResolution = tuple[str | None, str | None, list[RowIssue]]


class RegionResolver:
    """Finds Kemendagri codes for the village and district names of one regency.

    Names are compared without case, spaces, punctuation and the prefixes "Ds.", "Desa",
    "Kel.", "Kelurahan", "Kec.", "Kecamatan"; a typo is tolerated (edit distance 1 for names
    of 5 letters or more, 2 from 9 letters) when one name is closest. Village names repeat
    across districts, so the district decides; without it a repeated name stays unresolved
    with a warning. Results are cached per distinct (village, district) text.
    """

    def __init__(
        self, districts: Sequence[tuple[str, str]], villages: Sequence[tuple[str, str]]
    ) -> None:
        self._district_names = dict(districts)
        self._village_names = dict(villages)
        self._district_by_key: dict[str, str] = {}
        for code, name in districts:
            self._district_by_key.setdefault(_region_key(name)[0], code)
        self._villages_by_key: dict[str, list[str]] = defaultdict(list)
        self._villages_in: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for code, name in villages:
            key = _region_key(name)[0]
            self._villages_by_key[key].append(code)
            self._villages_in[self._district_of(code)][key].append(code)
        # What a misspelt name may be read as: districts, and villages whose name is unique
        # in the regency or (when the district is known) in that district.
        self._district_choices = _Choices(self._district_by_key.items())
        self._unique_villages = _Choices(
            (k, c[0]) for k, c in self._villages_by_key.items() if len(c) == 1
        )
        self._unique_villages_in = {
            district: _Choices((k, c[0]) for k, c in local.items() if len(c) == 1)
            for district, local in self._villages_in.items()
        }
        self._cache: dict[tuple[str, str], RegionResolution] = {}

    def resolve(self, *, village: str, district: str) -> RegionResolution:
        """(village code, district code, warnings) for names as written in a list."""
        cache_key = (village, district)
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._resolve(clean_text(village), clean_text(district))
            self._cache[cache_key] = cached
        village_code, district_code, warnings = cached
        return village_code, district_code, list(warnings)

    def _resolve(self, village: str, district: str) -> RegionResolution:
        warnings: list[RowIssue] = []
        district_code = self._resolve_district(district, warnings) if district else None
        if not village:
            return None, district_code, warnings
        if code := self._village_from_code(village):
            return code, self._district_of(code), warnings
        key, kind = _region_key(village)
        if not key:
            return None, district_code, warnings
        if district_code is not None:
            return self._village_in_district(village, key, kind, district_code, warnings)
        return self._village_anywhere(village, key, kind, warnings)

    def _resolve_district(self, district: str, warnings: list[RowIssue]) -> str | None:
        match = _DISTRICT_CODE.fullmatch(district.strip())
        if match and ".".join(match.groups()) in self._district_names:
            return ".".join(match.groups())
        key, _kind = _region_key(district)
        known = self._district_by_key.get(key)
        if known is not None:
            return known
        found = _closest(key, self._district_choices, _region_typo_limit)
        if found is not None:
            warnings.append(
                RowIssue(
                    "district",
                    "district_spelling",
                    f"Kecamatan '{district}' dibaca sebagai {self._district_names[found]}; "
                    "periksa ejaannya.",
                    "warning",
                )
            )
            return found
        warnings.append(
            RowIssue(
                "district",
                "district_unknown",
                f"Kecamatan '{district}' tidak ada di daftar wilayah kabupaten; periksa ejaannya.",
                "warning",
            )
        )
        return None

    def _village_in_district(
        self, village: str, key: str, kind: str | None, district_code: str, warnings: list[RowIssue]
    ) -> RegionResolution:
        district_name = self._district_names[district_code]
        local = self._villages_in.get(district_code, {})
        codes = _prefer_kind(local.get(key, []), kind)
        if len(codes) == 1:
            return codes[0], district_code, warnings
        if not codes:
            found = _closest(
                key, self._unique_villages_in.get(district_code, _NO_CHOICES), _region_typo_limit
            )
            if found is not None:
                warnings.append(self._spelling(village, found))
                return found, district_code, warnings
            elsewhere = self._villages_by_key.get(key, [])
            if elsewhere:
                places = ", ".join(self._district_names[self._district_of(c)] for c in elsewhere)
                warnings.append(
                    RowIssue(
                        "village",
                        "village_other_district",
                        f"Desa/kelurahan '{village}' tidak ada di Kecamatan {district_name}, "
                        f"tetapi ada di Kecamatan {places}; periksa Desa atau Kecamatan.",
                        "warning",
                    )
                )
                return None, district_code, warnings
        warnings.append(
            RowIssue(
                "village",
                "village_unknown",
                f"Desa/kelurahan '{village}' tidak ada di Kecamatan {district_name}; "
                "periksa ejaannya.",
                "warning",
            )
        )
        return None, district_code, warnings

    def _village_anywhere(
        self, village: str, key: str, kind: str | None, warnings: list[RowIssue]
    ) -> RegionResolution:
        codes = _prefer_kind(self._villages_by_key.get(key, []), kind)
        if len(codes) == 1:
            return codes[0], self._district_of(codes[0]), warnings
        if len(codes) > 1:
            places = ", ".join(self._district_names[self._district_of(c)] for c in codes)
            warnings.append(
                RowIssue(
                    "village",
                    "village_ambiguous",
                    f"Desa/kelurahan '{village}' ada di beberapa kecamatan ({places}); "
                    "isi kolom Kecamatan dengan benar.",
                    "warning",
                )
            )
            return None, None, warnings
        found = _closest(key, self._unique_villages, _region_typo_limit)
        if found is not None:
            warnings.append(self._spelling(village, found))
            return found, self._district_of(found), warnings
        warnings.append(
            RowIssue(
                "village",
                "village_unknown",
                f"Desa/kelurahan '{village}' tidak ada di daftar wilayah kabupaten; "
                "periksa ejaannya.",
                "warning",
            )
        )
        return None, None, warnings

    def _spelling(self, village: str, code: str) -> RowIssue:
        district = self._district_names.get(self._district_of(code), "")
        return RowIssue(
            "village",
            "village_spelling",
            f"Desa/kelurahan '{village}' dibaca sebagai {self._village_names[code]} "
            f"(Kec. {district}); periksa ejaannya.",
            "warning",
        )

    def _village_from_code(self, text: str) -> str | None:
        match = _VILLAGE_CODE.fullmatch(text.strip())
        if match is None:
            return None
        code = ".".join(match.groups())
        return code if code in self._village_names else None

    @staticmethod
    def _district_of(village_code: str) -> str:
        return village_code[:8]


def _prefer_kind(codes: list[str], kind: str | None) -> list[str]:
    """Among villages of one name, those of the kind the prefix named ("Kel." or "Ds.")."""
    if len(codes) > 1 and kind is not None:
        preferred = [code for code in codes if code[9:10] == kind]
        if preferred:
            return preferred
    return codes


class _Choices(Generic[_T]):
    """Candidate keys and the value each stands for, kept as two lists so that rapidfuzz
    scores all keys in one C call instead of one Python call per pair."""

    __slots__ = ("keys", "values")

    def __init__(self, pairs: Iterable[tuple[str, _T]]) -> None:
        self.keys: list[str] = []
        self.values: list[_T] = []
        for key, value in pairs:
            self.keys.append(key)
            self.values.append(value)


_NO_CHOICES: _Choices[str] = _Choices(())


def _closest(key: str, choices: _Choices[_T], limit_for: Callable[[int], int]) -> _T | None:
    """The value of the candidate strictly closest to ``key`` by optimal string alignment
    distance (a swap of two neighbours is one typo), if within the typo limit that
    ``limit_for`` gives for the shorter of the two; else None. Two equally close candidates
    with different values are a guess, so None too.

    ``limit_for`` never falls as the length grows, so the limit for ``key``'s own length
    bounds every pair's and serves as the cut-off of the vectorised search."""
    widest = limit_for(len(key))
    if widest <= 0 or not choices.keys:
        return None
    best_distance = _NO_MATCH
    best: set[_T] = set()
    for candidate, distance, index in process.extract(
        key, choices.keys, scorer=OSA.distance, score_cutoff=widest, limit=None
    ):
        if distance > limit_for(min(len(candidate), len(key))):
            continue
        value = choices.values[index]
        if distance < best_distance:
            best_distance, best = int(distance), {value}
        elif distance == best_distance:
            best.add(value)
    return next(iter(best)) if len(best) == 1 else None


def _region_typo_limit(length: int) -> int:
    """Typos tolerated in a region name: one from 5 letters, two from 9."""
    return 2 if length >= 9 else 1 if length >= 5 else 0


def _occupation_typo_limit(length: int) -> int:
    """Typos tolerated in an occupation: two from 6 letters."""
    return 2 if length >= 6 else 0


# --- occupations ---------------------------------------------------------------------------

_MAX_PHRASE_WORDS = 12


def _words_key(text: str) -> str:
    return " ".join(_NOT_ALNUM.split(_ascii_lower(text))).strip()


class OccupationResolver:
    """Finds the occupation of a free-text job cell in the Pemda's list.

    Order: the name or a synonym exactly (case and punctuation ignored); then the longest
    synonym found as whole words inside the text ("DRIVER OJOL GRAB" -> Pengemudi Ojek
    Online); then a close spelling (edit distance up to 2 for 6 letters or more) when one
    occupation is closest. Results are cached per distinct text.
    """

    def __init__(self, occupations: Sequence[tuple[int, str, Sequence[str]]]) -> None:
        self._names = {occupation_id: name for occupation_id, name, _ in occupations}
        self._by_phrase: dict[str, set[int]] = defaultdict(set)
        for occupation_id, name, synonyms in occupations:
            for phrase in (name, *synonyms):
                key = _words_key(phrase)
                if key:
                    self._by_phrase[key].add(occupation_id)
        self._unique_phrases = _Choices(
            (key.replace(" ", ""), min(ids))
            for key, ids in self._by_phrase.items()
            if len(ids) == 1
        )
        self._cache: dict[str, tuple[int | None, RowIssue | None]] = {}

    def resolve(self, text: str) -> tuple[int | None, RowIssue | None]:
        cached = self._cache.get(text)
        if cached is None:
            cached = self._resolve(clean_text(text))
            self._cache[text] = cached
        return cached

    def _resolve(self, text: str) -> tuple[int | None, RowIssue | None]:
        key = _words_key(text)
        if not key:
            return None, None
        exact = self._by_phrase.get(key)
        if exact is not None:
            return self._one(text, exact)
        words = key.split()[:_MAX_PHRASE_WORDS]
        for size in range(len(words) - 1, 0, -1):  # longest phrase first
            found: set[int] = set()
            for start in range(len(words) - size + 1):
                found |= self._by_phrase.get(" ".join(words[start : start + size]), set())
            if found:
                return self._one(text, found)
        occupation_id = _closest(key.replace(" ", ""), self._unique_phrases, _occupation_typo_limit)
        if occupation_id is not None:
            return occupation_id, RowIssue(
                "occupation",
                "occupation_spelling",
                f"Pekerjaan '{text}' dibaca sebagai {self._names[occupation_id]}; "
                "periksa ejaannya.",
                "warning",
            )
        return None, RowIssue(
            "occupation",
            "occupation_unknown",
            f"Pekerjaan '{text}' tidak ada di daftar jenis pekerjaan; pilih dari daftar "
            "atau minta admin menambah sinonimnya.",
            "warning",
        )

    def _one(self, text: str, ids: set[int]) -> tuple[int | None, RowIssue | None]:
        if len(ids) == 1:
            return next(iter(ids)), None
        names = ", ".join(sorted(self._names[i] for i in ids))
        return None, RowIssue(
            "occupation",
            "occupation_ambiguous",
            f"Pekerjaan '{text}' cocok dengan beberapa jenis pekerjaan ({names}); pilih satu.",
            "warning",
        )


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

    # NIK
    nik_raw = get("nik")
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
        nik_result = parse_nik(int(nik_raw), as_of=context.as_of, numeric_cell=False)
    else:
        nik_result = parse_nik(nik_raw, as_of=context.as_of, numeric_cell=numeric_nik)
    for issue in nik_result.errors:
        issues.append(RowIssue("nik", issue.code, issue.message, "error"))
    for issue in nik_result.warnings:
        issues.append(RowIssue("nik", issue.code, issue.message, "warning"))

    # Name
    name = clean_text(get("name"))
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

    # Place and date of birth
    birth_place = clean_text(get("birth_place"))
    birth_date_raw = get("birth_date")
    combined = get("birth_place_date")
    if combined is not None and not is_blank(combined):
        place_part, date_part = split_place_date(combined)
        birth_place = birth_place or place_part
        if is_blank(birth_date_raw):
            birth_date_raw = date_part
    birth_date, date_issue = parse_date(birth_date_raw, as_of=context.as_of)
    if date_issue is not None:
        issues.append(date_issue)

    sex: SexCode | None
    sex, sex_issue = parse_sex(get("sex"))
    if sex_issue is not None:
        issues.append(sex_issue)

    birth_date, sex = _against_nik(nik_result, birth_date, date_issue, sex, sex_issue, issues)

    # Address and RT/RW
    address = clean_text(get("address"))
    rt = pad_rt_rw(get("rt"))
    rw = pad_rt_rw(get("rw"))
    rt_rw = get("rt_rw")
    if rt_rw is not None and not (rt and rw):
        split_rt, split_rw = split_rt_rw(rt_rw)
        rt, rw = rt or split_rt, rw or split_rw

    # Region
    village = clean_text(get("village"))
    district = clean_text(get("district"))
    village_code = district_code = None
    if village or district:
        village_code, district_code, region_warnings = context.regions.resolve(
            village=village, district=district
        )
        issues.extend(region_warnings)

    # Occupation
    occupation = clean_text(get("occupation"))
    occupation_id = None
    if occupation:
        occupation_id, occupation_issue = context.occupations.resolve(occupation)
        if occupation_issue is not None:
            issues.append(occupation_issue)

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
        "address": address,
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
    its last one (reference/data-formats.md §0 rule 2)."""
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

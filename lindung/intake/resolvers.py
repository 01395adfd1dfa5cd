"""Resolve the region and occupation cells of a worker list to the Pemda's codes.

Village and district names are matched to Kemendagri codes, job descriptions to the Pemda's
occupation list, tolerating the prefixes, spacing and typos that hand-typed lists carry.
Intake's row check and the welfare-register loader both use these resolvers. Rules and
decisions: ``lindung.intake.rowcheck``'s module docstring.

Pure Python: no Django, so that the register loader and the benchmarks can build a resolver
from plain (code, name) pairs.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lindung.intake.normalise import RowIssue, clean_text

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

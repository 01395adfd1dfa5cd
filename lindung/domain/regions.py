"""Kemendagri administrative region codes (kode wilayah).

Source of the tables: Kepmendagri No. 300.2.2-2430 Tahun 2025 as extracted in
``lindung/data/wilayah/`` (see its README for the snapshot and licence). Codes follow
Permendagri 58/2021: province 2 digits, regency ``PP.RR``, district ``PP.RR.DD``.

``retired_regencies.csv`` lists the 26 pre-2022 Papua regency codes that NIKs issued before
the split still carry (Kepmendagri 100.1.1-6117/2022 and the laws creating Papua Selatan,
Tengah, Pegunungan and Barat Daya); the table is derived in
``lindung/data/wilayah/README.md``, "Papua split of 2022".
"""

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "wilayah"

# Undotted code lengths per level: province, regency, district, village.
_LEVEL_SPLITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key in nik.py
class RegionCodes:
    """Region code tables, all keyed by dotted code ("35", "35.04", "35.04.01")."""

    provinces: Mapping[str, str]
    regencies: Mapping[str, str]
    districts: Mapping[str, str]
    # Retired regency code -> the current code of the same regency.
    retired_regencies: Mapping[str, str]


@functools.lru_cache(maxsize=65_536)
def dotted(code: str) -> str:
    """Write a Kemendagri code with dots: "350401" -> "35.04.01", "3504" -> "35.04".

    Accepts 2, 4, 6 or 10 digits, dotted or not (Permendagri 58/2021 code shape).
    """
    digits = code.replace(".", "")
    split = _LEVEL_SPLITS.get(len(digits))
    if split is None or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a Kemendagri region code: {code!r}")
    parts = []
    start = 0
    for width in split:
        parts.append(digits[start : start + width])
        start += width
    return ".".join(parts)


def load_region_codes(data_dir: Path | None = None) -> RegionCodes:
    """Read the region code tables; the packaged tables are read once per process."""
    if data_dir is None:
        return _packaged_region_codes()
    return _read_region_codes(data_dir)


@functools.cache
def _packaged_region_codes() -> RegionCodes:
    return _read_region_codes(DEFAULT_DATA_DIR)


def _read_region_codes(data_dir: Path) -> RegionCodes:
    return RegionCodes(
        provinces=_read_mapping(data_dir / "provinces.csv", "code", "name"),
        regencies=_read_mapping(data_dir / "regencies.csv", "code", "name"),
        districts=_read_mapping(data_dir / "districts.csv", "code", "name"),
        retired_regencies=_read_mapping(
            data_dir / "retired_regencies.csv", "old_code", "current_code"
        ),
    )


def _read_mapping(path: Path, key: str, value: str) -> Mapping[str, str]:
    with path.open(encoding="utf-8", newline="") as file:
        return MappingProxyType({row[key]: row[value] for row in csv.DictReader(file)})

"""Districts and villages of register rows: by name (the intake resolver), by Kemendagri
code, or by BPS code mapped through the names. Resolved once per distinct combination of
texts and joined back: a million rows hold a few thousand combinations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Final

import polars as pl

from lindung.intake.resolvers import RegionResolver
from lindung.register.columns import col, issue_dict

RegionLookup = Callable[[str, str], tuple[str | None, str | None, list[dict[str, str]]]]


def resolver_lookup(resolver: RegionResolver) -> RegionLookup:
    def lookup(district: str, village: str) -> tuple[str | None, str | None, list[dict[str, str]]]:
        village_code, district_code, warnings = resolver.resolve(village=village, district=district)
        issues = [
            {"field": w.field, "code": w.code, "message": w.message, "severity": w.severity}
            for w in warnings
        ]
        if village and village_code is None and not issues:
            issues.append(
                issue_dict(
                    "village",
                    "village_unknown",
                    f"Desa/kelurahan '{village}' tidak ditemukan di kabupaten ini.",
                )
            )
        return district_code, village_code, issues

    return lookup


_NUMBER_CELL: Final = re.compile(r"(\d+)\.0*")


def code_digits(text: str) -> str:
    """A region code cell as its digits: '35.04.15' → '350415'; a code a spreadsheet stored
    as a number, '3504150.0' → '3504150'."""
    text = text.strip()
    number = _NUMBER_CELL.fullmatch(text)
    if number:
        return number[1]
    return re.sub(r"[^0-9]", "", text)


def _kemendagri_code(text: str, digits: int) -> str:
    """'3504022001', '35.04.02.2001', '3504022001.0' → '35.04.02.2001'; '' when it is not
    such a code."""
    raw = code_digits(text)
    if len(raw) != digits:
        return ""
    parts = [raw[0:2], raw[2:4], raw[4:6]] + ([raw[6:10]] if digits == 10 else [])
    return ".".join(parts)


def _kemendagri_regions(
    district: str, village: str, known_codes: frozenset[str]
) -> tuple[str | None, str | None, list[dict[str, str]]]:
    issues: list[dict[str, str]] = []
    codes: dict[str, str | None] = {}
    for fld, text, digits, what in (
        ("village", village, 10, "desa/kelurahan"),
        ("district", district, 6, "kecamatan"),
    ):
        code = _kemendagri_code(text, digits) or None
        if text and code is None:
            message = f"Kode {what} '{text}' bukan kode Kemendagri ({digits} angka)."
        elif code is not None and code not in known_codes:
            message = f"Kode {what} '{text}' tidak ada di kabupaten ini."
            code = None
        else:
            message = ""
        if message:
            issues.append(issue_dict(fld, f"{fld}_code_unknown", message))
        codes[fld] = code
    v_code, d_code = codes["village"], codes["district"]
    if v_code is not None:
        d_code = v_code[:8]
    return d_code, v_code, issues


def _bps_unmapped(fld: str, message: str) -> dict[str, str]:
    return issue_dict(fld, "region_bps_unmapped", message)


def _bps_regions(
    codes: tuple[str, str],
    names: tuple[str, str],
    *,
    regency: str,
    lookup: RegionLookup,
) -> tuple[str | None, str | None, list[dict[str, str]]]:
    """Kemendagri district and village for a row with BPS codes (district, village) and
    names (district, village).

    There is no official BPS ↔ Kemendagri crosswalk on hand. What we know of the structure:
    a BPS district code has 7 digits (3504150: province 35, regency 04, district 150), a
    village code 10 (3504150001), and their first four digits are the Kemendagri regency
    (35.04). The district and village numbers themselves differ between the two systems, so
    below the regency the row is placed by its district and village NAMES; a row without
    them keeps its code in `raw` only, with a `region_bps_unmapped` warning. No code is
    guessed."""
    district_text, village_text = codes
    # The most precise code given speaks for the row.
    if village_text:
        fld, text, length, what = "village", village_text, 10, "desa (10 angka)"
    elif district_text:
        fld, text, length, what = "district", district_text, 7, "kecamatan (7 angka)"
    else:
        return lookup(*names)  # no code: the names alone, as with --codes names
    code = code_digits(text)
    if len(code) != length:
        reason = f"Kode BPS '{text}' bukan kode {what}; wilayah tidak dipetakan."
    elif code[:4] != regency.replace(".", ""):
        reason = f"Kode BPS '{text}' bukan wilayah kabupaten ini; wilayah tidak dipetakan."
    elif not any(names):
        reason = (
            f"Kode BPS '{text}' tidak dapat dipetakan ke kode Kemendagri: baris ini tidak "
            "memuat nama kecamatan/desa."
        )
    else:
        d_code, v_code, issues = lookup(*names)
        if (v_code if fld == "village" else d_code) is None:
            issues.append(
                _bps_unmapped(
                    fld,
                    f"Kode BPS '{text}' tidak dapat dipetakan ke kode Kemendagri: nama "
                    "wilayahnya tidak ditemukan.",
                )
            )
        return d_code, v_code, issues
    return None, None, [_bps_unmapped(fld, reason)]


def resolve_regions(
    frame: pl.DataFrame,
    found: Mapping[str, int],
    *,
    code_style: str,
    lookup: RegionLookup,
    known_codes: frozenset[str],
    regency: str,
) -> pl.DataFrame:
    """district_id, village_id and region_issues (JSON fragment or null) per row, resolved
    once per distinct combination of texts."""
    keys: tuple[str, ...]
    if code_style == "kemendagri":
        keys = ("district_code", "village_code")
    elif code_style == "bps":
        keys = ("district_code", "village_code", "district_name", "village_name")
    else:
        keys = ("district_name", "village_name")
    names = [f"_k{i}" for i in range(len(keys))]
    parts = frame.with_columns(
        [col(found, k).alias(n) for k, n in zip(keys, names, strict=True)]
    ).select(names)
    distinct = parts.unique()
    out_d: list[str | None] = []
    out_v: list[str | None] = []
    out_i: list[str | None] = []
    for texts in distinct.iter_rows():
        if code_style == "kemendagri":
            d_code, v_code, issues = _kemendagri_regions(texts[0], texts[1], known_codes)
        elif code_style == "bps":
            d_code, v_code, issues = _bps_regions(
                (texts[0], texts[1]), (texts[2], texts[3]), regency=regency, lookup=lookup
            )
        else:
            d_code, v_code, issues = lookup(texts[0], texts[1])
        out_d.append(d_code)
        out_v.append(v_code)
        out_i.append(
            ",".join(json.dumps(i, ensure_ascii=False) for i in issues) if issues else None
        )
    resolved = distinct.with_columns(
        pl.Series("district_id", out_d, dtype=pl.String),
        pl.Series("village_id", out_v, dtype=pl.String),
        pl.Series("region_issues", out_i, dtype=pl.String),
    )
    return parts.join(resolved, on=names, how="left", maintain_order="left", nulls_equal=True)

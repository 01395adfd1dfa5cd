"""Data set B for the verification benchmark: a second, independently written generator.

Set A (`generate.py`) is the set the matching engine was tuned on. Set B is written from the
fault-class table of issue 10, not from set A's code, with other fault rates and other
combinations, so that a figure measured on B says how the engine holds on lists it was never
tuned to. It gives the same files as set A (a `generate.Dataset`: the register CSV in the DTKS
layout, one CSV list per agency, the workers with their enrolments, the truth), so
`bench_verify.py --dataset b` runs the same product paths on it.

What is different from A, on purpose:
- households built as head, spouse and children (children born 18-38 years after the head),
  so a relative's NIK points to someone of the same card, village and often the same family
  name, and relatives look alike;
- a fifth of the people handed in are missing from the register (A: a quarter), and 8 % of the
  people are handed in twice and 1 % three times, by different agencies (A: 5 %, twice);
- the NIK faults of the issue, drawn per row at B's own rates: blank, a relative's NIK from
  the same family card, the KK number, a NIK cut short (12-15 digits), scientific notation
  ("3,50412E+15" or "3.504123E+15"), a one-digit typo or an adjacent swap alone or combined
  with Excel's lost last digit (the last digit a 0); a person's second and third rows get a
  hard NIK fault far more often;
- birth-date faults: blank, the year alone, a year typo (one digit changed), day and month
  swapped; name faults: a token dropped, a token dropped plus a typo, a typo, a token added, a
  title or degree, an old spelling; sex blank or wrong; an address in another district;
- every row carries its fault class (`fault`: the non-empty kinds joined by "+", or "clean").

All lists are CSV (two layouts, some with a "No KK" column); the Excel faults are in the text
as a spreadsheet saved as CSV leaves them. Seeded: the same sizes and seed give the same
files. Cached under /tmp by a key of the sizes, the seed and this file's source.

    python scripts/verifybench/generate_b.py --register 20000 --rows 2000 --self-check
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from lindung.demo import names_data as names  # noqa: E402
from verifybench.generate import REGISTER_HEADER, Dataset, Sizes  # noqa: E402

CACHE_ROOT = Path("/tmp")  # noqa: S108 - a cache of public synthetic data
VERSION = 1
WILAYAH = ROOT / "lindung" / "data" / "wilayah"
OCCUPATIONS = ROOT / "lindung" / "programs" / "data" / "occupations.csv"
REGENCY = "35.04"
AS_OF = dt.date(2025, 6, 30)

ABSENT_SHARE = 0.20  # of the people handed in
TWICE_SHARE = 0.08
THRICE_SHARE = 0.01
AGENCIES = 8
AGENCY_WEIGHTS = (0.22, 0.18, 0.15, 0.12, 0.11, 0.09, 0.07, 0.06)
KK_COLUMN = (0, 1, 3, 6)
KK_FILLED = 0.7

NIK_FAULTS = (
    ("nik_blank", 0.040),
    ("nik_relative", 0.020),
    ("nik_is_kk", 0.020),
    ("nik_short", 0.020),
    ("nik_scientific", 0.015),
    ("nik_typo_excel", 0.015),
    ("nik_swap_excel", 0.010),
    ("nik_typo", 0.040),
    ("nik_swap", 0.025),
)
REPEAT_BROKEN = 0.45  # a second or third row: this share gets a hard NIK fault
REPEAT_FAULTS = ("nik_blank", "nik_relative", "nik_is_kk", "nik_short", "nik_typo")
DATE_FAULTS = (
    ("date_blank", 0.04),
    ("date_year_only", 0.03),
    ("date_year_typo", 0.03),
    ("date_day_month_swapped", 0.015),
)
NAME_FAULTS = (
    ("name_drop_typo", 0.03),
    ("name_drop", 0.03),
    ("name_typo", 0.06),
    ("name_added", 0.02),
    ("name_title", 0.03),
    ("name_spelling", 0.03),
)
SEX_BLANK, SEX_WRONG = 0.05, 0.005
MOVED = 0.05

STATUS_SHARES = (("current", 0.10), ("previous", 0.15), ("dead", 0.008))  # of people handed in

LAYOUTS = (
    (",", ["No", "NIK", "Nama Lengkap", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin",
           "Alamat", "RT", "RW", "Desa/Kelurahan", "Kecamatan", "Pekerjaan", "No KK"],
     "%d-%m-%Y", ("Laki-laki", "Perempuan")),
    (";", ["NIK", "NAMA", "JK", "TGL_LAHIR", "ALAMAT", "DESA/KEL", "KEC", "PEKERJAAN", "NO KK"],
     "%d/%m/%Y", ("L", "P")),
)  # fmt: skip
SPELLINGS = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j"), ("kh", "ch"))
TITLES_M = ("H.", "Bpk.", "Drs.")
TITLES_F = ("Hj.", "Ibu", "Ny.")
DEGREES = (", S.Pd", ", S.E.", ", A.Md")


# -- population ------------------------------------------------------------------------------


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _pick(rng: np.random.Generator, items: Any, size: int) -> np.ndarray:
    pool = np.array(list(items), dtype=object)
    return pool[rng.integers(0, len(pool), size=size)]


def _names(rng: np.random.Generator, male: np.ndarray, family: np.ndarray) -> np.ndarray:
    n = len(male)
    m_first = _pick(rng, names.MALE_FIRST + names.MALE_FIRST_MODERN, n)
    f_first = _pick(rng, names.FEMALE_FIRST + names.FEMALE_FIRST_MODERN, n)
    m_single = _pick(rng, names.MALE_SINGLE + names.MALE_ISLAMIC, n)
    f_single = _pick(rng, names.FEMALE_SINGLE + names.FEMALE_ISLAMIC, n)
    f_last = _pick(rng, names.FEMALE_LAST, n)
    shape = rng.random(n)
    out = np.empty(n, dtype=object)
    for i in range(n):
        if male[i]:
            if shape[i] < 0.30:
                out[i] = m_single[i]
            elif shape[i] < 0.75:
                out[i] = f"{m_first[i]} {family[i]}"
            else:
                out[i] = f"{m_single[i]} {m_first[i]} {family[i]}"
        elif shape[i] < 0.35:
            out[i] = f_single[i]
        elif shape[i] < 0.80:
            out[i] = f"{f_first[i]} {f_last[i]}"
        else:
            out[i] = f"{f_first[i]} {f_single[i]} {f_last[i]}"
    return out


def population(total: int, rng: np.random.Generator) -> pl.DataFrame:
    villages = [
        (r["code"], r["district_code"], r["name"])
        for r in _csv(WILAYAH / "villages.csv")
        if r["code"].startswith(REGENCY + ".")
    ]
    districts = {
        r["code"]: r["name"]
        for r in _csv(WILAYAH / "districts.csv")
        if r["code"].startswith(REGENCY + ".")
    }
    sizes = rng.choice(np.arange(1, 8), size=total, p=(0.10, 0.18, 0.24, 0.24, 0.14, 0.06, 0.04))
    count = int(np.searchsorted(np.cumsum(sizes), total)) + 1
    household = np.repeat(np.arange(count), sizes[:count])[:total]
    position = np.concatenate([np.arange(s) for s in sizes[:count]])[:total]
    head_year = rng.integers(1950, 1988, size=count)
    head_male = rng.random(count) < 0.85
    year = np.where(
        position == 0,
        head_year[household],
        np.where(
            position == 1,
            head_year[household] + rng.integers(-3, 8, size=total),
            head_year[household] + rng.integers(18, 39, size=total),
        ),
    )
    year = np.clip(year, 1950, 2007)
    male = np.where(
        position == 0,
        head_male[household],
        np.where(position == 1, ~head_male[household], rng.random(total) < 0.5),
    )
    epoch = dt.date(1970, 1, 1)
    first_day = np.array([(dt.date(y, 1, 1) - epoch).days for y in range(1950, 2009)])
    birth = first_day[year - 1950] + rng.integers(0, 365, size=total)
    family = _pick(rng, names.MALE_LAST + names.MALE_SINGLE, count)[household]
    full = _names(rng, male, family)
    v_index = rng.integers(0, len(villages), size=count)[household]
    village = np.array([villages[i][0] for i in range(len(villages))], dtype=object)[v_index]
    district = np.array([villages[i][1] for i in range(len(villages))], dtype=object)[v_index]
    village_name = np.array([villages[i][2] for i in range(len(villages))], dtype=object)[v_index]
    # 10 % of NIKs were issued in another district of the regency (people move).
    issue = np.where(rng.random(total) < 0.10, _pick(rng, sorted(districts), total), district)
    occupations = [r["name"] for r in _csv(OCCUPATIONS)]
    frame = pl.DataFrame(
        {
            "person": np.arange(total, dtype=np.int64),
            "household": household.astype(np.int64),
            "position": position.astype(np.int64),
            "name": full.tolist(),
            "male": male,
            "birth_date": pl.Series(birth.astype(np.int32)).cast(pl.Date),
            "village": village.tolist(),
            "village_name": village_name.tolist(),
            "district": district.tolist(),
            "district_name": [districts[d] for d in district.tolist()],
            "issue": issue.tolist(),
            "birth_place": _pick(rng, [p for p, _ in names.BIRTH_PLACE_WEIGHTS], total).tolist(),
            "occupation": _pick(rng, occupations, total).tolist(),
            "dusun": _pick(rng, names.DUSUN_NAMES, count)[household].tolist(),
            "rt": rng.integers(1, 16, size=count)[household],
            "rw": rng.integers(1, 9, size=count)[household],
            "desil": rng.integers(1, 11, size=total).astype(np.int16),
        }
    )
    day = pl.col("birth_date").dt.day() + pl.when(pl.col("male")).then(0).otherwise(40)
    frame = frame.with_columns(
        sex=pl.when(pl.col("male")).then(pl.lit("L")).otherwise(pl.lit("P")),
        prefix=pl.col("issue").str.replace_all(".", "", literal=True)
        + day.cast(pl.String).str.zfill(2)
        + pl.col("birth_date").dt.strftime("%m%y"),
    )
    offset = pl.Series(rng.integers(1, 40, size=total))
    frame = frame.with_columns(offset=offset).with_columns(
        serial=(pl.int_range(pl.len()).over("prefix") + pl.col("offset").min().over("prefix"))
    )
    frame = frame.with_columns(nik=pl.col("prefix") + pl.col("serial").cast(pl.String).str.zfill(4))
    # The family card: the household's district, an issue date, a serial.
    cards = pl.DataFrame(
        {
            "household": np.arange(count, dtype=np.int64),
            "kk_issued": pl.Series(
                [AS_OF - dt.timedelta(days=int(d)) for d in rng.integers(30, 7000, size=count)],
                dtype=pl.Date,
            ),
        }
    )
    heads = frame.filter(pl.col("position") == 0).select("household", "district")
    cards = cards.join(heads, on="household").with_columns(
        kk_prefix=pl.col("district").str.replace_all(".", "", literal=True)
        + pl.col("kk_issued").dt.strftime("%d%m%y")
    )
    cards = cards.with_columns(
        kk=pl.col("kk_prefix")
        + (pl.int_range(pl.len()).over("kk_prefix") + 101).cast(pl.String).str.zfill(4)
    )
    return frame.join(cards.select("household", "kk"), on="household", how="left").drop(
        "prefix", "offset", "serial", "male"
    )


def write_register(register: pl.DataFrame, path: Path) -> None:
    values = [
        pl.col("register_id"),
        pl.lit("JAWA TIMUR"),
        pl.lit("KAB. TULUNGAGUNG"),
        pl.col("district_name").str.to_uppercase(),
        pl.col("village_name").str.to_uppercase(),
        ("DSN. " + pl.col("dusun").str.to_uppercase()),
        pl.col("rt").cast(pl.String).str.zfill(3),
        pl.col("rw").cast(pl.String).str.zfill(3),
        pl.col("kk"),
        pl.col("nik"),
        pl.col("name").str.to_uppercase(),
        pl.col("birth_place").str.to_uppercase(),
        pl.col("birth_date").dt.strftime("%d-%m-%Y"),
        pl.when(pl.col("sex") == "L").then(pl.lit("LAKI-LAKI")).otherwise(pl.lit("PEREMPUAN")),
        pl.col("occupation").str.to_uppercase(),
        pl.col("desil"),
        pl.lit("PADAN DUKCAPIL"),
    ]
    header = REGISTER_HEADER.split(";")
    out = register.select(v.alias(h) for v, h in zip(values, header, strict=True))
    out.write_csv(path, separator=";", quote_style="necessary")


# -- faults ----------------------------------------------------------------------------------


def _draw(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for kind, share in table:
        if roll < share:
            return kind
        roll -= share
    return "none"


def _typo_digit(nik: str, rng: random.Random) -> str:
    at = rng.randrange(len(nik))
    digit = rng.choice([d for d in "0123456789" if d != nik[at]])
    return nik[:at] + digit + nik[at + 1 :]


def _swap_digits(nik: str, rng: random.Random) -> str:
    spots = [i for i in range(len(nik) - 1) if nik[i] != nik[i + 1]]
    if not spots:
        return _typo_digit(nik, rng)
    at = rng.choice(spots)
    return nik[:at] + nik[at + 1] + nik[at] + nik[at + 2 :]


def nik_fault(kind: str, nik: str, kk: str, relative: str, rng: random.Random) -> str:
    if kind == "nik_blank":
        return ""
    if kind == "nik_relative":
        return relative
    if kind == "nik_is_kk":
        return kk
    if kind == "nik_short":
        return nik[: rng.randint(12, 15)]
    if kind == "nik_scientific":
        if rng.random() < 0.6:
            return f"{nik[0]},{nik[1:6]}E+15"
        return f"{nik[0]}.{nik[1:7]}E+15"
    if kind == "nik_typo_excel":
        return _typo_digit(nik[:15], rng) + "0"
    if kind == "nik_swap_excel":
        return _swap_digits(nik[:15], rng) + "0"
    if kind == "nik_typo":
        return _typo_digit(nik, rng)
    if kind == "nik_swap":
        return _swap_digits(nik, rng)
    return nik


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + rng.choice("aiu")
    at = rng.randrange(1, len(word))
    how = rng.random()
    if how < 0.35:
        return word[:at] + word[at + 1 :]
    if how < 0.70:
        return word[:at] + rng.choice("aiueonrst") + word[at + 1 :]
    if at < len(word) - 1:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word + word[-1]


def name_fault(kind: str, name: str, male: bool, rng: random.Random) -> tuple[str, str]:
    tokens = name.split()
    if kind in ("name_drop", "name_drop_typo"):
        if len(tokens) < 2:
            kind = "name_typo" if kind == "name_drop_typo" else "none"
        else:
            del tokens[rng.randrange(len(tokens))]
            if kind == "name_drop_typo":
                at = rng.randrange(len(tokens))
                tokens[at] = _typo(tokens[at], rng)
            return kind, " ".join(tokens)
    if kind == "name_typo":
        at = rng.randrange(len(tokens))
        tokens[at] = _typo(tokens[at], rng)
        return kind, " ".join(tokens)
    if kind == "name_added":
        extra = rng.choice(names.MALE_LAST if male else names.FEMALE_LAST)
        return kind, " ".join([*tokens, extra] if rng.random() < 0.7 else [extra, *tokens])
    if kind == "name_title":
        if rng.random() < 0.6:
            return kind, f"{rng.choice(TITLES_M if male else TITLES_F)} {name}"
        return kind, name + rng.choice(DEGREES)
    if kind == "name_spelling":
        lower = name.lower()
        for modern, old in SPELLINGS:
            if modern in lower:
                return kind, _respell(name, modern, old)
        return "none", name
    return "none", name


def _respell(name: str, modern: str, old: str) -> str:
    at = name.lower().find(modern)
    if at < 0:
        return name
    piece = old if name[at].islower() else old.capitalize()
    return name[:at] + piece + name[at + len(modern) :]


def date_fault(kind: str, born: dt.date, rng: random.Random, fmt: str) -> tuple[str, str]:
    if kind == "date_blank":
        return kind, ""
    if kind == "date_year_only":
        return kind, str(born.year)
    if kind == "date_year_typo":
        digits = list(str(born.year))
        at = rng.choice((2, 3))
        digits[at] = rng.choice([d for d in "0123456789" if d != digits[at]])
        year = int("".join(digits))
        if year > 2007:
            year -= 10
        try:
            return kind, born.replace(year=year).strftime(fmt)
        except ValueError:  # 29 February
            return kind, born.replace(year=year, day=28).strftime(fmt)
    if kind == "date_day_month_swapped":
        if born.day <= 12 and born.day != born.month:
            return kind, dt.date(born.year, born.day, born.month).strftime(fmt)
        return "none", born.strftime(fmt)
    return "none", born.strftime(fmt)


# -- submissions -----------------------------------------------------------------------------


def submissions(
    people: pl.DataFrame, in_register: np.ndarray, sizes: Sizes, rng: np.random.Generator
) -> pl.DataFrame:
    py = random.Random(sizes.seed * 31 + 5)  # noqa: S311 - test data, not secrets
    n_people = round(sizes.rows / (1 + TWICE_SHARE + 2 * THRICE_SHARE))
    n_absent = round(n_people * ABSENT_SHARE)
    present = np.flatnonzero(in_register)
    absent = np.flatnonzero(~in_register)
    chosen = np.concatenate(
        [
            rng.choice(present, size=n_people - n_absent, replace=False),
            rng.choice(absent, size=n_absent, replace=False),
        ]
    )
    rng.shuffle(chosen)
    n_thrice = round(n_people * THRICE_SHARE)
    n_twice = sizes.rows - n_people - 2 * n_thrice
    repeats = np.concatenate([chosen[: n_twice + n_thrice], chosen[n_twice : n_twice + n_thrice]])
    persons = np.concatenate([chosen, repeats])[: sizes.rows]
    copy = np.concatenate(
        [np.zeros(len(chosen), np.int64), np.ones(n_twice + n_thrice, np.int64),
         np.full(n_thrice, 2, np.int64)]
    )[: sizes.rows]  # fmt: skip
    weights = np.array(AGENCY_WEIGHTS)
    slots = rng.choice(AGENCIES, size=len(persons), p=weights / weights.sum())
    used: dict[int, set[int]] = {}
    for i, person in enumerate(persons.tolist()):
        taken = used.setdefault(person, set())
        while int(slots[i]) in taken:
            slots[i] = rng.integers(0, AGENCIES)
        taken.add(int(slots[i]))

    relatives = (
        people.group_by("household", maintain_order=True)
        .agg(pl.col("person"), pl.col("nik"))
        .filter(pl.col("person").list.len() > 1)
    )
    family = {h: dict(zip(p, k, strict=True)) for h, p, k in relatives.iter_rows()}
    by_district: dict[str, list[tuple[str, str, str]]] = {}
    for v, v_name, d, d_name in (
        people.select("village", "village_name", "district", "district_name")
        .unique()
        .sort("village")
        .iter_rows()
    ):
        by_district.setdefault(d, []).append((v, v_name, d_name))
    district_list = sorted(by_district)
    picked = people.select(pl.all().gather(pl.Series(persons)))

    out: list[dict[str, Any]] = []
    for i, row in enumerate(picked.iter_rows(named=True)):
        slot = int(slots[i])
        fmt = LAYOUTS[slot % 2][2]
        male = row["sex"] == "L"
        if copy[i] > 0 and py.random() < REPEAT_BROKEN:
            nik_kind = py.choice(REPEAT_FAULTS)
        else:
            nik_kind = _draw(py, NIK_FAULTS)
        others = [k for p, k in family.get(row["household"], {}).items() if p != row["person"]]
        if nik_kind == "nik_relative" and not others:
            nik_kind = "nik_typo"
        nik = nik_fault(nik_kind, row["nik"], row["kk"], py.choice(others) if others else "", py)
        name_kind, name = name_fault(_draw(py, NAME_FAULTS), row["name"], male, py)
        if py.random() < 0.08:
            name = name.upper()
        date_kind, born = date_fault(_draw(py, DATE_FAULTS), row["birth_date"], py, fmt)
        roll = py.random()
        sex_kind = "sex_blank" if roll < SEX_BLANK else (
            "sex_wrong" if roll < SEX_BLANK + SEX_WRONG else "none"
        )  # fmt: skip
        sex = {"sex_blank": "", "sex_wrong": "P" if male else "L"}.get(sex_kind, row["sex"])
        village, village_name = row["village"], row["village_name"]
        district, district_name = row["district"], row["district_name"]
        region_kind = "none"
        if py.random() < MOVED:
            region_kind = "moved"
            district = py.choice([d for d in district_list if d != row["district"]])
            village, village_name, district_name = py.choice(by_district[district])
        kk = row["kk"] if slot in KK_COLUMN and py.random() < KK_FILLED else ""
        kinds = [k for k in (nik_kind, date_kind, name_kind) if k != "none"]
        out.append(
            {
                "slot": slot,
                "person": row["person"],
                "copy": int(copy[i]),
                "second": bool(copy[i] > 0),
                "fault": "+".join(kinds) if kinds else "clean",
                "nik_kind": nik_kind,
                "name_kind": name_kind,
                "date_kind": date_kind,
                "sex_kind": sex_kind,
                "region_kind": region_kind,
                "nik_written": nik,
                "name_written": name,
                "birth_date_written": born,
                "sex_written": sex,
                "village_written": village,
                "village_name_written": village_name,
                "district_written": district,
                "district_name_written": district_name,
                "kk_written": kk,
                "birth_place": row["birth_place"],
                "dusun": row["dusun"],
                "rt": row["rt"],
                "rw": row["rw"],
                "occupation": row["occupation"],
            }
        )
    frame = pl.DataFrame(out, infer_schema_length=None)
    return frame.sample(fraction=1.0, shuffle=True, seed=sizes.seed + 1)


def write_lists(rows: pl.DataFrame, folder: Path) -> tuple[list[str], pl.DataFrame]:
    files, numbered = [], []
    for slot in range(AGENCIES):
        part = rows.filter(pl.col("slot") == slot)
        separator, header, _fmt, sexes = LAYOUTS[slot % 2]
        with_kk = slot in KK_COLUMN
        name = f"agency-b-{slot}.csv"
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=separator)
            writer.writerow(header if with_kk else header[:-1])
            for number, r in enumerate(part.iter_rows(named=True), start=1):
                sex = {"L": sexes[0], "P": sexes[1]}.get(r["sex_written"], "")
                rt, rw = f"{r['rt']:03d}", f"{r['rw']:03d}"
                if separator == ",":
                    line = [number, r["nik_written"], r["name_written"], r["birth_place"],
                            r["birth_date_written"], sex, f"Dsn. {r['dusun']}", rt, rw,
                            r["village_name_written"], r["district_name_written"],
                            r["occupation"]]  # fmt: skip
                else:
                    line = [r["nik_written"], r["name_written"], sex, r["birth_date_written"],
                            f"Dsn. {r['dusun']} RT {rt} RW {rw}", r["village_name_written"],
                            r["district_name_written"], r["occupation"]]  # fmt: skip
                if with_kk:
                    line.append(r["kk_written"])
                writer.writerow(line)
        files.append(name)
        numbered.append(part.with_columns(row_number=pl.int_range(pl.len(), dtype=pl.Int64) + 2))
    return files, pl.concat(numbered)


def workers(
    people: pl.DataFrame, rows: pl.DataFrame, sizes: Sizes, rng: np.random.Generator
) -> pl.DataFrame:
    submitted = rows.get_column("person").unique().sort().to_numpy()
    roll = rng.random(len(submitted))
    status = np.full(len(submitted), "", dtype=object)
    edge = 0.0
    for name, share in STATUS_SHARES:
        status[(roll >= edge) & (roll < edge + share)] = name
        edge += share
    known, known_status = submitted[status != ""], status[status != ""]
    others = np.setdiff1d(np.arange(people.height), submitted)
    extra = rng.choice(others, size=max(sizes.enrolments - len(known), 0), replace=False)
    roll = rng.random(len(extra))
    extra_status = np.where(roll < 0.01, "dead", np.where(roll < 0.5, "current", "previous"))
    frame = pl.DataFrame(
        {
            "person": np.concatenate([known, extra]).astype(np.int64),
            "status": np.concatenate([known_status, extra_status]).astype(str),
        }
    )
    return frame.join(
        people.select("person", "nik", "name", "birth_place", "birth_date", "sex", "village"),
        on="person",
    ).sort("person")


# -- all of it -------------------------------------------------------------------------------


def _build(sizes: Sizes, folder: Path, log: Any) -> dict[str, Any]:
    rng = np.random.default_rng(sizes.seed + 1_000_003)
    started = time.perf_counter()
    n_people = round(sizes.rows / (1 + TWICE_SHARE + 2 * THRICE_SHARE))
    n_absent = round(n_people * ABSENT_SHARE)
    total = sizes.register + 2 * n_absent  # half the absent people are never handed in
    people = population(total, rng)
    in_register = np.ones(total, bool)
    in_register[rng.choice(total, size=2 * n_absent, replace=False)] = False
    people = people.with_columns(in_register=pl.Series(in_register))
    register_ids = (pl.int_range(pl.len(), dtype=pl.Int64) * 7 + 350_490_000_000).cast(pl.String)
    register = people.filter(pl.col("in_register")).with_columns(register_id=register_ids)
    people = people.join(
        register.select("person", "register_id"), on="person", how="left", maintain_order="left"
    )
    log(f"  B: population of {people.height:,} in {time.perf_counter() - started:.1f} s")
    write_register(register, folder / "register.csv")
    rows = submissions(people, in_register, sizes, rng)
    files, rows = write_lists(rows, folder)
    known = workers(people, rows, sizes, rng)
    truth = (
        rows.drop("birth_place", "dusun", "rt", "rw", "occupation")
        .with_columns(nik_number=pl.lit(None, dtype=pl.Float64))
        .join(
            people.select(
                "person",
                "register_id",
                "household",
                pl.col("nik").alias("true_nik"),
                pl.col("kk").alias("true_kk"),
                pl.col("name").alias("true_name"),
                pl.col("birth_date").alias("true_birth_date"),
                pl.col("sex").alias("true_sex"),
                pl.col("district").alias("true_district"),
            ),
            on="person",
            how="left",
        )
        .join(known.select("person", pl.col("status").alias("known_as")), on="person", how="left")
    )
    truth.write_parquet(folder / "truth.parquet")
    people.write_parquet(folder / "people.parquet")
    known.write_parquet(folder / "workers.parquet")
    log(f"  B: {rows.height:,} rows in {len(files)} lists in {time.perf_counter() - started:.1f} s")
    return {
        "generator": "B",
        "sizes": asdict(sizes),
        "agency_files": files,
        "people": people.height,
        "register": register.height,
        "rows": rows.height,
        "workers": known.height,
        "noise": {
            column: dict(sorted(truth.get_column(column).value_counts().iter_rows()))
            for column in ("nik_kind", "name_kind", "date_kind", "sex_kind", "region_kind")
        },
        "second_rows": int(truth.get_column("second").sum()),
        "absent_rows": int(truth.get_column("register_id").is_null().sum()),
    }


def _key(sizes: Sizes) -> str:
    digest = hashlib.sha256(
        Path(__file__).read_bytes()
        + (ROOT / "lindung" / "demo" / "names_data.py").read_bytes()
        + json.dumps([VERSION, asdict(sizes)]).encode()
    )
    return digest.hexdigest()[:10]


def dataset(sizes: Sizes, *, log: Any = print, cache: Path = CACHE_ROOT) -> Dataset:
    """Set B's files for `sizes`, built once and cached."""
    stem = f"lindung-verifybench-b-{sizes.register}-{sizes.rows}-{sizes.seed}"
    folder = cache / f"{stem}-{_key(sizes)}"
    if not (folder / "meta.json").exists():
        for old in cache.glob(f"{stem}-*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp = folder.with_suffix(".part")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        started = time.perf_counter()
        meta = _build(sizes, tmp, log)
        meta["seconds"] = round(time.perf_counter() - started, 1)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        tmp.rename(folder)
        log(f"  data set B built in {meta['seconds']} s: {folder}")
    meta = json.loads((folder / "meta.json").read_text())
    return Dataset(
        folder=folder,
        register_csv=folder / "register.csv",
        agency_files=[folder / name for name in meta["agency_files"]],
        truth=folder / "truth.parquet",
        people=folder / "people.parquet",
        workers=folder / "workers.parquet",
        meta=meta,
    )


# -- self-check ------------------------------------------------------------------------------

ALL_CLASSES = {k for k, _ in NIK_FAULTS} | {k for k, _ in DATE_FAULTS} | {k for k, _ in NAME_FAULTS}


def check(data: Dataset) -> list[str]:
    """What is wrong with set B's files: every fault class present, the truth consistent with
    what was written. Empty when all is well."""
    problems = []
    truth = pl.read_parquet(data.truth)
    seen = set()
    for column in ("nik_kind", "date_kind", "name_kind"):
        seen |= set(truth.get_column(column).unique().to_list())
    if missing := ALL_CLASSES - seen:
        problems.append(f"fault classes absent: {sorted(missing)}")
    t = truth
    rules = {
        "nik_blank": pl.col("nik_written") == "",
        "nik_is_kk": pl.col("nik_written") == pl.col("true_kk"),
        "nik_short": (pl.col("nik_written").str.len_chars() < 16)
        & pl.col("true_nik").str.starts_with(pl.col("nik_written")),
        "nik_scientific": pl.col("nik_written").str.contains("E+15", literal=True),
        "nik_typo_excel": pl.col("nik_written").str.ends_with("0")
        & (pl.col("nik_written") != pl.col("true_nik")),
        "nik_typo": (pl.col("nik_written").str.len_chars() == 16)
        & (pl.col("nik_written") != pl.col("true_nik")),
        "nik_relative": pl.col("nik_written") != pl.col("true_nik"),
        "none": pl.col("nik_written") == pl.col("true_nik"),
    }
    for kind, rule in rules.items():
        bad = t.filter((pl.col("nik_kind") == kind) & ~rule).height
        if bad:
            problems.append(f"{bad} rows of {kind} do not show it")
    relatives = t.filter(pl.col("nik_kind") == "nik_relative").join(
        pl.read_parquet(data.people).select(
            pl.col("nik").alias("nik_written"), pl.col("household").alias("their_household")
        ),
        on="nik_written",
        how="left",
    )
    if relatives.filter(pl.col("their_household") != pl.col("household")).height:
        problems.append("a relative's NIK from another family card")
    year_only = t.filter(pl.col("date_kind") == "date_year_only")
    if year_only.filter(
        pl.col("birth_date_written") != pl.col("true_birth_date").dt.year().cast(pl.String)
    ).height:
        problems.append("a year-only date that is not the year")
    if t.filter(pl.col("date_kind") == "date_blank", pl.col("birth_date_written") != "").height:
        problems.append("a blank date that is not blank")
    absent = t.filter(pl.col("register_id").is_null()).height / t.height
    if not 0.1 < absent < 0.3:
        problems.append(f"absent share {absent:.2f}")
    repeated = t.group_by("person").agg(pl.len(), pl.col("slot").n_unique().alias("slots"))
    if repeated.filter(pl.col("len") != pl.col("slots")).height:
        problems.append("a person handed in twice by the same agency")
    if not repeated.filter(pl.col("len") == 3).height:
        problems.append("no person handed in three times")
    keys = t.select("slot", "row_number")
    if keys.unique().height != t.height:
        problems.append("(slot, row_number) not unique")
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in data.agency_files)
    if lines != t.height:
        problems.append(f"{lines} list lines for {t.height} truth rows")
    register_lines = sum(1 for _ in data.register_csv.open(encoding="utf-8")) - 1
    if register_lines != data.meta["register"]:
        problems.append("register size")
    if (
        t.filter(pl.col("fault") == "clean")
        .filter((pl.col("nik_kind") != "none") | (pl.col("name_kind") != "none"))
        .height
    ):
        problems.append("a clean row with a fault")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=4_000)
    parser.add_argument("--enrolments", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--self-check", action="store_true", help="build twice, compare, check")
    args = parser.parse_args()
    sizes = Sizes(args.register, args.rows, args.enrolments, args.seed)
    if not args.self_check:
        print(dataset(sizes).folder)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        first = dataset(sizes, log=lambda _t: None, cache=Path(one))
        second = dataset(sizes, log=lambda _t: None, cache=Path(two))
        problems = check(first)
        for a, b in zip(
            [first.register_csv, first.truth, *first.agency_files],
            [second.register_csv, second.truth, *second.agency_files],
            strict=True,
        ):
            if a.read_bytes() != b.read_bytes() and a.suffix == ".csv":
                problems.append(f"{a.name} differs between two builds of the same seed")
        if not pl.read_parquet(first.truth).equals(pl.read_parquet(second.truth)):
            problems.append("truth differs between two builds of the same seed")
        print(json.dumps(first.meta["noise"], indent=1))
    for problem in problems:
        print("PROBLEM:", problem)
    print("self-check:", "failed" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

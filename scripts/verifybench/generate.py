"""Seeded synthetic data for the verification benchmark, with the truth kept aside.

A population of Kabupaten Tulungagung (real Kemendagri district and village codes from
`lindung/data/wilayah`), living in households that share a family card (KK), with names drawn
from `lindung.demo.names_data` in the styles of `lindung.demo.generator` (one-word Javanese
names for the old, Islamic leads, modern names for the young, the old spelling and "H."/"Hj."
for some), birth dates 1960-2008 and NIKs composed as Dukcapil does: the district of first
issue (mostly where the person lives, some another district or a neighbouring regency), the
birth day (+40 for women), month, two-digit year and a serial unique per district of issue and
birth date. Most of the population is in the welfare register (DTKS layout, desil 1-10); the
rest are "absent" people.

Agencies hand in lists of people, about three quarters of them in the register, one quarter
absent, and about 5 % of the people are handed in by two agencies. Every row gets noise drawn
independently, each kind labelled in the truth: NIK slips (one digit substituted, two adjacent
digits swapped, a digit missing or extra), spreadsheet damage (a 16-digit number cell whose
last digit became 0, alone or after a slip -- in a CSV list saved from Excel, the same NIK as
16-digit text ending in 0; "3,50415E+15" as text), a woman's NIK without the +40, the KK number or a
family member's NIK in the NIK column, a blank NIK; name variants (old or modern spelling,
titles, "Moch."/"Muhammad", "Siti"/"St.", typos, a token missing or extra); a missing birth
date; a blank or wrong sex; an address in another district.

Some of these people (and others) were enrolled before: workers with an enrolment in this
year's program, last year's, or known dead.

Vectorised with numpy and polars (the population, NIKs, names, the register file); the noise
is a Python loop over the submitted rows only. Output files are cached under /tmp by a key of
the sizes, the seed and the source of this module and of the name lists.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
WILAYAH = ROOT / "lindung" / "data" / "wilayah"
OCCUPATIONS = ROOT / "lindung" / "programs" / "data" / "occupations.csv"
CACHE_ROOT = Path("/tmp")  # noqa: S108 - a cache of public synthetic data
VERSION = 3  # bump when the output changes in a way the source hash would not show

REGENCY = "35.04"
REGISTER_AS_OF = dt.date(2025, 6, 30)
BIRTH_FIRST = dt.date(1960, 1, 1)
BIRTH_LAST = dt.date(2008, 12, 31)
PROGRAM_YEAR = 2025

# People.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_WEIGHTS = (0.14, 0.20, 0.25, 0.22, 0.12, 0.07)
NIK_OTHER_DISTRICT = 0.12  # NIK issued in another district of the regency (moved since)
NIK_OTHER_REGENCY = 0.03  # ... or in a neighbouring regency
HAJJ_SHARE = 0.025  # "H."/"Hj." for people of 40 and over
PATRONYMIC_SHARE = 0.008
UPPER_CASE_SHARE = 0.05  # an agency copying the KTP writes capitals

# Submissions.
IN_REGISTER_SHARE = 0.75
TWICE_SHARE = 0.08  # people handed in by two agencies
AGENCY_SLOTS = 10
AGENCY_WEIGHTS = (0.20, 0.16, 0.14, 0.12, 0.10, 0.08, 0.05, 0.05, 0.05, 0.05)
XLSX_SLOTS = (0, 1, 2, 3)  # the others send CSV
KK_COLUMN_SLOTS = (0, 2, 4, 5, 7)  # lists with a "No KK" column
KK_FILLED = 0.6

# Noise, per row; each row gets at most one NIK noise, one name noise, and so on.
NIK_NOISE = (
    ("nik_substituted", 0.030),
    ("nik_swapped", 0.020),
    ("nik_missing_digit", 0.015),
    ("nik_extra_digit", 0.010),
    ("nik_excel_zero", 0.025),  # a number cell in xlsx; in CSV, text ending in 0 (below)
    ("nik_scientific", 0.005),
    ("nik_woman_no_40", 0.020),  # women only
    ("nik_is_kk", 0.010),
    ("nik_family_member", 0.012),  # a relative's NIK from the same family card
    ("nik_blank", 0.005),
    ("nik_typo_excel", 0.015),  # a typo or swap, then Excel's lost 16th digit (as above)
    ("nik_cut_short", 0.008),  # the first 12-14 digits only
)
# A CSV list that went through Excel (typed into number cells, then saved as CSV): its
# Excel-zeroed NIKs arrive as 16-digit text ending in 0. The share of CSV rows drawn an
# Excel kind that keep it (as text); the others stay clean.
CSV_FROM_EXCEL = 0.6
# The second row of a person handed in twice: this share gets a different or broken NIK.
SECOND_BROKEN = 0.45
SECOND_NOISE = (
    "nik_substituted", "nik_swapped", "nik_missing_digit", "nik_is_kk", "nik_family_member",
    "nik_blank", "nik_scientific", "nik_typo_excel", "nik_cut_short",
)  # fmt: skip
NAME_NOISE = (
    ("name_spelling", 0.05),  # old spelling written modern, or modern written old
    ("name_title", 0.04),
    ("name_moch", 0.03),
    ("name_siti", 0.02),
    ("name_typo", 0.08),
    ("name_missing_token", 0.03),
    ("name_extra_token", 0.03),
    ("name_drop_typo", 0.02),  # a token dropped and a typo in what is left
)
DATE_NOISE = (
    ("date_missing", 0.04),
    ("date_year_only", 0.025),  # only the year written ("1978")
    ("date_year_typo", 0.025),  # a slip in the year's last two digits
    ("date_day_month_swapped", 0.01),  # where the day could be a month
)
SEX_BLANK = 0.03
SEX_WRONG = 0.01
MOVED = 0.03  # the list gives an address in another district than the register's

# Enrolments.
ENROLLED_SHARE = 0.08  # of the people handed in: already in this year's program
PREVIOUS_SHARE = 0.20  # ... last year's participants
DEAD_SHARE = 0.005  # ... known dead


@dataclass(frozen=True)
class Sizes:
    register: int = 1_000_000
    rows: int = 100_000
    enrolments: int = 200_000
    seed: int = 2025

    def key(self) -> str:
        sources = b"".join(
            p.read_bytes()
            for p in (
                Path(__file__),
                ROOT / "lindung" / "demo" / "names_data.py",
                ROOT / "lindung" / "demo" / "generator.py",
            )
        )
        digest = hashlib.sha256(sources + json.dumps([VERSION, asdict(self)]).encode())
        return digest.hexdigest()[:10]


@dataclass(frozen=True)
class Dataset:
    folder: Path
    register_csv: Path
    agency_files: list[Path]  # one per agency slot
    truth: Path  # parquet, one line per submitted row
    people: Path  # parquet, the population
    workers: Path  # parquet, workers and their enrolments
    meta: dict[str, Any]


def dataset(sizes: Sizes, *, log: Any = print) -> Dataset:
    """The files for `sizes`, built once and cached under /tmp."""
    folder = (
        CACHE_ROOT / f"lindung-verifybench-{sizes.register}-{sizes.rows}-{sizes.seed}-{sizes.key()}"
    )
    done = folder / "meta.json"
    if not done.exists():
        for old in CACHE_ROOT.glob(
            f"lindung-verifybench-{sizes.register}-{sizes.rows}-{sizes.seed}-*"
        ):
            shutil.rmtree(old, ignore_errors=True)
        tmp = folder.with_suffix(".part")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        started = time.perf_counter()
        meta = _build(sizes, tmp, log)
        meta["seconds"] = round(time.perf_counter() - started, 1)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        tmp.rename(folder)
        log(f"  data built in {meta['seconds']} s: {folder}")
    meta = json.loads(done.read_text())
    return Dataset(
        folder=folder,
        register_csv=folder / "register.csv",
        agency_files=[folder / name for name in meta["agency_files"]],
        truth=folder / "truth.parquet",
        people=folder / "people.parquet",
        workers=folder / "workers.parquet",
        meta=meta,
    )


# -- regions and word lists ----------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def regions() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Villages (code, district code, name) and districts {code: name} of the regency."""
    villages = [
        (r["code"], r["district_code"], r["name"])
        for r in _read_csv(WILAYAH / "villages.csv")
        if r["code"].startswith(REGENCY + ".")
    ]
    districts = {
        r["code"]: r["name"]
        for r in _read_csv(WILAYAH / "districts.csv")
        if r["code"].startswith(REGENCY + ".")
    }
    return villages, districts


def _occupation_names() -> list[str]:
    return [r["name"] for r in _read_csv(OCCUPATIONS)]


def _obj(values: Any) -> np.ndarray:
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


# -- the population ------------------------------------------------------------------------


def _strs(values: np.ndarray) -> pl.Series:
    return pl.Series(values.tolist(), dtype=pl.String)


def _days(start: dt.date, end: dt.date) -> tuple[int, int]:
    epoch = dt.date(1970, 1, 1)
    return (start - epoch).days, (end - epoch).days


def _households(rng: np.random.Generator, people: int, n_villages: int) -> dict[str, np.ndarray]:
    sizes = rng.choice(HOUSEHOLD_SIZES, size=people // 2 + 10, p=HOUSEHOLD_WEIGHTS)
    count = int(np.searchsorted(np.cumsum(sizes), people)) + 1
    sizes = sizes[:count]
    member_of = np.repeat(np.arange(count), sizes)[:people]
    village = rng.integers(0, n_villages, size=count)
    first, last = _days(REGISTER_AS_OF - dt.timedelta(days=20 * 365), REGISTER_AS_OF)
    issued = rng.integers(first, last + 1, size=count)
    return {"member_of": member_of, "village": village, "kk_issued": issued}


def _with_serial(frame: pl.DataFrame, group: str, rng: np.random.Generator, gap: int) -> pl.Series:
    n = frame.height
    helper = pl.DataFrame(
        {
            "group": frame.get_column(group),
            "order": rng.random(n),
            "step": rng.integers(1, gap + 1, size=n).astype(np.int32),
            "i": np.arange(n),
        }
    )
    ranked = helper.sort(["group", "order"]).with_columns(
        serial=pl.col("step").cum_sum().over("group")
    )
    return ranked.sort("i").get_column("serial")


def _date_parts(days: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    date = days.cast(pl.Date)
    return (
        date.dt.day().cast(pl.Int32),
        date.dt.month().cast(pl.String).str.zfill(2),
        (date.dt.year() % 100).cast(pl.String).str.zfill(2),
    )


def _names(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray) -> pl.DataFrame:
    """Names as people write them: `modern` before the old spelling, `name` after it (the
    spelling on the KTP, which the register copies)."""
    from lindung.demo import names_data as data
    from lindung.demo.generator import _COHORTS, old_spelling

    n = len(male)
    untils = np.array([c[0] for c in _COHORTS])
    style = np.searchsorted(untils, birth_year, side="right")
    shares = np.array([c[1:] for c in _COHORTS])  # single, islamic, two, old, modern
    single = shares[style, 0]
    islamic = single + shares[style, 1]
    two = islamic + shares[style, 2]
    old_share = shares[style, 3]
    modern_share = shares[style, 4]
    roll = rng.random(n)

    def pick(male_list: tuple[str, ...], female_list: tuple[str, ...]) -> np.ndarray:
        m = _obj(male_list)[rng.integers(0, len(male_list), size=n)]
        f = _obj(female_list)[rng.integers(0, len(female_list), size=n)]
        return np.where(male, m, f)

    def modern_or_not(plain: tuple[tuple[str, ...], tuple[str, ...]], modern: Any) -> np.ndarray:
        use_modern = rng.random(n) < modern_share
        return np.where(use_modern, pick(*modern), pick(*plain))

    single_w = pick(data.MALE_SINGLE, data.FEMALE_SINGLE)
    lead = pick(data.MALE_ISLAMIC_LEAD, data.FEMALE_ISLAMIC_LEAD)
    abdul = _obj(data.ABDUL_NAMES)[rng.integers(0, len(data.ABDUL_NAMES), size=n)]
    islamic_w = np.where(lead == "Abdul", abdul, pick(data.MALE_ISLAMIC, data.FEMALE_ISLAMIC))
    first = modern_or_not(
        (data.MALE_FIRST, data.FEMALE_FIRST), (data.MALE_FIRST_MODERN, data.FEMALE_FIRST_MODERN)
    )
    last = modern_or_not(
        (data.MALE_LAST, data.FEMALE_LAST), (data.MALE_LAST_MODERN, data.FEMALE_LAST_MODERN)
    )
    middle = pick(data.MALE_MIDDLE, data.FEMALE_MIDDLE)
    three_islamic = rng.random(n) < 0.5

    kind_single = roll < single
    kind_islamic = (roll >= single) & (roll < islamic)
    kind_two = (roll >= islamic) & (roll < two)
    kind_three = roll >= two
    none = np.full(n, None, dtype=object)
    w1 = np.where(
        kind_single,
        single_w,
        np.where(kind_islamic | (kind_three & three_islamic), lead, first),
    )
    w2 = np.where(
        kind_single,
        none,
        np.where(
            kind_islamic | (kind_three & three_islamic),
            islamic_w,
            np.where(kind_two, last, middle),
        ),
    )
    w3 = np.where(kind_three, last, none)
    frame = pl.DataFrame({"w1": _strs(w1), "w2": _strs(w2), "w3": _strs(w3)})
    frame = frame.with_columns(
        w2=pl.when(pl.col("w2") == pl.col("w1")).then(None).otherwise(pl.col("w2")),
        w3=pl.when((pl.col("w3") == pl.col("w1")) | (pl.col("w3") == pl.col("w2")))
        .then(None)
        .otherwise(pl.col("w3")),
    )
    base = frame.select(
        pl.concat_str(["w1", "w2", "w3"], separator=" ", ignore_nulls=True).alias("n")
    ).get_column("n")
    age = PROGRAM_YEAR - birth_year
    hajj = (age >= 40) & (rng.random(n) < HAJJ_SHARE)
    patronym = rng.random(n) < PATRONYMIC_SHARE
    father = _obj(data.MALE_SINGLE)[rng.integers(0, len(data.MALE_SINGLE), size=n)]
    modern = base.to_list()
    old_flag = rng.random(n) < old_share
    names: list[str] = []
    for i, text in enumerate(modern):
        if patronym[i]:
            text = f"{text} {'bin' if male[i] else 'binti'} {father[i]}"
        if hajj[i]:
            text = f"{'H.' if male[i] else 'Hj.'} {text}"
        modern[i] = text
        names.append(old_spelling(text) if old_flag[i] else text)
    return pl.DataFrame({"name": names, "modern": modern})


def population(sizes: Sizes, rng: np.random.Generator) -> pl.DataFrame:
    """Everyone: register people and absent people alike."""
    from lindung.demo import names_data as data
    from lindung.demo.generator import DEFAULT_BIRTH_PLACES

    villages, districts = regions()
    district_codes = sorted(districts)
    n = sizes.register + _absent_people(sizes)
    house = _households(rng, n, len(villages))
    v_code = _obj(v[0] for v in villages)
    v_district = _obj(v[1] for v in villages)
    v_name = _obj(v[2] for v in villages)
    home = house["village"][house["member_of"]]
    district = v_district[home]

    male = rng.random(n) < 0.5
    first, last = _days(BIRTH_FIRST, BIRTH_LAST)
    born = rng.integers(first, last + 1, size=n)

    # District of first issue of the NIK.
    where = rng.random(n)
    other_district = _obj(district_codes)[rng.integers(0, len(district_codes), size=n)]
    others = [c for c, _ in data.OTHER_REGENCIES if c != REGENCY]
    other_regency = _obj(
        f"{others[i]}.{d:02d}"
        for i, d in zip(
            rng.integers(0, len(others), size=n), rng.integers(1, 11, size=n), strict=True
        )
    )
    issued = np.where(
        where < NIK_OTHER_REGENCY,
        other_regency,
        np.where(where < NIK_OTHER_REGENCY + NIK_OTHER_DISTRICT, other_district, district),
    )
    frame = pl.DataFrame(
        {
            "person": np.arange(n, dtype=np.int64),
            "household": house["member_of"].astype(np.int64),
            "village": _strs(v_code[home]),
            "village_name": _strs(v_name[home]),
            "district": _strs(district),
            "born": born.astype(np.int32),
            "sex": np.where(male, "L", "P"),
            "issued": _strs(issued),
        }
    )
    frame = frame.with_columns(
        birth_date=pl.col("born").cast(pl.Date),
        district_name=pl.col("district").replace_strict(districts, return_dtype=pl.String),
        issue_digits=pl.col("issued").str.replace_all(".", "", literal=True),
        group=pl.col("issued") + pl.col("born").cast(pl.String),
    )
    frame = frame.with_columns(serial=_with_serial(frame, "group", rng, 3))
    day, month, year = _date_parts(pl.col("born"))
    frame = frame.with_columns(
        nik=pl.col("issue_digits")
        + pl.when(pl.col("sex") == "P").then(day + 40).otherwise(day).cast(pl.String).str.zfill(2)
        + month
        + year
        + pl.col("serial").cast(pl.String).str.zfill(4)
    )
    # Family cards: the domicile district, the issue date, a serial unique per both.
    cards = pl.DataFrame(
        {
            "household": np.arange(len(house["village"]), dtype=np.int64),
            "kk_district": _strs(v_district[house["village"]]),
            "kk_issued": house["kk_issued"].astype(np.int32),
        }
    )
    cards = cards.with_columns(group=pl.col("kk_district") + pl.col("kk_issued").cast(pl.String))
    cards = cards.with_columns(kk_serial=_with_serial(cards, "group", rng, 400))
    kday, kmonth, kyear = _date_parts(pl.col("kk_issued"))
    cards = cards.select(
        "household",
        kk=pl.col("kk_district").str.replace_all(".", "", literal=True)
        + kday.cast(pl.String).str.zfill(2)
        + kmonth
        + kyear
        + pl.col("kk_serial").cast(pl.String).str.zfill(4),
    )
    frame = frame.join(cards, on="household", how="left", maintain_order="left")
    names = _names(rng, male, frame.get_column("birth_date").dt.year().to_numpy())
    places = _obj(DEFAULT_BIRTH_PLACES)[rng.integers(0, len(DEFAULT_BIRTH_PLACES), size=n)]
    jobs = _obj(_occupation_names())
    from lindung.demo import names_data

    dusun = _obj(names_data.DUSUN_NAMES)[rng.integers(0, len(names_data.DUSUN_NAMES), size=n)]
    household_rt = rng.integers(1, 16, size=len(house["village"]))
    household_rw = rng.integers(1, 9, size=len(house["village"]))
    frame = frame.with_columns(
        names.get_column("name"),
        names.get_column("modern"),
        _strs(places).alias("birth_place"),
        _strs(jobs[rng.integers(0, len(jobs), size=n)]).alias("occupation"),
        _strs(dusun[house["member_of"]]).alias("address"),
        pl.Series("rt", household_rt[house["member_of"]]).cast(pl.String).str.zfill(3),
        pl.Series("rw", household_rw[house["member_of"]]).cast(pl.String).str.zfill(3),
        pl.Series("desil", rng.integers(1, 11, size=n).astype(np.int16)),
    )
    return frame.drop("group", "issue_digits", "born")


def _absent_people(sizes: Sizes) -> int:
    people = round(sizes.rows / (1 + TWICE_SHARE))
    return people - round(people * IN_REGISTER_SHARE)


# -- the register --------------------------------------------------------------------------

REGISTER_HEADER = (
    "ID DTKS;PROVINSI;KABUPATEN/KOTA;KECAMATAN;DESA/KELURAHAN;ALAMAT;RT;RW;NOMOR KK;NOMOR NIK;"
    "NAMA;TEMPAT LAHIR;TANGGAL LAHIR;JENIS KELAMIN;PEKERJAAN;DESIL;KETERANGAN PADAN"
)


def write_register(register: pl.DataFrame, path: Path) -> None:
    out = register.select(
        pl.col("register_id").alias("ID DTKS"),
        pl.lit("JAWA TIMUR").alias("PROVINSI"),
        pl.lit("KAB. TULUNGAGUNG").alias("KABUPATEN/KOTA"),
        pl.col("district_name").str.to_uppercase().alias("KECAMATAN"),
        pl.col("village_name").str.to_uppercase().alias("DESA/KELURAHAN"),
        ("DUSUN " + pl.col("address").str.to_uppercase()).alias("ALAMAT"),
        pl.col("rt").alias("RT"),
        pl.col("rw").alias("RW"),
        pl.col("kk").alias("NOMOR KK"),
        pl.col("nik").alias("NOMOR NIK"),
        pl.col("name").str.to_uppercase().alias("NAMA"),
        pl.col("birth_place").str.to_uppercase().alias("TEMPAT LAHIR"),
        pl.col("birth_date").dt.strftime("%d-%m-%Y").alias("TANGGAL LAHIR"),
        pl.when(pl.col("sex") == "L")
        .then(pl.lit("LAKI-LAKI"))
        .otherwise(pl.lit("PEREMPUAN"))
        .alias("JENIS KELAMIN"),
        pl.col("occupation").str.to_uppercase().alias("PEKERJAAN"),
        pl.col("desil").alias("DESIL"),
        pl.lit("PADAN DUKCAPIL").alias("KETERANGAN PADAN"),
    )
    assert ";".join(out.columns) == REGISTER_HEADER  # noqa: S101 - our own layout
    out.write_csv(path, separator=";", quote_style="necessary")


# -- noise ---------------------------------------------------------------------------------

_DIGITS = "0123456789"
MOCH = ("Muhammad", "Mochammad", "Moch.", "Moh.", "M.", "Mohammad", "Muhamad", "Much.", "Mukhamad")
AHMAD = ("Ahmad", "Achmad", "Akhmad")
MALE_TITLES = ("H.", "H.", "Drs.", "Ir.", "Bpk.")
FEMALE_TITLES = ("Hj.", "Hj.", "Dra.", "Ibu", "Ny.")
DEGREES = (", S.Pd.", ", S.E.", " S.Pd.I", ", A.Md.")


def nik_noise(kind: str, nik: str, *, kk: str, family: str | None, rng: random.Random) -> Any:
    """The NIK as written for one kind of noise: a string, a float (an Excel number cell)
    or None (blank)."""
    if kind == "nik_substituted":
        pos = rng.randrange(16)
        digit = rng.choice([d for d in _DIGITS if d != nik[pos]])
        return nik[:pos] + digit + nik[pos + 1 :]
    if kind == "nik_swapped":
        spots = [i for i in range(15) if nik[i] != nik[i + 1]]
        pos = rng.choice(spots)
        return nik[:pos] + nik[pos + 1] + nik[pos] + nik[pos + 2 :]
    if kind == "nik_missing_digit":
        pos = rng.randrange(16)
        return nik[:pos] + nik[pos + 1 :]
    if kind == "nik_extra_digit":
        pos = rng.randrange(17)
        digit = nik[pos - 1] if pos and rng.random() < 0.5 else rng.choice(_DIGITS)
        return nik[:pos] + digit + nik[pos:]
    if kind == "nik_excel_zero":
        return float(int(nik[:15] + "0"))
    if kind == "nik_typo_excel":
        slip = "nik_swapped" if rng.random() < 0.4 else "nik_substituted"
        # The slip lands in the digits Excel keeps (the 16th is lost anyway).
        while (typed := nik_noise(slip, nik, kk=kk, family=family, rng=rng))[:15] == nik[:15]:
            pass
        return float(int(typed[:15] + "0"))
    if kind == "nik_cut_short":
        return nik[: rng.choice((12, 13, 14, 14))]
    if kind == "nik_scientific":
        return f"{nik[0]},{nik[1:6]}E+15"
    if kind == "nik_woman_no_40":
        return nik[:6] + f"{int(nik[6:8]) - 40:02d}" + nik[8:]
    if kind == "nik_is_kk":
        return kk
    if kind == "nik_family_member":
        return family
    if kind == "nik_blank":
        return None
    return nik


def _tokens(name: str) -> list[str]:
    return name.split(" ")


def name_noise(kind: str, name: str, modern: str, male: bool, rng: random.Random) -> str | None:
    """The name as written for one kind of noise, or None when that kind does not apply."""
    from lindung.demo.generator import old_spelling

    words = _tokens(name)
    if kind == "name_spelling":
        if modern != name:
            return modern
        old = old_spelling(name)
        return old if old != name else None
    if kind == "name_title":
        titles = {"H.", "Hj."}
        if words[0] in titles:
            return " ".join(words[1:])
        if rng.random() < 0.2:
            return name + rng.choice(DEGREES)
        return f"{rng.choice(MALE_TITLES if male else FEMALE_TITLES)} {name}"
    if kind == "name_moch":
        for i, word in enumerate(words[:2]):
            for family in (MOCH, AHMAD):
                if word in family:
                    words[i] = rng.choice([w for w in family if w != word])
                    return " ".join(words)
        return None
    if kind == "name_siti":
        for i, word in enumerate(words[:2]):
            if word in ("Siti", "St."):
                words[i] = "St." if word == "Siti" else "Siti"
                return " ".join(words)
        return None
    if kind == "name_typo":
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not spots:
            return None
        i = rng.choice(spots)
        word = words[i]
        pos = rng.randrange(1, len(word) - 1)
        how = rng.random()
        if how < 0.3:  # neighbours swapped
            word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
        elif how < 0.55:  # a letter dropped
            word = word[:pos] + word[pos + 1 :]
        elif how < 0.75:  # a letter doubled
            word = word[:pos] + word[pos] + word[pos:]
        else:  # a vowel written as another (Sutrisno/Sutrisna, Wahyudi/Wahyodi)
            vowels = [j for j, ch in enumerate(word) if ch in "aeiou" and j]
            if not vowels:
                return None
            j = rng.choice(vowels)
            word = word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1 :]
        words[i] = word
        return " ".join(words)
    if kind == "name_drop_typo":
        dropped = name_noise("name_missing_token", name, modern, male, rng)
        return None if dropped is None else name_noise("name_typo", dropped, modern, male, rng)
    if kind == "name_missing_token":
        plain = [i for i, w in enumerate(words) if not w.endswith(".")]
        if len(plain) < 2:
            return None
        drop = rng.choice(plain[1:]) if rng.random() < 0.8 else plain[0]
        return " ".join(w for i, w in enumerate(words) if i != drop)
    if kind == "name_extra_token":
        from lindung.demo import names_data as data

        if rng.random() < 0.5:
            father = rng.choice(data.MALE_SINGLE)
            return f"{name} {'bin' if male else 'binti'} {father}"
        extra = rng.choice(data.MALE_MIDDLE if male else data.FEMALE_MIDDLE)
        return f"{words[0]} {extra} {' '.join(words[1:])}".strip()
    return None


def date_noise(kind: str, born: dt.date, rng: random.Random) -> tuple[dt.date | None, int | None]:
    """The birth date as written for one kind of noise, and the year when only the year is
    written; (None, None) for a blank date or a kind that does not apply."""
    if kind == "none":
        return born, None
    if kind == "date_year_only":
        return None, born.year
    if kind == "date_day_month_swapped":
        if born.day > 12 or born.day == born.month:
            return None, None
        return born.replace(day=born.month, month=born.day), None
    if kind == "date_year_typo":
        tens, ones = divmod(born.year % 100, 10)
        for _ in range(10):
            roll = rng.random()
            if roll < 0.3 and tens != ones:  # the two digits swapped: 1978 -> 1987
                tens_, ones_ = ones, tens
            elif roll < 0.7:
                tens_, ones_ = tens, rng.choice([d for d in range(10) if d != ones])
            else:
                tens_, ones_ = rng.choice([d for d in range(10) if d != tens]), ones
            year = born.year - born.year % 100 + tens_ * 10 + ones_
            with contextlib.suppress(ValueError):  # 29 February
                typed = born.replace(year=year)
                if typed <= REGISTER_AS_OF:
                    return typed, None
        return None, None
    return None, None


def _draw(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for kind, share in table:
        if roll < share:
            return kind
        roll -= share
    return "none"


# -- submissions ---------------------------------------------------------------------------


def submissions(
    people: pl.DataFrame, register_mask: np.ndarray, sizes: Sizes, rng: np.random.Generator
) -> pl.DataFrame:
    """One line per submitted row with the values as written and the noise labels."""
    py = random.Random(sizes.seed + 7)  # noqa: S311 - test data, not secrets
    n_people = round(sizes.rows / (1 + TWICE_SHARE))
    in_register = np.flatnonzero(register_mask)
    absent = np.flatnonzero(~register_mask)
    chosen = np.concatenate(
        [rng.choice(in_register, size=n_people - len(absent), replace=False), absent]
    )
    rng.shuffle(chosen)
    twice = chosen[: sizes.rows - n_people]
    persons = np.concatenate([chosen, twice])
    second = np.concatenate([np.zeros(len(chosen), bool), np.ones(len(twice), bool)])
    weights = np.array(AGENCY_WEIGHTS)
    slot = rng.choice(AGENCY_SLOTS, size=len(persons), p=weights / weights.sum())
    # A second row comes from another agency than the first.
    first_slot = dict(zip(chosen.tolist(), slot[: len(chosen)].tolist(), strict=True))
    for i in range(len(chosen), len(persons)):
        while slot[i] == first_slot[int(persons[i])]:
            slot[i] = rng.integers(0, AGENCY_SLOTS)

    cols = ["person", "nik", "kk", "name", "modern", "sex", "birth_date", "household"]
    picked = people.select(pl.col(cols).gather(pl.Series(persons)))
    household_niks = people.group_by("household").agg(pl.col("person"), pl.col("nik"))
    family = {
        h: dict(zip(p, k, strict=True))
        for h, p, k in household_niks.filter(pl.col("person").list.len() > 1).iter_rows()
    }
    villages, districts = regions()
    by_district: dict[str, list[tuple[str, str]]] = {}
    for code, district, name in villages:
        by_district.setdefault(district, []).append((code, name))
    home = people.select(
        pl.col("village", "village_name", "district", "district_name").gather(pl.Series(persons))
    )

    out: list[dict[str, Any]] = []
    for i, row in enumerate(picked.iter_rows(named=True)):
        is_second = bool(second[i])
        is_xlsx = int(slot[i]) in XLSX_SLOTS
        male = row["sex"] == "L"
        if is_second and py.random() < SECOND_BROKEN:
            nik_kind = py.choice(SECOND_NOISE)
        else:
            nik_kind = _draw(py, NIK_NOISE)
        from_excel_csv = False
        if nik_kind in ("nik_excel_zero", "nik_typo_excel") and not is_xlsx:
            from_excel_csv = py.random() < CSV_FROM_EXCEL
            nik_kind = nik_kind if from_excel_csv else "none"
        if nik_kind == "nik_woman_no_40" and male:
            nik_kind = "none"
        relatives = family.get(row["household"], {})
        others = [k for p, k in relatives.items() if p != row["person"]]
        if nik_kind == "nik_family_member" and not others:
            nik_kind = "nik_substituted"
        nik = nik_noise(
            nik_kind,
            row["nik"],
            kk=row["kk"],
            family=py.choice(others) if others else None,
            rng=py,
        )
        if from_excel_csv:
            # Saved as CSV from Excel: the number written out in full, as text.
            nik = f"{int(nik)}"
        name_kind = _draw(py, NAME_NOISE)
        name = name_noise(name_kind, row["name"], row["modern"], male, py) if name_kind else None
        if name is None:
            name_kind, name = "none", row["name"]
        if py.random() < UPPER_CASE_SHARE:
            name = name.upper()
        date_kind = _draw(py, DATE_NOISE)
        born, year_written = date_noise(date_kind, row["birth_date"], py)
        if born is None and year_written is None and date_kind != "date_missing":
            date_kind, born = "none", row["birth_date"]
        sex_roll = py.random()
        sex_kind = (
            "sex_blank"
            if sex_roll < SEX_BLANK
            else "sex_wrong"
            if sex_roll < SEX_BLANK + SEX_WRONG
            else "none"
        )
        sex = {"sex_blank": "", "sex_wrong": "P" if male else "L"}.get(sex_kind, row["sex"])
        village, village_name, district, district_name = home.row(i)
        region_kind = "none"
        if py.random() < MOVED:
            region_kind = "moved"
            district = py.choice([d for d in by_district if d != district])
            village, village_name = py.choice(by_district[district])
            district_name = districts[district]
        kk_written = ""
        if int(slot[i]) in KK_COLUMN_SLOTS and py.random() < KK_FILLED:
            kk_written = row["kk"]
        out.append(
            {
                "slot": int(slot[i]),
                "person": row["person"],
                "second": is_second,
                "nik_written": None if nik is None else str(nik) if isinstance(nik, str) else nik,
                "nik_kind": nik_kind,
                "name_written": name,
                "name_kind": name_kind,
                "birth_date_written": born,
                "birth_year_written": year_written,
                "date_kind": date_kind,
                "sex_written": sex,
                "sex_kind": sex_kind,
                "village_written": village,
                "village_name_written": village_name,
                "district_written": district,
                "district_name_written": district_name,
                "region_kind": region_kind,
                "kk_written": kk_written,
            }
        )
    frame = pl.DataFrame(
        [{**r, "nik_written": None} for r in out],
        schema_overrides={
            "birth_date_written": pl.Date,
            "birth_year_written": pl.Int64,
            "nik_written": pl.String,
        },
        infer_schema_length=None,
    )
    # Keep the cell type of the NIK: text, or a number for an Excel-damaged cell.
    written = [r["nik_written"] for r in out]
    frame = frame.with_columns(
        nik_written=pl.Series(
            [w if isinstance(w, str) else None for w in written], dtype=pl.String
        ),
        nik_number=pl.Series(
            [w if isinstance(w, float) else None for w in written], dtype=pl.Float64
        ),
    )
    # Rows in a random order within each list (people handed in twice are not all on top).
    return frame.sample(fraction=1.0, shuffle=True, seed=sizes.seed)


# -- agency files --------------------------------------------------------------------------

CSV_LAYOUTS = (
    # separator, header, date format, sex words
    (";", ["NIK", "NAMA", "JK", "TGL_LAHIR", "ALAMAT", "DESA/KEL", "KEC", "PEKERJAAN", "NO KK"],
     "%d/%m/%Y", ("L", "P")),
    (",", ["No", "NIK", "Nama Lengkap", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Alamat",
           "RT", "RW", "Desa/Kelurahan", "Kecamatan", "Pekerjaan", "No KK"],
     "%d-%m-%Y", ("Laki-laki", "Perempuan")),
)  # fmt: skip
XLSX_HEADER = [
    "No", "NIK", "Nama Lengkap", "Tempat Lahir", "Tgl Lahir", "L/P", "Alamat", "RT", "RW",
    "Desa/Kel", "Kecamatan", "Pekerjaan", "No KK",
]  # fmt: skip


def _cells(row: dict[str, Any], person: dict[str, Any], number: int) -> dict[str, Any]:
    return {
        "No": number,
        "NIK": row["nik_number"] if row["nik_number"] is not None else row["nik_written"],
        "NAMA": row["name_written"],
        "Tempat Lahir": person["birth_place"],
        "date": row["birth_date_written"],
        "year": row["birth_year_written"],
        "sex": row["sex_written"],
        "Alamat": f"Dsn. {person['address']}",
        "RT": person["rt"],
        "RW": person["rw"],
        "Desa": row["village_name_written"],
        "Kecamatan": row["district_name_written"],
        "Pekerjaan": person["occupation"],
        "No KK": row["kk_written"],
    }


def write_agency_files(
    rows: pl.DataFrame, people: pl.DataFrame, folder: Path
) -> tuple[list[str], pl.DataFrame]:
    """One file per agency slot; returns the file names and `rows` with their `row_number`
    (the spreadsheet row, 1-based, as intake reports it)."""
    names: list[str] = []
    numbered: list[pl.DataFrame] = []
    extra = people.select("person", "birth_place", "address", "rt", "rw", "occupation")
    for slot in range(AGENCY_SLOTS):
        part = rows.filter(pl.col("slot") == slot).join(
            extra, on="person", how="left", maintain_order="left"
        )
        with_kk = slot in KK_COLUMN_SLOTS
        if slot in XLSX_SLOTS:
            name = f"agency-{slot}.xlsx"
            first_row = 3  # a title row, then the header
            _write_xlsx(part, folder / name, with_kk=with_kk)
        else:
            name = f"agency-{slot}.csv"
            first_row = 2
            _write_csv(part, folder / name, CSV_LAYOUTS[slot % 2], with_kk=with_kk)
        names.append(name)
        numbered.append(
            part.select(rows.columns).with_columns(
                row_number=pl.int_range(pl.len(), dtype=pl.Int64) + first_row
            )
        )
    return names, pl.concat(numbered)


def _write_csv(part: pl.DataFrame, path: Path, layout: Any, *, with_kk: bool) -> None:
    separator, header, date_format, sexes = layout
    if not with_kk:
        header = header[:-1]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator)
        writer.writerow(header)
        for number, row in enumerate(part.iter_rows(named=True), start=1):
            c = _cells(row, row, number)
            born = c["date"].strftime(date_format) if c["date"] else str(c["year"] or "")
            sex = {"L": sexes[0], "P": sexes[1]}.get(c["sex"], "")
            nik = c["NIK"] or ""
            if separator == ";":
                line = [nik, c["NAMA"], sex, born, c["Alamat"], f"Ds. {c['Desa']}",
                        c["Kecamatan"], c["Pekerjaan"]]  # fmt: skip
            else:
                line = [number, nik, c["NAMA"], c["Tempat Lahir"], born, sex, c["Alamat"],
                        c["RT"], c["RW"], c["Desa"], c["Kecamatan"], c["Pekerjaan"]]  # fmt: skip
            if with_kk:
                line.append(c["No KK"])
            writer.writerow(line)


def _write_xlsx(part: pl.DataFrame, path: Path, *, with_kk: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["DAFTAR CALON PESERTA BPJS KETENAGAKERJAAN PEKERJA RENTAN TAHUN 2025"])
    header = XLSX_HEADER if with_kk else XLSX_HEADER[:-1]
    ws.append(header)
    for number, row in enumerate(part.iter_rows(named=True), start=1):
        c = _cells(row, row, number)
        nik = WriteOnlyCell(ws, value=c["NIK"])
        if isinstance(c["NIK"], str):
            nik.number_format = "@"
        born = WriteOnlyCell(ws, value=c["date"] or c["year"])
        if c["date"]:
            born.number_format = "DD-MM-YYYY"
        kk = WriteOnlyCell(ws, value=c["No KK"] or None)
        kk.number_format = "@"
        line = [number, nik, c["NAMA"], c["Tempat Lahir"], born, c["sex"] or None, c["Alamat"],
                c["RT"], c["RW"], c["Desa"], c["Kecamatan"], c["Pekerjaan"]]  # fmt: skip
        if with_kk:
            line.append(kk)
        ws.append(line)
    wb.save(path)


# -- workers and enrolments ----------------------------------------------------------------


def workers(
    people: pl.DataFrame, rows: pl.DataFrame, sizes: Sizes, rng: np.random.Generator
) -> pl.DataFrame:
    """Workers known before this run (one enrolment each): `status` "current" (this year's
    program, active), "previous" (last year's, ended) or "dead" (last year's, ended by death,
    died_on set)."""
    submitted = rows.get_column("person").unique().sort().to_numpy()
    roll = rng.random(len(submitted))
    status = np.where(
        roll < DEAD_SHARE,
        "dead",
        np.where(
            roll < DEAD_SHARE + ENROLLED_SHARE,
            "current",
            np.where(roll < DEAD_SHARE + ENROLLED_SHARE + PREVIOUS_SHARE, "previous", ""),
        ),
    )
    known = submitted[status != ""]
    known_status = status[status != ""]
    rest = sizes.enrolments - len(known)
    others = np.setdiff1d(np.arange(people.height), submitted)
    extra = rng.choice(others, size=max(rest, 0), replace=False)
    roll = rng.random(len(extra))
    extra_status = np.where(roll < DEAD_SHARE, "dead", np.where(roll < 0.45, "current", "previous"))
    frame = pl.DataFrame(
        {
            "person": np.concatenate([known, extra]).astype(np.int64),
            "status": np.concatenate([known_status, extra_status]),
        }
    )
    return frame.join(
        people.select("person", "nik", "name", "birth_place", "birth_date", "sex", "village"),
        on="person",
        how="left",
    ).sort("person")


# -- all of it -----------------------------------------------------------------------------


def _build(sizes: Sizes, folder: Path, log: Any) -> dict[str, Any]:
    rng = np.random.default_rng(sizes.seed)
    t0 = time.perf_counter()
    people = population(sizes, rng)
    register_mask = np.ones(people.height, bool)
    register_mask[rng.choice(people.height, size=_absent_people(sizes), replace=False)] = False
    people = people.with_columns(in_register=pl.Series(register_mask))
    register = (
        people.filter(pl.col("in_register"))
        .with_columns(register_id=(pl.int_range(pl.len(), dtype=pl.Int64) + 350_400_000_000))
        .with_columns(pl.col("register_id").cast(pl.String))
    )
    people = people.join(
        register.select("person", "register_id"), on="person", how="left", maintain_order="left"
    )
    log(f"  population of {people.height:,} in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    write_register(register, folder / "register.csv")
    log(f"  register.csv ({register.height:,} rows) in {time.perf_counter() - t1:.1f} s")
    t1 = time.perf_counter()
    rows = submissions(people, register_mask, sizes, rng)
    log(f"  {rows.height:,} submitted rows with noise in {time.perf_counter() - t1:.1f} s")
    t1 = time.perf_counter()
    files, rows = write_agency_files(rows, people, folder)
    log(f"  {len(files)} agency files in {time.perf_counter() - t1:.1f} s")
    known = workers(people, rows, sizes, rng)
    truth = rows.join(
        people.select(
            "person",
            "register_id",
            pl.col("nik").alias("true_nik"),
            pl.col("name").alias("true_name"),
            pl.col("birth_date").alias("true_birth_date"),
            pl.col("sex").alias("true_sex"),
            pl.col("district").alias("true_district"),
        ),
        on="person",
        how="left",
    ).join(known.select("person", pl.col("status").alias("known_as")), on="person", how="left")
    truth.write_parquet(folder / "truth.parquet")
    people.drop("modern").write_parquet(folder / "people.parquet")
    known.write_parquet(folder / "workers.parquet")
    return {
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

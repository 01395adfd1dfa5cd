"""Seeded synthetic Indonesian workers for the demo and for benchmarks.

No real person: names are random combinations of common words (lindung.demo.names_data), NIKs
and family-card numbers are composed, not copied. The same seed and arguments always give the
same workers (``random.Random`` is stable across Python versions for ``random()``), so a demo
database or a benchmark input can be rebuilt exactly. Pure Python and fast enough to stream a
1.000.000-row register extract (``iter_workers``).
"""

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from lindung.demo import names_data as data
from lindung.domain.nik import Sex, compose_nik

DEFAULT_BIRTH_PLACES: tuple[str, ...] = tuple(
    place for place, weight in data.BIRTH_PLACE_WEIGHTS for _ in range(weight)
)

# A NIK keeps the district of first issue (lindung.domain.nik), so people who moved since carry
# another district's code: matching must not expect the NIK district to be the domicile.
OTHER_DISTRICT_SHARE = 0.10
OTHER_REGENCY_SHARE = 0.03
OTHER_REGENCY_DISTRICTS = 10  # "xx.yy.01".."xx.yy.10": every listed regency has at least 10
BORN_IN_FIRST_REGENCY = 0.6  # someone first registered in Kediri was most likely born there

PHONE_SHARE = 0.85
UPPER_CASE_SHARE = 0.05  # copied from the KTP, which prints names in capitals
HAJJ_TITLE_SHARE = 0.025  # among people of 40 and over: about 1% of everyone
HAJJ_MIN_AGE = 40
PATRONYMIC_SHARE = 0.008  # "... bin Kasmuri": rare on agency forms
KK_YEARS_BACK = 20  # a family card is reissued on every change, so most are recent
SERIAL_MAX = 9999

# Name style by birth year, born before ``until``: share of one-word names, of "Islamic lead +
# name" ("Muhammad Rizki", "Siti Aminah"), of other two-word names (the rest have three words),
# of old (pre-1972) spelling, and of names given mostly since the 1990s.
_COHORTS: tuple[tuple[int, float, float, float, float, float], ...] = (
    # until, single, islamic, two-word, old spelling, modern
    (1960, 0.65, 0.12, 0.21, 0.30, 0.00),
    (1970, 0.55, 0.14, 0.28, 0.18, 0.00),
    (1980, 0.38, 0.17, 0.37, 0.04, 0.10),
    (1990, 0.22, 0.18, 0.45, 0.00, 0.30),
    (10_000, 0.07, 0.20, 0.45, 0.00, 0.60),
)

# Pre-1972 spelling, the reverse of lindung.domain.names._modernise: oe for u, dj for j, tj for
# c, ch for kh, and j for a consonant y (so sy becomes sj). Not for the y of "ty"/"dy", which
# would read as the old "tj"/"dj" ("Prasetyo" is no "Prasetjo" = "Prasecho"), nor for a vowel y
# ("Benny"). One pass, so a "j" made from "y" stays a "j".
_OLD_LETTERS = str.maketrans({"u": "oe", "U": "Oe", "j": "dj", "J": "Dj", "c": "tj", "C": "Tj"})
_OLD_Y = re.compile(r"(?<![tdTD])[yY](?=[aeiouAEIOU])")
_VILLAGE_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_PADDED = tuple(f"{n:03d}" for n in range(16))

_Random = Callable[[], float]  # random.Random.random, bound once per call


@dataclass(frozen=True, slots=True)
class SyntheticWorker:
    nik: str  # 16 digits, consistent with birth_date, sex and the district of first issue
    name: str  # as a person writes it on a form
    birth_place: str
    birth_date: date
    sex: str  # "L" or "P"
    address: str
    rt: str  # "001".."015"
    rw: str  # "001".."008"
    village_code: str  # domicile, "35.04.02.2001"
    district_code: str  # domicile, "35.04.02"
    occupation: str
    phone: str  # "" for about 15%
    kk: str  # 16 digits: domicile district, issue date DDMMYY, serial


@dataclass(frozen=True, slots=True)
class _Style:
    until: int
    single: float  # cumulative thresholds on one random() draw
    islamic: float
    two: float
    old_spelling: float
    modern: float


@dataclass(frozen=True, slots=True)
class _Names:
    single: tuple[str, ...]
    first: tuple[str, ...]
    first_modern: tuple[str, ...]
    last: tuple[str, ...]
    last_modern: tuple[str, ...]
    middle: tuple[str, ...]
    islamic_lead: tuple[str, ...]
    islamic: tuple[str, ...]
    title: str


_STYLES = tuple(
    _Style(until, single, single + islamic, single + islamic + two, old, modern)
    for until, single, islamic, two, old, modern in _COHORTS
)
_NAMES: dict[str, _Names] = {
    "L": _Names(
        data.MALE_SINGLE,
        data.MALE_FIRST,
        data.MALE_FIRST_MODERN,
        data.MALE_LAST,
        data.MALE_LAST_MODERN,
        data.MALE_MIDDLE,
        data.MALE_ISLAMIC_LEAD,
        data.MALE_ISLAMIC,
        "H.",
    ),
    "P": _Names(
        data.FEMALE_SINGLE,
        data.FEMALE_FIRST,
        data.FEMALE_FIRST_MODERN,
        data.FEMALE_LAST,
        data.FEMALE_LAST_MODERN,
        data.FEMALE_MIDDLE,
        data.FEMALE_ISLAMIC_LEAD,
        data.FEMALE_ISLAMIC,
        "Hj.",
    ),
}


def old_spelling(word: str) -> str:
    """Write a modern name in the spelling of before 1972: "Suparman" -> "Soeparman",
    "Joko" -> "Djoko", "Cahyono" -> "Tjahjono", "Khotimah" -> "Chotimah"."""
    # An existing "ch" ("Achmad", "Moch.") is already old spelling: keep it from becoming "tjh".
    word = word.replace("ch", "\0").replace("Ch", "\1").translate(_OLD_LETTERS)
    word = _OLD_Y.sub(lambda y: "j" if y[0] == "y" else "J", word)
    return word.replace("\0", "ch").replace("\1", "Ch").replace("kh", "ch").replace("Kh", "Ch")


def generate_workers(
    *,
    seed: int,
    count: int,
    villages: Sequence[tuple[str, str]],
    occupations: Sequence[str],
    as_of: date,
    min_age: int = 18,
    max_age: int = 64,
    birth_places: Sequence[str] = DEFAULT_BIRTH_PLACES,
) -> list[SyntheticWorker]:
    """``count`` synthetic workers living in ``villages`` ((code, name) of one regency, or of
    one province).

    Ages at ``as_of`` are ``min_age``..``max_age``; ``birth_places`` is drawn uniformly, so a
    place listed more often is more common. See ``iter_workers``.
    """
    return list(
        iter_workers(
            seed=seed,
            count=count,
            villages=villages,
            occupations=occupations,
            as_of=as_of,
            min_age=min_age,
            max_age=max_age,
            birth_places=birth_places,
        )
    )


def iter_workers(
    *,
    seed: int,
    count: int,
    villages: Sequence[tuple[str, str]],
    occupations: Sequence[str],
    as_of: date,
    min_age: int = 18,
    max_age: int = 64,
    birth_places: Sequence[str] = DEFAULT_BIRTH_PLACES,
) -> Iterator[SyntheticWorker]:
    """Stream the workers ``generate_workers`` returns, one at a time (same seed, same rows).

    NIKs are unique within one call; family-card numbers are random and may rarely repeat,
    as they do for members of one family. Arguments are checked here, before the first row.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, not {count}")
    if not 0 <= min_age <= max_age <= 99:
        # The NIK writes two year digits: a span over a century could not be read back.
        raise ValueError(f"need 0 <= min_age <= max_age <= 99, not {min_age}..{max_age}")
    if not villages or not occupations or not birth_places:
        raise ValueError("villages, occupations and birth_places must not be empty")
    for code, _name in villages:
        # One regency's villages, or (for lists of workers living all over a province) one
        # province's: the regency of the first village only decides who is "born elsewhere".
        if not _VILLAGE_CODE.fullmatch(code) or code[:2] != villages[0][0][:2]:
            raise ValueError(f"village code {code!r} is not a village of {villages[0][0][:2]}")
    return _iterate(
        random.Random(seed),
        count,
        tuple(villages),
        tuple(occupations),
        as_of,
        min_age,
        max_age,
        tuple(birth_places),
    )


class _Frame(NamedTuple):
    """What every row of one call draws from, worked out once before the first row."""

    homes: tuple[tuple[str, str, str], ...]  # village code, village name, district code
    districts: tuple[str, ...]
    elsewhere: tuple[tuple[str, str], ...]  # another regency's district, its birth place
    nik_codes: dict[str, str]  # district code -> its six NIK digits
    male_share: tuple[float, ...]  # by occupation
    first_day: int  # ordinal of the earliest birth date
    days: int  # number of possible birth dates
    styles: dict[int, _Style]  # name style by birth year
    kk_dates: tuple[str, ...]  # family-card issue dates as the KK number writes them


def _frame(
    villages: tuple[tuple[str, str], ...],
    occupations: tuple[str, ...],
    as_of: date,
    min_age: int,
    max_age: int,
) -> _Frame:
    regency = villages[0][0][:5]
    homes = tuple((code, name, code[:8]) for code, name in villages)
    districts = tuple(dict.fromkeys(home[2] for home in homes))  # input order: deterministic
    elsewhere = tuple(
        (f"{code}.{n:02d}", place)
        for code, place in data.OTHER_REGENCIES
        if code != regency
        for n in range(1, OTHER_REGENCY_DISTRICTS + 1)
    )
    # Born on as_of's date max_age + 1 years ago would be max_age + 1 today: start a day later.
    first_day = _years_before(as_of, max_age + 1).toordinal() + 1
    kk_first_day = _years_before(as_of, KK_YEARS_BACK).toordinal()
    return _Frame(
        homes=homes,
        districts=districts,
        elsewhere=elsewhere,
        nik_codes={
            code: code.replace(".", "") for code in (*districts, *(d for d, _ in elsewhere))
        },
        male_share=tuple(_male_share(occupation) for occupation in occupations),
        first_day=first_day,
        days=_years_before(as_of, min_age).toordinal() - first_day + 1,
        styles={year: _style(year) for year in range(as_of.year - max_age - 1, as_of.year + 1)},
        kk_dates=tuple(
            f"{day:%d%m%y}"
            for day in map(date.fromordinal, range(kk_first_day, as_of.toordinal() + 1))
        ),
    )


def _iterate(
    rng: random.Random,
    count: int,
    villages: tuple[tuple[str, str], ...],
    occupations: tuple[str, ...],
    as_of: date,
    min_age: int,
    max_age: int,
    birth_places: tuple[str, ...],
) -> Iterator[SyntheticWorker]:
    rand = rng.random
    # Unpacked into locals: the loop below runs up to a million times, and a local is read
    # faster than an attribute.
    homes, districts, elsewhere, nik_codes, male_share, first_day, days, styles, kk_dates = _frame(
        villages, occupations, as_of, min_age, max_age
    )
    birth_codes: dict[int, str] = {}  # day ordinal * 2 + (1 for women) -> NIK digits 7-12
    last_serial: dict[str, int] = {}  # NIK digits 1-12 -> last serial given

    for _ in range(count):
        village_code, village_name, district = homes[int(rand() * len(homes))]
        job = int(rand() * len(occupations))
        sex: Sex = "L" if rand() < male_share[job] else "P"
        born_day = first_day + int(rand() * days)
        birth_date = date.fromordinal(born_day)
        birth_place = birth_places[int(rand() * len(birth_places))]

        where = rand()
        nik_district = district
        if where < OTHER_REGENCY_SHARE and elsewhere:
            nik_district, home = elsewhere[int(rand() * len(elsewhere))]
            if rand() < BORN_IN_FIRST_REGENCY:
                birth_place = home
        elif where < OTHER_REGENCY_SHARE + OTHER_DISTRICT_SHARE and len(districts) > 1:
            while nik_district == district:
                nik_district = districts[int(rand() * len(districts))]

        # compose_nik writes the birth date and sex part (women's day + 40); it is the same for
        # every district and serial, so it is worked out once per date and sex. Integer keys:
        # hashing a tuple on every row costs more.
        day_sex = born_day * 2 + (sex == "P")
        birth_code = birth_codes.get(day_sex)
        if birth_code is None:
            nik = compose_nik(district=district, birth_date=birth_date, sex=sex, serial=1)
            birth_code = birth_codes[day_sex] = nik[6:12]
        # Dukcapil numbers people of one district, birth date and sex from 0001 on; small
        # gaps stand for the people of that group who are not in this list.
        group = f"{nik_codes[nik_district]}{birth_code}"  # NIK digits 1-12
        serial = last_serial.get(group, 0) + 1 + int(rand() * 3)
        if serial > SERIAL_MAX:
            serial = last_serial[group] + 1
            if serial > SERIAL_MAX:
                raise ValueError(f"more than {SERIAL_MAX} people share NIK {group}: widen ages")
        last_serial[group] = serial

        # Positional, in field order: 13 keyword arguments cost a third more per row.
        yield SyntheticWorker(
            f"{group}{serial:04d}",
            _name(rand, sex, styles[birth_date.year], as_of.year - birth_date.year),
            birth_place,
            birth_date,
            sex,
            _address(rand, village_name),
            _PADDED[1 + int(rand() * 15)],  # rt
            _PADDED[1 + int(rand() * 8)],  # rw
            village_code,
            district,
            occupations[job],
            _phone(rand) if rand() < PHONE_SHARE else "",
            # The family card is issued where the family lives now, not where the NIK was.
            f"{nik_codes[district]}{kk_dates[int(rand() * len(kk_dates))]}"
            f"{1 + int(rand() * SERIAL_MAX):04d}",
        )


def _style(year: int) -> _Style:
    return next(style for style in _STYLES if year < style.until)


def _name(rand: _Random, sex: str, style: _Style, age: int) -> str:
    names = _NAMES[sex]
    roll = rand()
    if roll < style.single:
        name = _pick(rand, names.single)
    elif roll < style.islamic:
        name = " ".join(_islamic(rand, names))
    else:
        modern = style.modern
        first = _pick(rand, names.first_modern if rand() < modern else names.first)
        last = _pick(rand, names.last_modern if rand() < modern else names.last)
        if roll < style.two:
            name = first if first == last else f"{first} {last}"  # no "Putri Putri"
        elif rand() < 0.5:  # "Muhammad Rizki Pratama", "Siti Nur Hidayah"
            name = " ".join(dict.fromkeys((*_islamic(rand, names), last)))
        else:  # "Dimas Adi Saputra"
            name = " ".join(dict.fromkeys((first, _pick(rand, names.middle), last)))
    if rand() < style.old_spelling:
        name = old_spelling(name)
    if age >= HAJJ_MIN_AGE and rand() < HAJJ_TITLE_SHARE:
        name = f"{names.title} {name}"
    if rand() < PATRONYMIC_SHARE:
        name = f"{name} {'bin' if sex == 'L' else 'binti'} {_pick(rand, data.MALE_SINGLE)}"
    return name.upper() if rand() < UPPER_CASE_SHARE else name


def _islamic(rand: _Random, names: _Names) -> tuple[str, str]:
    lead = _pick(rand, names.islamic_lead)
    return lead, _pick(rand, data.ABDUL_NAMES if lead == "Abdul" else names.islamic)


def _address(rand: _Random, village: str) -> str:
    pick = _pick  # short: used on every line below
    roll = rand()
    number = 1 + int(rand() * 60)
    if roll < 0.30:
        return f"Dusun {pick(rand, data.DUSUN_NAMES)}"
    if roll < 0.50:
        return f"Dsn. {pick(rand, data.DUSUN_NAMES)}"
    if roll < 0.55:
        return f"Dsn {pick(rand, data.DUSUN_NAMES)}"
    if roll < 0.60:
        return pick(rand, data.DUSUN_NAMES)
    if roll < 0.70:
        return f"Jl. Raya {village} No. {number}"
    if roll < 0.85:
        return f"Jl. {pick(rand, data.STREET_NAMES)} No. {number}"
    if roll < 0.90:
        return f"Jl. {pick(rand, data.STREET_NAMES)} Gg. {1 + int(rand() * 9)} No. {number}"
    if roll < 0.95:
        return f"Ds. {village}"
    block = "ABCDEFGH"[int(rand() * 8)]
    return f"Perum {pick(rand, data.HOUSING_ESTATES)} Blok {block}-{number}"


def _phone(rand: _Random) -> str:
    """A mobile number written the way people do: mostly plain, else grouped or +62."""
    prefix = _pick(rand, data.PHONE_PREFIXES)
    roll = rand()
    length = 7 if roll < 0.15 else 9 if roll < 0.25 else 8  # 11, 13 or (mostly) 12 digits
    rest = f"{int(rand() * 10**length):0{length}d}"
    head, tail = (rest[:3], rest[3:]) if length == 7 else (rest[:4], rest[4:])  # 0812-345-6789
    style = rand()
    if style < 0.55:
        return prefix + rest
    if style < 0.75:
        return f"{prefix}-{head}-{tail}"
    if style < 0.82:
        return f"{prefix} {head} {tail}"
    if style < 0.92:
        return f"+62{prefix[1:]}{rest}"
    if style < 0.97:
        return f"62{prefix[1:]}{rest}"
    return f"+62 {prefix[1:]}-{head}-{tail}"


def _pick(rand: _Random, options: Sequence[str]) -> str:
    # random.choice costs several times more than one random() call, and this runs ~10 times
    # a row; float precision is ample for lists of a few hundred.
    return options[int(rand() * len(options))]


def _male_share(occupation: str) -> float:
    lowered = occupation.lower()
    for keyword, share in data.OCCUPATION_MALE_SHARE:
        if keyword in lowered:
            return share
    return data.DEFAULT_MALE_SHARE


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)

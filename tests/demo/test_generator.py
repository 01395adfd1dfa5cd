"""The synthetic worker generator: deterministic, and every row consistent with itself.

Villages are the real Tulungagung (35.04) villages of data/wilayah/villages.csv; NIKs are
read back with lindung.domain.nik.parse_nik, names with the word lists that made them.
"""

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from lindung.demo import names_data as data
from lindung.demo.generator import (
    DEFAULT_BIRTH_PLACES,
    OTHER_REGENCY_DISTRICTS,
    SyntheticWorker,
    generate_workers,
    iter_workers,
    old_spelling,
)
from lindung.domain.names import name_key
from lindung.domain.nik import parse_nik

WILAYAH = Path(__file__).resolve().parents[2] / "lindung" / "data" / "wilayah"
AS_OF = date(2026, 11, 22)
SEED = 20261122
COUNT = 5000
OCCUPATIONS = (
    "Nelayan",
    "Tukang Becak",
    "Pengemudi Ojek Online",
    "Pedagang Pasar",
    "Buruh Tani",
    "Perangkat Desa",
    "Kader Posyandu",
    "Buruh Pabrik Rokok",
)


def read_csv(name):
    with (WILAYAH / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def villages():
    return [
        (row["code"], row["name"])
        for row in read_csv("villages.csv")
        if row["code"][:6] == "35.04."
    ]


def generate(villages, **kwargs):
    arguments = {
        "seed": SEED,
        "count": COUNT,
        "villages": villages,
        "occupations": OCCUPATIONS,
        "as_of": AS_OF,
    }
    return generate_workers(**(arguments | kwargs))


@pytest.fixture(scope="module")
def workers(villages):
    return generate(villages)


def age(born, on=AS_OF):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


MALE_LISTS = (
    data.MALE_SINGLE,
    data.MALE_FIRST,
    data.MALE_FIRST_MODERN,
    data.MALE_LAST,
    data.MALE_LAST_MODERN,
    data.MALE_MIDDLE,
    data.MALE_ISLAMIC_LEAD,
    data.MALE_ISLAMIC,
    data.ABDUL_NAMES,
)
FEMALE_LISTS = (
    data.FEMALE_SINGLE,
    data.FEMALE_FIRST,
    data.FEMALE_FIRST_MODERN,
    data.FEMALE_LAST,
    data.FEMALE_LAST_MODERN,
    data.FEMALE_MIDDLE,
    data.FEMALE_ISLAMIC_LEAD,
    data.FEMALE_ISLAMIC,
)


def words_of(lists):
    """Every word of the lists, as written and in old spelling, upper case."""
    words = {word for words in lists for word in words}
    return {word.upper() for word in words} | {old_spelling(word).upper() for word in words}


MALE_WORDS = words_of(MALE_LISTS)
FEMALE_WORDS = words_of(FEMALE_LISTS)


def given_words(name):
    """The words of a generated name without a Hajj title and without "bin/binti father"."""
    words = name.upper().split()
    if words[0] in ("H.", "HJ."):
        words = words[1:]
    for marker in ("BIN", "BINTI"):
        if marker in words:
            words = words[: words.index(marker)]
    return words


# Determinism and size


def test_same_seed_gives_the_same_workers(villages, workers):
    assert generate(villages) == workers


def test_another_seed_gives_other_workers(villages, workers):
    other = generate(villages, seed=SEED + 1)
    assert other != workers
    assert len({w.nik for w in other} & {w.nik for w in workers}) < COUNT // 10


def test_iter_workers_streams_the_same_rows(villages, workers):
    streamed = iter_workers(
        seed=SEED, count=COUNT, villages=villages, occupations=OCCUPATIONS, as_of=AS_OF
    )
    assert list(streamed) == workers


@pytest.mark.parametrize("count", [0, 1, 7])
def test_count(villages, count):
    assert len(generate(villages, count=count)) == count


def test_rows_are_synthetic_workers(workers):
    assert len(workers) == COUNT
    assert all(isinstance(worker, SyntheticWorker) for worker in workers)


# NIK


def test_niks_are_unique(workers):
    assert len({worker.nik for worker in workers}) == COUNT


def test_every_nik_is_valid_and_agrees_with_birth_date_and_sex(workers):
    for worker in workers:
        result = parse_nik(worker.nik, as_of=AS_OF)
        assert result.valid, (worker, result.errors)
        assert result.warnings == (), (worker, result.warnings)  # district known, not cleaned
        assert result.birth_date == worker.birth_date
        assert result.sex == worker.sex


def test_nik_district_is_mostly_the_domicile(workers):
    where = Counter()
    for worker in workers:
        nik_district = f"{worker.nik[:2]}.{worker.nik[2:4]}.{worker.nik[4:6]}"
        if nik_district == worker.district_code:
            where["domicile"] += 1
        elif nik_district.startswith("35.04."):
            where["other district"] += 1
        else:
            where["other regency"] += 1
            regency, district = nik_district[:5], int(nik_district[6:])
            assert regency in dict(data.OTHER_REGENCIES)
            assert 1 <= district <= OTHER_REGENCY_DISTRICTS
    assert 0.83 < where["domicile"] / COUNT < 0.91
    assert 0.07 < where["other district"] / COUNT < 0.13
    assert 0.015 < where["other regency"] / COUNT < 0.045


def test_other_regency_districts_exist_in_kemendagri_table():
    districts = {row["code"] for row in read_csv("districts.csv")}
    for regency, _place in data.OTHER_REGENCIES:
        for number in range(1, OTHER_REGENCY_DISTRICTS + 1):
            assert f"{regency}.{number:02d}" in districts


def test_shared_birth_dates_get_the_next_serials(villages):
    # One village, one birth year, many people: groups of one district, date and sex are full.
    workers = generate(villages[:1], count=4000, min_age=30, max_age=30)
    assert len({worker.nik for worker in workers}) == 4000
    serials = Counter(worker.nik[:12] for worker in workers)
    assert max(serials.values()) > 5
    for worker in workers:
        assert parse_nik(worker.nik, as_of=AS_OF).valid


# Domicile, age and other fields


def test_villages_and_districts_come_from_the_list(villages, workers):
    known = dict(villages)
    for worker in workers:
        assert worker.village_code in known
        assert worker.district_code == worker.village_code[:8]
    assert len({worker.district_code for worker in workers}) == 19  # all of Tulungagung


def test_rt_and_rw_are_zero_padded(workers):
    for worker in workers:
        assert re.fullmatch(r"0(0[1-9]|1[0-5])", worker.rt)
        assert re.fullmatch(r"00[1-8]", worker.rw)


@pytest.mark.parametrize(("min_age", "max_age"), [(18, 64), (30, 30), (0, 99)])
def test_ages_stay_within_bounds(villages, min_age, max_age):
    workers = generate(villages, count=2000, min_age=min_age, max_age=max_age)
    ages = [age(worker.birth_date) for worker in workers]
    assert min(ages) >= min_age
    assert max(ages) <= max_age
    for worker in workers:
        assert parse_nik(worker.nik, as_of=AS_OF).birth_date == worker.birth_date


def test_ages_are_spread_over_the_range(workers):
    ages = Counter(age(worker.birth_date) for worker in workers)
    assert set(ages) == set(range(18, 65))


def test_birth_dates_survive_a_leap_day_as_of(villages):
    workers = generate(villages, count=500, as_of=date(2024, 2, 29))
    assert all(18 <= age(w.birth_date, date(2024, 2, 29)) <= 64 for w in workers)


def test_occupations_come_from_the_list_and_all_occur(workers):
    assert {worker.occupation for worker in workers} == set(OCCUPATIONS)


def test_sex_follows_the_occupation(workers):
    def share_of_men(occupation):
        group = [worker for worker in workers if worker.occupation == occupation]
        return sum(worker.sex == "L" for worker in group) / len(group)

    assert share_of_men("Tukang Becak") > 0.9
    assert share_of_men("Kader Posyandu") < 0.1


def test_birth_places(villages, workers):
    expected = set(DEFAULT_BIRTH_PLACES) | {place for _code, place in data.OTHER_REGENCIES}
    places = Counter(worker.birth_place for worker in workers)
    assert set(places) <= expected
    assert places.most_common(1)[0][0] == "Tulungagung"
    chosen = generate(villages, count=300, birth_places=("Kediri",))
    assert {worker.birth_place for worker in chosen} <= {"Kediri"} | {
        place for _code, place in data.OTHER_REGENCIES
    }


def test_addresses_are_filled(workers):
    for worker in workers:
        assert worker.address.strip() == worker.address
        assert worker.address
    assert any(worker.address.startswith("Dusun ") for worker in workers)
    assert any(worker.address.startswith("Jl. ") for worker in workers)


def phone_style(phone):
    if phone.startswith("+62 "):
        return "+62 dashes"  # +62 812-3456-7890
    if phone.startswith(("+62", "62")):
        return phone[: phone.index("8")]  # +6281234567890, 6281234567890
    if "-" in phone:
        return "dashes"  # 0812-3456-7890
    return "spaces" if " " in phone else "plain"  # 0812 3456 7890, 081234567890


def test_phones_are_indonesian_mobiles_written_in_various_ways(workers):
    phones = [worker.phone for worker in workers]
    assert 0.82 < sum(bool(phone) for phone in phones) / COUNT < 0.88
    styles = set()
    for phone in filter(None, phones):
        assert re.fullmatch(r"(\+62 ?|62|0)8[0-9 -]+", phone), phone
        digits = re.sub(r"[^0-9]", "", phone)
        local = "0" + digits[2:] if digits.startswith("62") else digits
        assert re.fullmatch(r"08[0-9]{9,11}", local), phone
        styles.add(phone_style(phone))
    assert styles == {"plain", "dashes", "spaces", "+62", "62", "+62 dashes"}


def test_family_card_numbers(workers):
    for worker in workers:
        assert re.fullmatch(r"[0-9]{16}", worker.kk)
        assert worker.kk[:6] == worker.district_code.replace(".", "")
        day, month, year = int(worker.kk[6:8]), int(worker.kk[8:10]), 2000 + int(worker.kk[10:12])
        issued = date(year, month, day)  # a real date, never a woman's day + 40
        assert date(2006, 11, 22) <= issued <= AS_OF
        assert worker.kk[12:] != "0000"


# Names


def test_names_match_sex(workers):
    for worker in workers:
        words = set(given_words(worker.name))
        own = MALE_WORDS if worker.sex == "L" else FEMALE_WORDS
        assert words <= own, worker.name
    assert not any(w.name.startswith("Hj.") for w in workers if w.sex == "L")
    assert not any(w.name.upper().startswith("H. ") for w in workers if w.sex == "P")


@pytest.mark.parametrize(
    ("sex", "names"),
    [
        ("P", ["Sumarni", "Wahyuni", "Siti", "Aminah", "Lestari", "Painem", "Nabila"]),
        ("L", ["Sutrisno", "Slamet", "Agus", "Setiawan", "Ahmad", "Fauzi", "Dimas"]),
    ],
)
def test_spot_check_word_lists(sex, names):
    own, other = (FEMALE_WORDS, MALE_WORDS) if sex == "P" else (MALE_WORDS, FEMALE_WORDS)
    for name in names:
        assert name.upper() in own
        assert name.upper() not in other


def test_name_shapes_are_varied(workers):
    names = [worker.name for worker in workers]
    lengths = Counter(len(given_words(name)) for name in names)
    assert lengths[1] > COUNT * 0.1
    assert lengths[2] > COUNT * 0.4
    assert lengths[3] > COUNT * 0.05
    assert all(name.strip() == name and "  " not in name for name in names)
    assert sum(name[:1].isupper() and not name.isupper() for name in names) > COUNT * 0.9
    titled = sum(name.upper().startswith(("H. ", "HJ. ")) for name in names)
    assert 0 < titled < COUNT * 0.03
    assert sum(" bin " in name.lower() or " binti " in name.lower() for name in names) > 0


def test_names_repeat_but_name_and_birth_date_rarely_do(workers):
    names = Counter(worker.name.upper() for worker in workers)
    assert names.most_common(1)[0][1] > 5  # "Slamet" is everywhere
    pairs = {(worker.name.upper(), worker.birth_date) for worker in workers}
    assert len(pairs) > COUNT * 0.99


def test_old_spelling_is_for_older_people(workers):
    def is_old(name):
        return re.search(r"OE|DJ|TJ", name.upper()) is not None

    older = [w for w in workers if w.birth_date.year < 1970]
    younger = [w for w in workers if w.birth_date.year >= 1980]
    assert sum(is_old(w.name) for w in older) > len(older) * 0.05
    assert not any(is_old(w.name) for w in younger)


@pytest.mark.parametrize(
    ("modern", "old"),
    [
        ("Suparman", "Soeparman"),
        ("Joko", "Djoko"),
        ("Cipto", "Tjipto"),
        ("Cahyono", "Tjahjono"),
        ("Yusuf", "Joesoef"),
        ("Khotimah", "Chotimah"),
        ("Achmad", "Achmad"),
        ("Prasetyo", "Prasetyo"),
        ("Benny", "Benny"),
        ("Siti Aminah", "Siti Aminah"),
    ],
)
def test_old_spelling(modern, old):
    assert old_spelling(modern) == old


def test_old_spelling_keeps_the_matching_key():
    # Matching must find "Soetrisno" under "Sutrisno": every listed word keeps its name_key.
    for word in {word for words in MALE_LISTS + FEMALE_LISTS for word in words}:
        assert name_key(old_spelling(word)) == name_key(word), word


# Arguments


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"count": -1}, "count", id="negative-count"),
        pytest.param({"min_age": 30, "max_age": 20}, "min_age", id="ages-reversed"),
        pytest.param({"max_age": 100}, "max_age", id="over-a-century"),
        pytest.param({"villages": []}, "empty", id="no-villages"),
        pytest.param({"occupations": []}, "empty", id="no-occupations"),
        pytest.param({"birth_places": ()}, "empty", id="no-birth-places"),
        pytest.param(
            {"villages": [("35.04.02.2001", "A"), ("33.05.01.2001", "B")]},
            "33.05.01.2001",
            id="two-provinces",
        ),
        pytest.param({"villages": [("3504022001", "A")]}, "3504022001", id="undotted-code"),
    ],
)
def test_bad_arguments_are_refused_before_the_first_row(villages, change, message):
    arguments = {
        "seed": 1,
        "count": 3,
        "villages": villages,
        "occupations": OCCUPATIONS,
        "as_of": AS_OF,
    }
    with pytest.raises(ValueError, match=message):
        iter_workers(**(arguments | change))


def test_workers_may_live_all_over_one_province():
    villages = [("35.04.02.2001", "Boyolangu"), ("35.78.01.1001", "Kedungdoro")]
    workers = generate(villages, count=400)
    assert {worker.village_code for worker in workers} == {"35.04.02.2001", "35.78.01.1001"}


def test_single_district_still_has_newcomers_from_other_regencies(villages):
    boyolangu = [village for village in villages if village[0].startswith("35.04.02.")]
    workers = generate(boyolangu, count=2000)
    districts = {worker.nik[:6] for worker in workers}
    assert "350402" in districts
    assert all(d == "350402" or not d.startswith("3504") for d in districts)

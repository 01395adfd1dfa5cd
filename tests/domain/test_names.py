"""Indonesian name normalisation and similarity, on names as East Javanese agencies write them.

Expected outputs are worked out by hand from the rules in ``lindung.domain.names``; the pairs
in ``tests/data/names/`` are rows of the synthetic sample ``satpolpp-becak.csv`` (Satpol PP
pedicab drivers) next to the register name of the same person.
"""

import csv
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from rapidfuzz.distance import LCSseq

from lindung.domain.names import (
    _analysed,
    _analysed_in_full,
    _fold,
    _side,
    _untitled,
    display_name,
    name_key,
    name_similarity,
    name_tokens,
    normalize_name,
    split_patronymic,
    strip_titles,
)
from lindung.domain.token_scores import jaro_winkler, sorted_letters

DATA = Path(__file__).resolve().parent.parent / "data" / "names"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Sutrisno", "SUTRISNO", id="plain"),
        pytest.param("  sutrisno   budi ", "SUTRISNO BUDI", id="case-and-spaces"),
        pytest.param("Hj. Sri Wahyuni, S.Pd.", "SRI WAHYUNI", id="hajah-and-degree"),
        pytest.param("Drs. H. Moch. Soebagio, M.Si.", "MUHAMMAD SUBAGIO", id="stacked-titles"),
        pytest.param("Drs.H.Moch.Soebagio", "MUHAMMAD SUBAGIO", id="titles-run-together"),
        pytest.param("Prof. Dr. Ir. Soedjono, M.M.", "SUJONO", id="professor"),
        pytest.param("TUKIMAN, S.PD", "TUKIMAN", id="degree-after-comma"),
        pytest.param("Tukiman S. Pd", "TUKIMAN", id="degree-with-a-space-inside"),
        pytest.param("Budi, S.E., M.M.", "BUDI", id="two-degrees"),
        pytest.param("Sutrisno S.Pd.I", "SUTRISNO", id="degree-without-comma"),
        pytest.param("Sri Wahyuni, A.Md", "SRI WAHYUNI", id="diploma"),
        pytest.param("  Ibu  Johan  Jailani ", "JOHAN JAILANI", id="ibu"),
        pytest.param("Mbah Kasiyem", "KASIYEM", id="mbah"),
        pytest.param("Mas Slamet Riyadi", "SLAMET RIYADI", id="mas"),
        pytest.param("Mas", "MAS", id="a-lone-form-of-address-is-a-name"),
        pytest.param("Suparmi als. Parmi", "SUPARMI", id="alias-left-out"),
        pytest.param(
            "Suparmi alias Parmi binti Karto", "SUPARMI BINTI KARTO", id="alias-then-father"
        ),
        pytest.param("Siti Alias", "SITI ALIAS", id="alias-last-is-a-name"),
        pytest.param("Bpk. Muhammad Kairav", "MUHAMMAD KAIRAV", id="bapak"),
        pytest.param("Sd.r Nur Lutfan", "NUR LUTFAN", id="misdotted-saudara"),
        pytest.param("Ny. Soekarni", "SUKARNI", id="nyonya"),
        pytest.param("alm. Budi", "BUDI", id="almarhum-in-front"),
        pytest.param("Budi (alm.)", "BUDI", id="almarhum-after"),
        pytest.param("K.H. Abd. Rochim", "ABDUL ROKHIM", id="kyai-haji"),
        pytest.param("Ust. Ahmad", "AHMAD", id="ustadz"),
        pytest.param("Raden Soeprapto", "SUPRAPTO", id="raden-written-out"),
        pytest.param("R. Soeprapto", "R SUPRAPTO", id="r-is-kept-as-an-initial"),
        pytest.param("Budi H.", "BUDI H", id="h-after-the-name-is-an-initial"),
        pytest.param("Siti Hj Aminah", "SITI HJ AMINAH", id="title-inside-the-name-stays"),
        pytest.param("Budi Ir Santoso", "BUDI IR SANTOSO", id="ir-inside-the-name-stays"),
        pytest.param("Ibu", "IBU", id="a-lone-title-is-the-name"),
        pytest.param("Bu Haji", "HAJI", id="only-titles-keep-the-last"),
        pytest.param("Achmad Djunaedi", "AHMAD JUNAEDI", id="achmad-djunaedi"),
        pytest.param("Nur Chasanah", "NUR KHASANAH", id="ch-is-kh"),
        pytest.param("Chandra", "CANDRA", id="modern-ch-is-c"),
        pytest.param("Tjipto Soedarmo", "CIPTO SUDARMO", id="tj-and-oe"),
        pytest.param("Soetjipto", "SUCIPTO", id="soetjipto"),
        pytest.param("Moh. Ichwan", "MUHAMMAD IKHWAN", id="moh-ichwan"),
        pytest.param("Abd. Rochim", "ABDUL ROKHIM", id="abd-rochim"),
        pytest.param("Sjamsul", "SYAMSUL", id="sj-is-sy"),
        pytest.param("Njoman", "NYOMAN", id="leading-nj-is-ny"),
        pytest.param("Panji", "PANJI", id="inner-nj-is-modern"),
        pytest.param("Joesoef", "YUSUF", id="old-j-is-y"),
        pytest.param("Soejono", "SUYONO", id="soejono-is-suyono"),
        pytest.param("Soedjono", "SUJONO", id="soedjono-is-sujono"),
        pytest.param("Djojohadikoesoemo", "JOYOHADIKUSUMO", id="dj-j-and-oe-together"),
        pytest.param("Joko", "JOKO", id="modern-j-stays"),
        pytest.param("Mochammad Kairav", "MUHAMMAD KAIRAV", id="mochammad"),
        pytest.param("Muhamad Harsanto", "MUHAMMAD HARSANTO", id="muhamad"),
        pytest.param("  m.  balangga ", "MUHAMMAD BALANGGA", id="leading-m-is-muhammad"),
        pytest.param("M.Rizki", "MUHAMMAD RIZKI", id="m-run-together"),
        pytest.param("Rizki M.", "RIZKI M", id="trailing-m-is-an-initial"),
        pytest.param("Akhmad Katjung", "AHMAD KACUNG", id="akhmad"),
        pytest.param("St. Nabila", "SITI NABILA", id="st-is-siti"),
        pytest.param("SITTI ZAMIRA", "SITI ZAMIRA", id="sitti"),
        pytest.param("Padma, S.T.", "PADMA", id="st-after-the-name-is-a-degree"),
        pytest.param("Noer Luwes, S.E.", "NUR LUWES", id="noer"),
        pytest.param("Selamet Rachmat", "SLAMET RAHMAT", id="selamet-rachmat"),
        pytest.param("Hidajat", "HIDAYAT", id="hidajat"),
        pytest.param("Abdoel Gani", "ABDUL GANI", id="abdoel"),
        pytest.param("Ma’ruf Amin", "MARUF AMIN", id="typographic-apostrophe"),
        pytest.param("Ma`ruf", "MARUF", id="backtick-apostrophe"),
        pytest.param("muhammad al-farizi", "MUHAMMAD AL FARIZI", id="hyphen"),
        pytest.param("José Sutrisno", "JOSE SUTRISNO", id="accent"),
        pytest.param("Budi2 Santoso", "BUDI SANTOSO", id="digit"),
        pytest.param("Siti Aminah bt. Kasmuri", "SITI AMINAH BINTI KASMURI", id="bt-is-binti"),
        pytest.param("", "", id="empty"),
        pytest.param("123 -", "", id="no-letters"),
    ],
)
def test_normalize_name_gives_the_canonical_form(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


def test_name_tokens_are_the_words_of_the_normalised_name() -> None:
    assert name_tokens("Hj. Siti binti H. Kasmuri, S.Pd") == ("SITI", "BINTI", "KASMURI")
    assert name_tokens("") == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Joesoef", "YUSUP", id="old-spelling"),
        pytest.param("Yusup", "YUSUP", id="f-and-p"),
        pytest.param("Sujono", "SUYONO", id="j-is-y"),
        pytest.param("Abd. Rochim", "ABDUL ROHIM", id="kh-is-h"),
        pytest.param("Nur Chasanah", "NUR HASANA", id="trailing-h"),
        pytest.param("Sjamsul", "SAMSUL", id="sy-is-s"),
        pytest.param("Sholeh", "SOLE", id="sh-is-s"),
        pytest.param("Ramadhan", "RAMADAN", id="dh-is-d"),
        pytest.param("Fathur", "PATUR", id="th-is-t"),
        pytest.param("Qodir", "KODIR", id="q-is-k"),
        pytest.param("Muhammad Hasanuddin", "MUHAMAD HASANUDIN", id="doubled-letters"),
        pytest.param("Supriyadi", "SUPRIADI", id="iy-is-i"),
        pytest.param("Achmad Djunaedi", "AHMAD YUNAIDI", id="ae-is-ai"),
        pytest.param("Nurul Jagapati", "NUR YAGAPATI", id="nurul-is-nur"),
        pytest.param("Rizki", "RIZKI", id="z-stays"),
        pytest.param("Hery Susanto", "HERI SUSANTO", id="final-y-is-i"),
        pytest.param("Dwy Puspitasari", "DWI PUSPITASARI", id="final-y-is-i-in-a-short-token"),
        pytest.param("Roy Wahyudi", "ROY WAHYUDI", id="final-y-after-a-vowel-stays"),
        pytest.param("Nor Hasanah", "NUR HASANA", id="nor-is-nur"),
        pytest.param("Siti Aminah binti Kasmuri", "SITI AMINA", id="father-left-out"),
    ],
)
def test_name_key_folds_interchangeable_letters(name: str, expected: str) -> None:
    assert name_key(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Hj. Sri Wahyuni, S.Pd.", ("Sri Wahyuni", ("Hj.", "S.Pd.")), id="both-ends"),
        pytest.param(
            "Drs. H. Moch. Soebagio, M.Si.",
            ("Moch. Soebagio", ("Drs.", "H.", "M.Si.")),
            id="abbreviation-kept-as-written",
        ),
        pytest.param("Drs.H.Moch.", ("Moch.", ("Drs.", "H.")), id="run-together"),
        pytest.param("MahdiP utra, S.E.", ("MahdiP utra", ("S.E.",)), id="typo-kept"),
        pytest.param("Tukiman, S. Pd", ("Tukiman", ("S. Pd",)), id="spaced-degree"),
        pytest.param("Kyai Haji Hasyim", ("Hasyim", ("Kyai", "Haji")), id="kyai-haji"),
        pytest.param(
            "Hj. Siti binti H. Kasmuri, S.Pd",
            ("Siti binti Kasmuri", ("Hj.", "H.", "S.Pd")),
            id="titles-of-the-father-too",
        ),
        pytest.param(
            "Bd. Siti Aminah, A.Md.Keb.", ("Siti Aminah", ("Bd.", "A.Md.Keb.")), id="midwife"
        ),
        pytest.param("Ns. Dwi Astuti, S.Kep", ("Dwi Astuti", ("Ns.", "S.Kep")), id="nurse"),
        pytest.param("Sri Lestari, S.Tr.Keb", ("Sri Lestari", ("S.Tr.Keb",)), id="applied"),
        pytest.param("Tri Wahyuni A.Ma.Pd", ("Tri Wahyuni", ("A.Ma.Pd",)), id="dotted-no-comma"),
        # Without dots or a comma, a degree's letters may be a name's: kept.
        pytest.param("Siti Ama", ("Siti Ama", ()), id="bare-degree-letters-kept"),
        pytest.param("Sutrisno", ("Sutrisno", ()), id="no-titles"),
        pytest.param("Hj.", ("Hj.", ()), id="lone-title-is-a-name"),
    ],
)
def test_strip_titles_returns_the_name_as_written_and_its_titles(
    name: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert strip_titles(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Siti Aminah binti Kasmuri", ("SITI AMINAH", "KASMURI"), id="binti"),
        pytest.param("Ahmad bin Abdul Kadir", ("AHMAD", "ABDUL KADIR"), id="bin"),
        pytest.param("Siti Aminah Bt. Kasmuri", ("SITI AMINAH", "KASMURI"), id="bt"),
        pytest.param("Hj. Siti binti H. Kasmuri", ("SITI", "KASMURI"), id="titles-on-both"),
        pytest.param("Ahmad b. Kasmuri", ("AHMAD B KASMURI", None), id="b-is-an-initial"),
        pytest.param("Bin Laden", ("BIN LADEN", None), id="leading-bin-is-a-name"),
        pytest.param("Ahmad bin", ("AHMAD BIN", None), id="bin-without-father"),
        pytest.param("Sutrisno", ("SUTRISNO", None), id="no-patronymic"),
    ],
)
def test_split_patronymic_separates_the_fathers_name(
    name: str, expected: tuple[str, str | None]
) -> None:
    assert split_patronymic(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("  hj.  sri WAHYUNI ,s.pd. ", "Hj. Sri Wahyuni, S.Pd.", id="titles-kept"),
        pytest.param("DRS. H. MOCH. SOEBAGIO, M.SI.", "Drs. H. Moch. Soebagio, M.Si.", id="caps"),
        pytest.param("SITI AMINAH BINTI KASMURI", "Siti Aminah binti Kasmuri", id="binti"),
        pytest.param("MA'RUF AMIN", "Ma'ruf Amin", id="apostrophe"),
        pytest.param("muhammad al-farizi", "Muhammad Al-Farizi", id="hyphen"),
        pytest.param("", "", id="empty"),
    ],
)
def test_display_name_tidies_for_reading(name: str, expected: str) -> None:
    assert display_name(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Sutrisno", "SUTRISNO", id="case"),
        pytest.param("Soeparman", "Suparman", id="oe"),
        pytest.param("Tjipto Soedarmo", "Cipto Sudarmo", id="tj"),
        pytest.param("Soetjipto", "Sucipto", id="soetjipto"),
        pytest.param("Moh. Ichwan", "Muhammad Ikhwan", id="moh-ichwan"),
        pytest.param("Abd. Rochim", "Abdul Rohim", id="abd-rochim"),
        pytest.param("Nur Chasanah", "Nur Khasanah", id="chasanah"),
        pytest.param("Sjamsul", "Syamsul", id="sjamsul"),
        pytest.param("Njoman", "Nyoman", id="njoman"),
        pytest.param("Joesoef", "Yusuf", id="joesoef"),
        pytest.param("Achmad Djunaedi", "Ahmad Junaidi", id="achmad-djunaedi"),
        pytest.param("Drs. H. Moch. Soebagio, M.Si.", "Muhammad Subagio", id="titles"),
        pytest.param("Siti Aminah binti Kasmuri", "Siti Aminah", id="patronymic-one-side"),
    ],
)
def test_name_similarity_is_one_for_the_same_name_written_differently(a: str, b: str) -> None:
    assert name_similarity(a, b) == 1.0


@pytest.mark.parametrize(
    ("a", "b", "at_least"),
    [
        pytest.param("Suparmin", "Suparmi", 0.9, id="one-letter-typo"),
        pytest.param("Suwarin", "Suwarni", 0.9, id="swapped-letters"),
        pytest.param("Siti Aminah", "Aminah Siti", 0.95, id="token-order"),
        pytest.param("Nurhayati", "Nur Hayati", 0.95, id="space-inside"),
        pytest.param("MahdiP utra", "Mahdi Putra", 0.95, id="space-moved"),
        pytest.param("Budi S.", "Budi Santoso", 0.9, id="initial"),
        pytest.param("A. Paiman", "Ahmad Paiman", 0.9, id="initial-of-a-common-name"),
        pytest.param("Muhammad Rizki Pratama", "M. Rizki", 0.85, id="missing-last-token"),
        pytest.param("Siti Aminah binti Kasmuri", "St. Aminah, S.Pd.", 0.97, id="bin-and-titles"),
        pytest.param("Muhmamad Daniswara", "Muhammad Daniswara", 0.9, id="typo-in-muhammad"),
        pytest.param("Aff Pangestu", "Afif Pangestu", 0.85, id="letter-missing-in-short-name"),
        pytest.param("Umi Azzah", "Umi Azizah", 0.9, id="letter-missing-by-a-double"),
        pytest.param("Wwit Prabowo", "Wiwit Prabowo", 0.85, id="letters-swapped-in-short-name"),
        pytest.param("Sir Wahyuni", "Sri Wahyuni", 0.9, id="swap-in-a-common-name"),
        pytest.param("Teomini", "Toemini", 0.9, id="typo-in-old-spelling"),
        pytest.param(
            "Siti Badriyah K.", "Siti Badriyah Kartikasari", 0.92, id="initial-as-a-cut-scores"
        ),
    ],
)
def test_name_similarity_stays_high_for_variants_of_one_name(
    a: str, b: str, at_least: float
) -> None:
    assert name_similarity(a, b) >= at_least


@pytest.mark.parametrize(
    ("a", "b", "below"),
    [
        pytest.param("Suparman", "Wahyuni", 0.5, id="unrelated"),
        pytest.param("Budi Santoso", "Budi Hartono", 0.7, id="same-first-name"),
        pytest.param("Siti Aminah", "Siti Fatimah", 0.5, id="common-first-name"),
        pytest.param("Muhammad Rizki", "Muhammad Ridwan", 0.5, id="muhammad-says-little"),
        pytest.param("Suwarni", "Sunarti", 0.75, id="two-letters-apart"),
        pytest.param("Sutrisno", "Sutarno", 0.75, id="shared-prefix-and-suffix"),
        pytest.param("Budi S.", "Budi Hartono", 0.7, id="initial-disagrees"),
        pytest.param("Siti", "Siti Aminah", 0.8, id="only-a-common-name-shared"),
        pytest.param("", "", 0.01, id="blank-names-are-no-evidence"),
        pytest.param("Sutrisno", "", 0.01, id="one-blank"),
    ],
)
def test_name_similarity_stays_low_for_different_names(a: str, b: str, below: float) -> None:
    assert name_similarity(a, b) < below


def test_name_similarity_ranks_a_typo_above_a_different_surname() -> None:
    typo = name_similarity("Budi Santoso", "Budi Santosa")
    other_surname = name_similarity("Budi Santoso", "Budi Hartono")
    assert typo >= 0.9
    assert typo - other_surname >= 0.3


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Cut short: as "Siti Badriyah K." scores, the letters written agree.
        pytest.param("Siti Badriyah Kart", "Siti Badriyah Kartikasari", 0.92, id="last-token"),
        pytest.param("Suhartini binti Su", "Suhartini binti Suwarno", 0.92, id="father-cut"),
        pytest.param("Ahmad Saiful Anw", "Ahmad Saiful Anwar Hidayat", 0.92, id="tokens-lost"),
        # A space missing: as spacing. Keyed token by token, "MOCHAMMADHABIB" folds "DH" to
        # "D" across the join.
        pytest.param("Mochammadhabib Syahputra", "Mochammad Habib Syahputra", 0.97, id="dh"),
        pytest.param("Achmadzuhri Sutrisno", "Achmad Zuhri Sutrisno", 0.97, id="dz-across"),
        pytest.param("Fatimahbinti Suhardi", "Fatimah binti Suhardi", 0.97, id="marker-joined"),
    ],
)
def test_a_name_cut_short_or_with_a_space_missing_scores_as_its_kind(
    a: str, b: str, expected: float
) -> None:
    assert name_similarity(a, b) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("a", "b", "below"),
    [
        pytest.param("Sri", "Sriyatun", 0.6, id="a-lone-token-is-no-cut"),
        pytest.param("Sri Wahyuni", "Sri Wahyuningsih", 0.85, id="too-short-to-be-cut"),
        pytest.param(
            "Muhammad Rizki", "Muhammad Rizkianto Pratama", 0.85, id="a-whole-name-that-begins"
        ),
        pytest.param("Siti Badriyah Karti", "Siti Badriyah Kartono", 0.85, id="not-the-beginning"),
        pytest.param("Siti Aminah Kart", "Siti Badriyah Kartikasari", 0.85, id="others-differ"),
    ],
)
def test_only_a_long_name_whose_last_token_begins_the_others_is_cut(
    a: str, b: str, below: float
) -> None:
    assert name_similarity(a, b) < below


def test_name_similarity_prefers_a_missing_father_to_a_different_one() -> None:
    missing = name_similarity("Siti Aminah binti Kasmuri", "Siti Aminah")
    different = name_similarity("Siti Aminah binti Kasmuri", "Siti Aminah binti Sukardi")
    assert missing > different


def _pairs() -> list[dict[str, str]]:
    with (DATA / "satpolpp_becak_pairs.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_name_similarity_links_agency_rows_to_their_register_names() -> None:
    pairs = _pairs()
    scores = [name_similarity(p["agency_name"], p["register_name"]) for p in pairs]
    high = sum(score >= 0.85 for score in scores)
    assert len(pairs) > 250
    assert high / len(pairs) >= 0.95


def test_name_similarity_rarely_links_rows_to_other_peoples_register_names() -> None:
    pairs = _pairs()
    scores = [
        name_similarity(p["agency_name"], q["register_name"])
        for p in pairs
        for q in pairs
        if p["register_id"] != q["register_id"]
        and normalize_name(p["register_name"]) != normalize_name(q["register_name"])
    ]
    assert sum(score >= 0.85 for score in scores) / len(scores) < 0.005


def test_name_similarity_is_symmetric_and_bounded() -> None:
    names = [p["agency_name"] for p in _pairs()[:60]]
    for a in names:
        for b in names:
            score = name_similarity(a, b)
            assert 0.0 <= score <= 1.0
            assert score == name_similarity(b, a)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Jaro 17/18 (6 matches, one transposition), three shared leading letters:
        # 17/18 + 3 x 0,1 x 1/18 = 0,96111.
        ("MARTHA", "MARHTA", 0.961111),
        # Jaro (4/6 + 4/5 + 4/4) / 3 = 0,82222, one shared letter: + 0,1 x 0,17778 = 0,84.
        ("DWAYNE", "DUANE", 0.84),
        # Jaro (4/5 + 4/8 + 4/4) / 3 = 0,76667, two shared letters: 0,81333.
        ("DIXON", "DICKSONX", 0.813333),
        # Jaro 0,5 at most (no shared letters in the window): no Winkler boost.
        ("ABC", "XYZ", 0.0),
    ],
)
def test_jaro_winkler_gives_the_textbook_figures(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=1e-6)


# What the similarity works out once per tuple of tokens or per token, instead of per pair,
# must be what the per-pair forms gave.
@pytest.mark.parametrize(
    "tokens",
    [
        ("NUR", "RAHMAN"),
        ("MUHAMMAD", "DAHLAN"),
        ("AA", "A", "AB", "BB"),
        ("SITI", "AMINAH", "HASAN"),
        ("S",),
    ],
)
def test_a_tuple_of_tokens_squeezes_and_joins_as_the_whole_text_does(
    tokens: tuple[str, ...],
) -> None:
    def squeeze(text: str) -> str:
        return re.sub(r"(.)\1+", r"\1", text)

    squeezed, joins, _ = _side(tokens)
    assert squeezed == squeeze("".join(tokens))
    assert joins == tuple(squeeze(x + y) for x, y in pairwise(tokens))


@pytest.mark.parametrize(
    ("a", "b"),
    [("SUWARNI", "SUNARTI"), ("AAB", "ABBA"), ("SRI", "SIR"), ("ANA", "NANA"), ("XY", "AB")],
)
def test_shared_letters_are_the_common_subsequence_of_thesorted_letters(a: str, b: str) -> None:
    shared = sum(min(a.count(char), b.count(char)) for char in set(a))
    assert LCSseq.similarity(sorted_letters(a), sorted_letters(b)) == shared


@pytest.mark.parametrize("word", ["Soetjipto", "Ma'ruf", "S.Pd.I", "Nur-Hayati", "ÁGUS", "Şiti"])
def test_the_ascii_shortcut_of_folding_changes_nothing(word: str) -> None:
    slow = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().upper()
    assert _fold(word) == re.sub("[^A-Z]+", "", slow)


# Names of letters and spaces alone that the plain analysis must read as the full one does:
# titles and markers only in the middle or alone, abbreviations, old spelling, any case.
_PLAIN_EDGES = [
    "H", "HJ", "SPD", "BIN", "M RIZKI", "M", "ST AMINAH", "ST", "AGUS H", "R SOEDJONO",
    "siti aminah", "Soetjipto", "NUR  HAYATI", "ACHMAD CHANDRA", "MOCH RIZKI", "ABD ROCHIM",
    "SITI BINTI", "AHMAD BIN", "BINTI AMINAH", "NURUL HIDAJAT", "Yusup", "DJOJO",
]  # fmt: skip
# ... and names the plain analysis must leave to the full one (a title at an end, a marker).
_NOT_PLAIN = ["H AGUS", "AGUS SPD", "AGUS S PD", "SITI BINTI KASMURI", "DRS SLAMET", "IBU SITI"]


def test_the_plain_analysis_is_the_full_one() -> None:
    names = [n for p in _pairs() for n in (p["agency_name"], p["register_name"])]
    names += [f(n) for n in names[:400] for f in (str.lower, str.title, " {} ".format)]
    names += _PLAIN_EDGES + _NOT_PLAIN
    plain = [n for n in names if n.isascii() and n.split() and n.replace(" ", "").isalpha()]
    for name in names:
        assert _analysed(name) == _analysed_in_full(name), name
    assert len(plain) > 600
    assert all(_untitled(n.upper().split()) for n in _PLAIN_EDGES)
    assert not any(_untitled(n.split()) for n in _NOT_PLAIN)

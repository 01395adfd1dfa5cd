"""The evidence and score of each candidate pair (weights in `evidence.WEIGHTS`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from lindung.domain.names import name_similarity
from lindung.verification.matching.blocks import folded, name_counts, with_name_counts
from lindung.verification.matching.evidence import WEIGHTS

_NAME_BANDS: Final = (
    (0.97, "name_same"),
    (0.92, "name_close"),
    (0.85, "name_similar"),
    (0.75, "name_weak"),
    (0.6, "name_unlike"),
)

_NIK_RELATIONS_RANK: Final = {
    "nik_exact": 0,
    "nik_transposed": 1,
    "nik_day_plus_40": 2,  # 28 for 68 is also one digit substituted: the +40 says more
    "nik_substituted": 3,
    "nik_moved_digit": 6,
    "nik_missing_digit": 4,
    "nik_extra_digit": 5,
    "nik_slip_lost_digit": 7,
    "nik_is_kk": 8,
    "nik_of_relative": 9,
    "same_kk": 10,
    "nik_prefix": 11,
    "demographic": 12,
    "name_block": 13,
    "person_block": 14,
}


_LOW_SCREEN: Final = 0.40  # the screen of the "unlike" band (see `_screen_floor`)


def _screen_floor(need: pl.Expr) -> pl.Expr:
    """The quick-screen figure below which a pair's names cannot be alike enough to give
    the `need` bits the pair still lacks. The screen is the better of the token-set ratio
    and the ratio of the names without spaces (rapidfuzz, on the folded forms); on the
    sample register, every pair the domain similarity rates 0,85 or more screens at 0,70 or
    more, every pair it rates 0,75 or more at 0,50 or more (tests/verification checks a
    sample of pairs). The floors below keep a margin under those figures."""
    return (
        pl.when(need > WEIGHTS["name_weak"])
        .then(0.62)  # needs "similar" (>= 0,85) or better
        .when(need > WEIGHTS["name_unlike"])
        .then(0.45)  # needs "weak" (>= 0,75)
        .when(need > WEIGHTS["name_different"])
        .then(_LOW_SCREEN)  # needs "unlike" (>= 0,6), or a lone token left (`name_token`)
        .otherwise(0.0)
    )


def _name_scores(pairs: pl.DataFrame) -> pl.DataFrame:
    """`name_sim` for each pair: 1.0 when the simple forms are equal; else, for names that
    pass a quick vectorised screen (see `_screen_floor`; `pairs` carries `need`, the bits
    the pair lacks to reach the floor with no name evidence), the domain's similarity,
    computed once per distinct pair of names; else the screen's own (low) figure."""
    differ = (pl.col("simple") != pl.col("simple_rec")) & (pl.col("simple") != "")
    todo = pairs.filter(differ).select(
        "name",
        "name_rec",
        folded("simple").alias("fa"),
        folded("simple_rec").alias("fb"),
        pl.col("simple").alias("sa"),
        pl.col("simple_rec").alias("sb"),
        _screen_floor(pl.col("need")).alias("screen"),
    )
    todo = todo.group_by("name", "name_rec").agg(
        pl.col("fa").first(),
        pl.col("fb").first(),
        pl.col("sa").first(),
        pl.col("sb").first(),
        pl.col("screen").min(),
    )
    fa, fb = todo.get_column("fa").to_list(), todo.get_column("fb").to_list()
    token_set = process.cpdist(fa, fb, scorer=fuzz.token_set_ratio, workers=-1)
    squeezed = process.cpdist(
        [x.replace(" ", "") for x in fa],
        [x.replace(" ", "") for x in fb],
        scorer=fuzz.ratio,
        workers=-1,
    )
    quick = np.maximum(token_set, squeezed) / 100.0
    todo = todo.with_columns(quick=pl.Series("quick", quick, dtype=pl.Float64))
    # Where a name rated "unlike" would still do (the rest of the evidence is strong), a
    # lone token left of a longer name ("SII" for "SITI MUKAROMAH") screens low on both
    # figures: its best alignment within the longer name is the screen there.
    low = todo.filter((pl.col("screen") <= _LOW_SCREEN) & (pl.col("quick") < pl.col("screen")))
    if low.height:
        partial = process.cpdist(
            low.get_column("fa").to_list(),
            low.get_column("fb").to_list(),
            scorer=fuzz.partial_ratio,
            workers=-1,
        )
        better = low.select("name", "name_rec", pl.Series("aligned", partial / 100.0))
        todo = (
            todo.join(better, on=["name", "name_rec"], how="left", nulls_equal=True)
            .with_columns(quick=pl.max_horizontal("quick", pl.col("aligned").fill_null(0.0)))
            .drop("aligned")
        )
    worth = todo.filter(pl.col("quick") >= pl.col("screen"))
    sims = [
        name_similarity(a, b)
        for a, b in zip(worth.get_column("name"), worth.get_column("name_rec"), strict=True)
    ]
    forms = zip(
        sims, worth.get_column("fa"), worth.get_column("fb"), worth.get_column("sa"),
        worth.get_column("sb"), strict=True,
    )  # fmt: skip
    parts = [
        _partial_level(fa, fb, sa, sb) if sim < _NAME_BANDS[2][0] else None
        for sim, fa, fb, sa, sb in forms
    ]
    table = pl.concat(
        [
            worth.select(
                "name",
                "name_rec",
                pl.Series("sim", sims, dtype=pl.Float64),
                pl.Series("part", parts, dtype=pl.String),
            ),
            todo.filter(pl.col("quick") < pl.col("screen")).select(
                "name",
                "name_rec",
                pl.col("quick").alias("sim"),
                pl.lit(None, dtype=pl.String).alias("part"),
            ),
        ]
    )
    scored = pairs.join(table, on=["name", "name_rec"], how="left", nulls_equal=True)
    return scored.with_columns(
        name_sim=pl.when(pl.col("simple") == pl.col("simple_rec"))
        .then(pl.when(pl.col("simple") == "").then(0.0).otherwise(1.0))
        .otherwise(pl.col("sim").fill_null(0.0)),
        name_part=pl.col("part"),
    ).drop("sim", "part")


def _partial_level(fa: str, fb: str, sa: str, sb: str) -> str | None:
    """The partial name evidence of two names, folded (`fa`, `fb`) and simple (`sa`, `sb`:
    a lone token is compared as written, "SII" not folded to "SI")."""
    if name_part(fa, fb):
        return "name_part"
    if name_token(sa, sb):
        return "name_token"
    return None


def name_token(a: str, b: str) -> bool:
    """True when one of two folded names is a lone token of three letters or more and the
    other, longer, has a token the same or one typo away: "SII" and "SITI MUKAROMAH". Weak
    evidence: a first name alone is shared by many."""
    short, long = sorted((a.split(), b.split()), key=len)
    if len(short) != 1 or len(long) < 2 or len(short[0]) < 3:
        return False
    return any(DamerauLevenshtein.distance(short[0], other, score_cutoff=1) <= 1 for other in long)


def name_part(a: str, b: str) -> bool:
    """True when the shorter of two folded names is the longer with a token (or more)
    dropped, each remaining token the same or one typo away (a letter dropped, doubled,
    changed or two swapped; tokens of four letters or more): "SITI NUR AMINAH" and "SITI
    AMNAH". The shorter must keep two tokens, or one of six letters or more: a lone "SITI"
    says too little."""
    short, long = sorted((a.split(), b.split()), key=len)
    if not short or len(short) >= len(long):
        return False
    if len(short) == 1 and len(short[0]) < 6:
        return False
    free = list(long)
    for token in short:
        allowed = 1 if len(token) >= 4 else 0
        match = next(
            (
                other
                for other in free
                if DamerauLevenshtein.distance(token, other, score_cutoff=allowed) <= allowed
            ),
            None,
        )
        if match is None:
            return False
        free.remove(match)
    return True


def _band(sim: pl.Expr) -> pl.Expr:
    expr: Any = pl.when(sim >= _NAME_BANDS[0][0]).then(pl.lit(_NAME_BANDS[0][1]))
    for bound, label in _NAME_BANDS[1:]:
        expr = expr.when(sim >= bound).then(pl.lit(label))
    band: pl.Expr = expr.otherwise(pl.lit("name_different"))
    return band


# NIK relations one slip apart. A NIK has dozens of such neighbours in a regency, most of them
# born a digit's difference away: beside one of them, a birth date a digit off (or in the
# same year) is another person's, not a slip (the row's date was written apart from its NIK).
_ONE_EDIT: Final = (
    "nik_substituted",
    "nik_transposed",
    "nik_moved_digit",
    "nik_missing_digit",
    "nik_extra_digit",
    "nik_day_plus_40",
    "nik_slip_lost_digit",
)


def _digit(number: pl.Expr, index: int, width: int) -> pl.Expr:
    """Digit `index` (0 = leftmost) of a `width`-digit number."""
    digit: pl.Expr = (number // (10 ** (width - 1 - index))) % 10
    return digit


def _date_relation() -> pl.Expr:
    """How the birth dates relate. A row's date that intake took from the NIK is no evidence
    beside that NIK (unless the NIK itself is the register's): it says only what the NIK
    says. Beside a one-slip NIK, a date one digit off counts as different (see `_ONE_EDIT`)."""
    a, b = pl.col("ddmmyy"), pl.col("ddmmyy_rec")
    differing = pl.sum_horizontal(
        [(_digit(a, i, 6) != _digit(b, i, 6)).cast(pl.Int8) for i in range(6)]
    )
    swapped = ((a // 10_000) == (b // 100) % 100) & ((a // 100) % 100 == (b // 10_000))
    # The same day and month, the year's last two digits one slip apart (one differs, or the
    # two are swapped: 1978/1987).
    yy, yy_rec = a % 100, b % 100
    year_slip = (a // 100 == b // 100) & (
        ((yy // 10 == yy_rec // 10) != (yy % 10 == yy_rec % 10))
        | ((yy // 10 == yy_rec % 10) & (yy % 10 == yy_rec // 10))
    )
    year, year_rec = pl.col("birth_year"), pl.col("birth_date_rec").dt.year()
    year_gap = (year - year_rec).abs()
    return (
        pl.when(pl.col("birth_date_rec").is_null())
        .then(pl.lit("date_unknown"))
        .when(pl.col("birth_date").is_null() & year.is_not_null())
        # Only the year was written: graded on the year alone.
        .then(
            pl.when(year_gap == 0)
            .then(pl.lit("date_year_only"))
            .when(year_gap == 1)
            .then(pl.lit("date_year_only_near"))
            .otherwise(pl.lit("date_different"))
        )
        .when(pl.col("birth_date").is_null())
        .then(pl.lit("date_unknown"))
        .when((pl.col("from_nik") | pl.col("from_nik_rec")) & (pl.col("relation") != "nik_exact"))
        .then(pl.lit("date_unknown"))
        .when(pl.col("birth_date") == pl.col("birth_date_rec"))
        .then(pl.lit("date_same"))
        .when(swapped & (a % 100 == b % 100))
        .then(pl.lit("date_day_month_swapped"))
        # Beside a NIK one slip away, only where the row's NIK says another date than its
        # own: a NIK and a date that agree with each other and are both a slip from the
        # register's are another person's (born in another year, the serial the same).
        .when(
            year_slip
            & (
                ((differing != 1) & ~pl.col("relation").is_in(_ONE_EDIT))
                | (pl.col("relation").is_in(_ONE_EDIT) & ~pl.col("as_nik"))
            )
        )
        .then(pl.lit("date_year_typo"))
        .when(pl.col("relation").is_in(_ONE_EDIT))
        .then(pl.lit("date_different"))
        .when(differing == 1)
        .then(pl.lit("date_one_digit"))
        .when((a // 100 == b // 100) & (year_gap == 1))
        .then(pl.lit("date_year_off_by_one"))
        .when(pl.col("birth_date").dt.year() == pl.col("birth_date_rec").dt.year())
        .then(pl.lit("date_same_year"))
        .otherwise(pl.lit("date_different"))
    )


def _field_relation(field: str) -> pl.Expr:
    return (
        pl.when((pl.col(field) == "") | (pl.col(f"{field}_rec") == ""))
        .then(pl.lit(f"{field}_unknown"))
        .when(pl.col(field) == pl.col(f"{field}_rec"))
        .then(pl.lit(f"{field}_same"))
        .otherwise(pl.lit(f"{field}_different"))
    )


_OTHER_BLOCKS: Final = ("demographic", "name_block", "nik_prefix", "person_block")


def _nik_evidence() -> pl.Expr:
    """The NIK relation as evidence. For a pair from a block that is not a NIK relation:
    NIKs (15 or 16 digits) differing in at most two of their first 15 digits and their 16th
    are near; further apart they count against the pair. Computed only where needed."""
    a, b = pl.col("nik"), pl.col("nik_rec")
    len_a, len_b = a.str.len_chars(), b.str.len_chars()
    comparable = (len_a >= 15) & (len_a <= 16) & (len_b >= 15) & (len_b <= 16)
    # The first 15 digits as a number (a damaged NIK has no 16th), then the 16th.
    a15 = a.str.slice(0, 15).cast(pl.UInt64, strict=False)
    b15 = b.str.slice(0, 15).cast(pl.UInt64, strict=False)
    a16 = pl.when(len_a == 16).then(a.cast(pl.UInt64, strict=False))
    b16 = pl.when(len_b == 16).then(b.cast(pl.UInt64, strict=False))
    differing = pl.sum_horizontal(
        [(_digit(a15, i, 15) != _digit(b15, i, 15)).cast(pl.Int8) for i in range(15)]
    ) + ((a16 % 10) != (b16 % 10)).fill_null(value=False).cast(pl.Int8)
    return (
        pl.when(pl.col("relation").is_in(_OTHER_BLOCKS))
        .then(
            # A NIK cut short (12-14 digits) that begins the other: the district of issue,
            # the birth date and sex as coded, and the first serial digits.
            pl.when(
                (len_a.is_between(12, 14) & (len_b == 16) & b.str.starts_with(a))
                | (len_b.is_between(12, 14) & (len_a == 16) & a.str.starts_with(b))
            )
            .then(pl.lit("nik_cut_short"))
            .when(~comparable)
            .then(pl.lit("nik_unknown"))
            # Two people born the same day in one district have NIKs a serial digit apart:
            # "near" counts only where the NIK says more than the birth date and district.
            .when((differing <= 2) & (pl.col("district") == pl.col("district_rec")))
            .then(pl.lit("nik_near"))
            .otherwise(pl.lit("nik_different"))
        )
        .otherwise(pl.col("relation"))
    )


# A name carried by at most this many people of the frame compared against is rare: the
# same name says more there (`name_same_rare`; see `rare_limit`).
RARE_NAME: Final = 2
RARE_PER: Final = 1024  # ... and by at most one in this many of them


def rare_limit(size: int) -> int:
    """How many people of a frame of `size` may carry a name for it to count as rare. The
    hand weight of the same name (7 bits) is that of a name one pair in 128 shares; a name
    `count` people of `size` carry is shared by about count/size of pairs, log2(size /
    (128 count)) bits more. `name_same_rare` adds 3 bits: a name counts as rare where that
    holds (count <= size / 1024), and at most `RARE_NAME` carry it."""
    return min(RARE_NAME, size // RARE_PER)


# The most bits a pair met by person evidence alone (no NIK relation) may score: just under
# the default `link_accept` (0,99), so such a link always goes to a verifier.
PERSON_ROUTE_CAP: Final = 6.5
_BEST_NAME: Final = max(WEIGHTS["name_same"], WEIGHTS["name_same_rare"])
_BEST_OTHER_NIK: Final = max(WEIGHTS["nik_near"], WEIGHTS["nik_cut_short"])

_SCORED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "row": pl.Int64(),
    "rec": pl.Int64(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
    "nik_evidence": pl.String(),
    "name_sim": pl.Float64(),
}


def score_pairs(
    pairs: pl.DataFrame,
    rows: pl.DataFrame,
    reg: pl.DataFrame,
    *,
    floor: float = 0.0,
    counts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Evidence and score of each (row, rec, relation) pair; one line per (row, rec), the
    strongest NIK relation kept. Pairs that could not reach `floor` even with the same name
    are dropped before names are compared (a NIK has dozens of one-digit neighbours in a
    regency's register: nearly all of them other people). `counts`: `blocks.name_counts` of
    `reg` (made here when not given)."""
    if pairs.height == 0:
        return pl.DataFrame(schema=_SCORED_SCHEMA)
    if counts is None:
        counts = name_counts(reg)
    if "name_count_reg" not in rows.columns:
        rows = with_name_counts(rows, counts)
    rare = rare_limit(reg.height)
    ranked = (
        pairs.with_columns(
            rank=pl.col("relation").replace_strict(_NIK_RELATIONS_RANK, return_dtype=pl.Int8)
        )
        .sort("rank")
        .unique(subset=["row", "rec"], keep="first")
        .drop("rank")
    )
    floor_bits = -math.inf
    if floor > 0.0:
        floor_bits = math.log2(floor / (1.0 - floor)) if floor < 1.0 else math.inf
        ranked = _light_screen(ranked, rows, reg, floor_bits, rare)
    joined = _evidence_but_name(ranked, rows, reg).join(
        counts.rename({"simple": "simple_rec", "name_count": "name_count_rec"}),
        on="simple_rec",
        how="left",
    )
    known = ["nik_evidence", "date_evidence", "sex_evidence", "district_evidence"]
    partial = pl.sum_horizontal(
        [pl.col(e).replace_strict(WEIGHTS, return_dtype=pl.Float64) for e in known]
    ) + pl.lit(WEIGHTS["prior"])
    joined = joined.with_columns(partial=partial)
    best_name = (
        pl.when((pl.col("name_count_rec") <= rare) & (pl.col("name_count_reg") <= rare))
        .then(pl.lit(_BEST_NAME))
        .otherwise(pl.lit(WEIGHTS["name_same"]))
    )
    joined = joined.filter(pl.col("partial") + best_name >= floor_bits).with_columns(
        need=floor_bits - pl.col("partial")
    )
    joined = _name_scores(joined).with_columns(name_evidence=_band(pl.col("name_sim")))
    # The same name, and one few register people carry: worth more than a common one.
    joined = joined.with_columns(
        name_evidence=pl.when(
            (pl.col("name_evidence") == "name_same")
            & (pl.col("name_count_rec") <= rare)
            & (pl.col("name_count_reg") <= rare)
        )
        .then(pl.lit("name_same_rare"))
        .otherwise(pl.col("name_evidence"))
    )
    # A token dropped (and a typo) is partial evidence: at least `name_part`'s bits; a lone
    # token left, at least `name_token`'s.
    joined = joined.with_columns(
        name_evidence=pl.when(
            pl.col("name_part").is_not_null()
            & (
                pl.col("name_evidence").replace_strict(WEIGHTS, return_dtype=pl.Float64)
                < pl.col("name_part").replace_strict(WEIGHTS, default=0.0, return_dtype=pl.Float64)
            )
        )
        .then(pl.col("name_part"))
        .otherwise(pl.col("name_evidence"))
    )
    bits = pl.col("partial") + pl.col("name_evidence").replace_strict(
        WEIGHTS, return_dtype=pl.Float64
    )
    # Person evidence alone (no NIK relation) never settles a link without review.
    bits = (
        pl.when(pl.col("relation").is_in(_OTHER_BLOCKS))
        .then(pl.min_horizontal(bits, pl.lit(PERSON_ROUTE_CAP)))
        .otherwise(bits)
    )
    evidence = ["nik_evidence", "name_evidence", "date_evidence", "sex_evidence"]
    return joined.select(
        "row",
        "rec",
        (1.0 / (1.0 + (pl.lit(2.0) ** (-bits)))).alias("score"),
        pl.concat_list([*evidence, "district_evidence"]).alias("reasons"),
        "nik_evidence",
        "name_sim",
    )


def best_bits(relations: Iterable[str]) -> float:
    """The most bits a pair found by blocks of these relations can score with the hand
    weights: its NIK relation at its best (NIKs near, for a block that is no NIK relation),
    and the same name, birth date, sex and district."""

    def most(relation: str) -> float:
        same = ("date_same", "sex_same", "district_same")
        bits = WEIGHTS["prior"] + _BEST_NAME + sum(WEIGHTS[evidence] for evidence in same)
        if relation in _OTHER_BLOCKS:
            return min(bits + _BEST_OTHER_NIK, PERSON_ROUTE_CAP)
        return bits + WEIGHTS[relation]

    return max(most(relation) for relation in relations)


def _light_screen(
    ranked: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame, floor_bits: float, rare: int
) -> pl.DataFrame:
    """The pairs that could reach `floor_bits` on their NIK relation and birth dates alone,
    with the best case for everything else: most one-slip neighbours are born on another
    day, so this cheap screen drops most pairs before the full evidence is joined."""
    dates = ["birth_date", "ddmmyy"]
    light = (
        ranked.join(
            rows.select(
                pl.col("id").alias("row"),
                *dates,
                "birth_year",
                "from_nik",
                "as_nik",
                "name_count_reg",
            ),
            on="row",
        )
        .join(
            reg.select(
                pl.col("id").alias("rec"),
                *[pl.col(f).alias(f"{f}_rec") for f in [*dates, "from_nik"]],
            ),
            on="rec",
        )
        .with_columns(date_evidence=_date_relation())
    )
    best_case = (
        pl.when(pl.col("relation").is_in(_OTHER_BLOCKS))
        .then(pl.lit(_BEST_OTHER_NIK))
        .otherwise(pl.col("relation").replace_strict(WEIGHTS, default=0.0, return_dtype=pl.Float64))
        + pl.col("date_evidence").replace_strict(WEIGHTS, return_dtype=pl.Float64)
        + (WEIGHTS["prior"] + WEIGHTS["sex_same"] + WEIGHTS["district_same"])
        # The same name at best: a rare one only where the row's name is rare.
        + pl.when(pl.col("name_count_reg") <= rare)
        .then(pl.lit(_BEST_NAME))
        .otherwise(pl.lit(WEIGHTS["name_same"]))
    )
    return light.filter(best_case >= floor_bits).select("row", "rec", "relation")


def _evidence_but_name(ranked: pl.DataFrame, rows: pl.DataFrame, reg: pl.DataFrame) -> pl.DataFrame:
    """Each pair joined to both sides' fields, with the NIK, birth date, sex and district
    evidence; the name evidence waits for the screen of `score_pairs`."""
    fields = ["nik", "name", "simple", "birth_date", "ddmmyy", "sex", "district"]
    joined = ranked.join(
        rows.select(
            pl.col("id").alias("row"), *fields, "birth_year", "from_nik", "as_nik", "name_count_reg"
        ),
        on="row",
    ).join(
        reg.select(
            pl.col("id").alias("rec"),
            *[pl.col(f).alias(f"{f}_rec") for f in [*fields, "from_nik"]],
        ),
        on="rec",
    )
    other = pl.col("relation").is_in(_OTHER_BLOCKS)
    return (
        pl.concat(
            [
                joined.filter(~other).with_columns(nik_evidence=pl.col("relation")),
                joined.filter(other).with_columns(nik_evidence=_nik_evidence()),
            ]
        )
        .with_columns(date_evidence=_date_relation())
        .with_columns(
            # A NIK near the register's already says "born a digit apart": a date a digit off
            # beside it is the same fact counted twice, and more often another person's.
            date_evidence=pl.when(
                pl.col("date_evidence").is_in(["date_one_digit", "date_year_typo"])
                & (pl.col("nik_evidence") == "nik_near")
            )
            .then(pl.lit("date_different"))
            .otherwise(pl.col("date_evidence")),
            sex_evidence=_field_relation("sex"),
            district_evidence=_field_relation("district"),
        )
    )


def evidence_columns(scored: pl.DataFrame) -> pl.DataFrame:
    """The evidence levels of scored pairs, one column per comparison (`learn.COMPARISONS`),
    read back from their `reasons`."""
    names = ["nik_evidence", "name_evidence", "date_evidence", "sex_evidence", "district_evidence"]
    return scored.select(pl.col("reasons").list.get(i).alias(name) for i, name in enumerate(names))


def rescored(scored: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Scored pairs with their score recomputed from their evidence levels with `weights`
    (the same keys as `WEIGHTS`); the evidence and reasons stay as they are."""
    if scored.height == 0:
        return scored
    bits = pl.lit(weights["prior"]) + pl.sum_horizontal(
        pl.col("reasons").list.get(i).replace_strict(dict(weights), return_dtype=pl.Float64)
        for i in range(5)
    )
    return scored.with_columns(score=1.0 / (1.0 + (pl.lit(2.0) ** (-bits))))

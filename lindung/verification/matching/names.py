"""The name evidence of candidate pairs: similarity bands behind a quick screen, partial
evidence (a token dropped, a lone token left) and rare names."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from lindung.common.collector import collector_paused
from lindung.domain.names import name_similarity
from lindung.verification.matching.blocks import folded
from lindung.verification.matching.evidence import WEIGHTS

_NAME_BANDS: Final = (
    (0.97, "name_same"),
    (0.92, "name_close"),
    (0.85, "name_similar"),
    (0.75, "name_weak"),
    (0.6, "name_unlike"),
)

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


def name_scores(pairs: pl.DataFrame) -> pl.DataFrame:
    """`name_sim` for each pair: 1.0 when the simple forms are equal; else, for names that
    pass a quick vectorised screen (see `_screen_floor`; `pairs` carries `need`, the bits
    the pair lacks to reach the floor with no name evidence), the domain's similarity,
    computed once per distinct pair of names; else the screen's own (low) figure."""
    differ = (pl.col("simple") != pl.col("simple_rec")) & (pl.col("simple") != "")
    # One line per distinct pair of names (the simple forms follow from the names), folded
    # once there.
    todo = (
        pairs.filter(differ)
        .group_by("name", "name_rec")
        .agg(
            pl.col("simple").first().alias("sa"),
            pl.col("simple_rec").first().alias("sb"),
            _screen_floor(pl.col("need")).min().alias("screen"),
        )
        .with_columns(folded("sa").alias("fa"), folded("sb").alias("fb"))
    )
    todo = _screened(todo)
    worth = todo.filter(pl.col("quick") >= pl.col("screen"))
    # Tens of thousands of names analysed, each a handful of tuples and none in a cycle.
    with collector_paused():
        sims = [
            _similarity_of(a, b)
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


def _similarity_of(a: str, b: str) -> float:
    """The domain's `name_similarity` of two names, computed once per pair of names as the
    domain reads them: one run scores pairs in several rounds and links (the register, the
    people already known, the duplicates among the rows); the same pair comes back in either
    order (the similarity is symmetric by construction) and written in another case or
    spacing ("Hj. Wasini" and "HJ. WASINI")."""
    a, b = _as_read(a), _as_read(b)
    return _similarity(a, b) if a <= b else _similarity(b, a)


def _as_read(name: str) -> str:
    """An ASCII name in upper case with single spaces: the domain reads a name's letters in
    upper case (folded to ASCII) and any run of spaces as one separator, so its similarity
    to any name is the same. Other names as written (upper-casing "ß" gives "SS", which
    the domain's ASCII folding would have dropped)."""
    return " ".join(name.upper().split()) if name.isascii() else name


@lru_cache(maxsize=1 << 17)
def _similarity(a: str, b: str) -> float:
    return name_similarity(a, b)


def _screened(todo: pl.DataFrame) -> pl.DataFrame:
    """Distinct pairs of names (folded `fa`, `fb`) with `quick`, the screen's figure: the
    better of the token-set ratio and the ratio without spaces."""
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
    return todo


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
    """The band of a similarity, as its index in `_NAME_BANDS` (the last index and one more:
    "name_different")."""
    expr: Any = pl.when(sim >= _NAME_BANDS[0][0]).then(pl.lit(0, dtype=pl.UInt8))
    for index, (bound, _label) in enumerate(_NAME_BANDS[1:], start=1):
        expr = expr.when(sim >= bound).then(pl.lit(index, dtype=pl.UInt8))
    band: pl.Expr = expr.otherwise(pl.lit(len(_NAME_BANDS), dtype=pl.UInt8))
    return band


# The name's evidence levels by code: the bands, then the same name when rare.
_NAME_LEVELS: Final = (
    *(label for _bound, label in _NAME_BANDS),
    "name_different",
    "name_same_rare",
)
_SAME_RARE: Final = len(_NAME_LEVELS) - 1


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


BEST_NAME: Final = max(WEIGHTS["name_same"], WEIGHTS["name_same_rare"])


def name_evidence(scored: pl.DataFrame, rare: int) -> pl.DataFrame:
    """`name_evidence` of pairs with their `name_sim` and `name_part` (`name_scores`): the
    band of the similarity; the same name counts as rare where both names' keys are carried
    by at most `rare` of the register (`name_count_rec`, `name_count_reg`); partial evidence
    (a token dropped and a typo, a lone token left) lifts a lower band to its own bits."""
    band = _band(pl.col("name_sim"))
    # The same name, and one few register people carry: worth more than a common one.
    level = (
        pl.when(
            (band == 0) & (pl.col("name_count_rec") <= rare) & (pl.col("name_count_reg") <= rare)
        )
        .then(pl.lit(_SAME_RARE, dtype=pl.UInt8))
        .otherwise(band)
    )
    weights = {code: WEIGHTS[label] for code, label in enumerate(_NAME_LEVELS)}
    labels = dict(enumerate(_NAME_LEVELS))
    part = pl.col("name_part").replace_strict(WEIGHTS, default=0.0, return_dtype=pl.Float64)
    return (
        scored.lazy()
        .with_columns(_level=level)
        .with_columns(
            name_evidence=pl.when(
                pl.col("name_part").is_not_null()
                & (pl.col("_level").replace_strict(weights, return_dtype=pl.Float64) < part)
            )
            .then(pl.col("name_part"))
            .otherwise(pl.col("_level").replace_strict(labels, return_dtype=pl.String))
        )
        .drop("_level")
        .collect(engine="in-memory")
    )

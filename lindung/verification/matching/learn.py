"""Evidence weights learned from a run's own candidate pairs (Fellegi-Sunter m and u by
expectation-maximisation), so that a Pemda whose lists are messier than the benchmark's
still scores well.

Each candidate pair has one evidence level per comparison (`COMPARISONS`: the NIK relation,
the name band, the birth date level, sex, district). Under conditional independence a pair's
likelihood ratio is the product over comparisons of m/u, where m is how often the level is
seen among true matches and u among chance pairs. EM estimates both without any truth:

- start: every pair's probability of being a match is its score under the hand weights
  (`evidence.WEIGHTS`): the hand weights are the prior;
- M step: m and u of each level from the counts of pairs seen at that level, weighted by
  the probabilities (plus the share of matches among the pairs);
- E step: each pair's probability again, from the new m, u and share;
- a fixed, small number of rounds (`ITERATIONS`).

Work is done on the counts of each combination of levels (a few hundred lines at 100.000 x
1.000.000), never pair by pair: it takes milliseconds.

The weights scored with are log2(m/u) of each level and, as the prior, the log-odds of the
share of matches EM finds among the pairs: the score of a pair is then EM's probability that
it is a match. The pairs are the candidates the blocks found (and the screen kept), not all
pairs: the learned weights live on that scale, not the hand weights' (whose prior is set
for pairs in a block); the thresholds of a Pemda apply to the learned probability.

Guard rails:
- a level's log2(m/u) is shrunk towards its hand weight by its support (a Bayesian prior
  with a pseudo-count, `PSEUDO_COUNT`; the effective support of log2(m/u) is
  1 / (1/M + 1/U) for M, U the weighted counts of matches and non-matches at the level);
  below `MIN_SUPPORT` the hand weight stays;
- no weight beyond `MAX_BITS` bits either way;
- a strong level keeps its sign: a hand weight of `STRONG` bits or more stays at least
  `SIGN_FLOOR` bits on its side of zero (the same NIK is evidence for, a different name
  against, whatever a run's pairs say);
- the unknown levels (a field blank on either side) stay at 0: a blank is no evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

COMPARISONS: Final = ("nik", "name", "date", "sex", "district")
ITERATIONS: Final = 10
PSEUDO_COUNT: Final = 200.0
MIN_SUPPORT: Final = 20.0
MAX_BITS: Final = 20.0
STRONG: Final = 3.0
SIGN_FLOOR: Final = 1.0
_FIXED: Final = frozenset({"nik_unknown", "date_unknown", "sex_unknown", "district_unknown"})
_EPSILON: Final = 1e-9


@dataclass(frozen=True)
class Learned:
    """The weights to score with (every key of the hand weights), and what EM found:
    `m` and `u` per level, the share of candidate pairs taken for matches, and each level's
    effective support (see the module's docstring)."""

    weights: dict[str, float]
    m: dict[str, float]
    u: dict[str, float]
    matches: float
    support: dict[str, float]
    pairs: int


def pattern_counts(evidence: pl.DataFrame) -> pl.DataFrame:
    """The number of pairs `n` of each combination of levels; `evidence` holds one column
    `<comparison>_evidence` per comparison. Sorted, so that the result is deterministic."""
    columns = [f"{c}_evidence" for c in COMPARISONS]
    return evidence.group_by(columns).agg(pl.len().alias("n")).sort(columns)


def _logit2(p: np.ndarray) -> np.ndarray:
    clipped = np.clip(p, _EPSILON, 1.0 - _EPSILON)
    result: np.ndarray = np.log2(clipped) - np.log2(1.0 - clipped)
    return result


@dataclass(frozen=True)
class _Levels:
    """One comparison: its levels and each pattern's level index."""

    names: list[str]
    index: np.ndarray


def _m_step(
    levels: list[_Levels], n: np.ndarray, p: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray], float]:
    """Weighted counts of matches (M) and non-matches (U) per level, m and u (smoothed) and
    the share of matches."""
    matched, other = n * p, n * (1.0 - p)
    big_m, big_u, ms, us = [], [], [], []
    for comparison in levels:
        width = len(comparison.names)
        counts_m = np.bincount(comparison.index, weights=matched, minlength=width)
        counts_u = np.bincount(comparison.index, weights=other, minlength=width)
        big_m.append(counts_m)
        big_u.append(counts_u)
        ms.append((counts_m + _EPSILON) / (counts_m.sum() + _EPSILON * width))
        us.append((counts_u + _EPSILON) / (counts_u.sum() + _EPSILON * width))
    share = float(matched.sum() / max(n.sum(), _EPSILON))
    return big_m, big_u, ms, us, share


def learn_weights(
    counts: pl.DataFrame, hand: Mapping[str, float], *, iterations: int = ITERATIONS
) -> Learned:
    """EM over `counts` (see `pattern_counts`) starting from the `hand` weights;
    the weights learned with the guard rails of the module's docstring."""
    n = counts.get_column("n").to_numpy().astype(np.float64)
    if n.size == 0 or n.sum() == 0:
        return Learned(dict(hand), {}, {}, 0.0, {}, 0)
    levels: list[_Levels] = []
    for field in COMPARISONS:
        column = counts.get_column(f"{field}_evidence")
        names = sorted(set(column.to_list()))
        position = {name: i for i, name in enumerate(names)}
        levels.append(
            _Levels(names, np.array([position[v] for v in column.to_list()], dtype=np.int64))
        )
    bits = np.full(n.shape, hand["prior"])
    for comparison in levels:
        bits += np.array([hand[name] for name in comparison.names])[comparison.index]
    p = 1.0 / (1.0 + np.power(2.0, -bits))
    big_m, big_u, ms, us, share = _m_step(levels, n, p)
    for _ in range(iterations):
        logit = np.full(n.shape, float(_logit2(np.array([share]))[0]))
        for comparison, m, u in zip(levels, ms, us, strict=True):
            logit += (np.log2(m) - np.log2(u))[comparison.index]
        p = 1.0 / (1.0 + np.power(2.0, -logit))
        big_m, big_u, ms, us, share = _m_step(levels, n, p)
    weights = dict(hand)
    weights["prior"] = round(float(_logit2(np.array([share]))[0]), 3)
    support: dict[str, float] = {}
    m_of: dict[str, float] = {}
    u_of: dict[str, float] = {}
    for i, comparison in enumerate(levels):
        learned = np.log2(ms[i]) - np.log2(us[i])
        for j, name in enumerate(comparison.names):
            m_of[name], u_of[name] = float(ms[i][j]), float(us[i][j])
            found = _support(float(big_m[i][j]), float(big_u[i][j]))
            support[name] = round(found, 1)
            if name in _FIXED or name not in hand or found < MIN_SUPPORT:
                continue
            weights[name] = _guarded(hand[name], float(learned[j]), found)
    return Learned(weights, m_of, u_of, share, support, int(n.sum()))


def _support(matched: float, other: float) -> float:
    if matched <= 0.0 or other <= 0.0:
        return 0.0
    return 1.0 / (1.0 / matched + 1.0 / other)


def _guarded(hand: float, learned: float, support: float) -> float:
    """log2(m/u) `learned` at `support`, shrunk towards the `hand` weight and clamped (see
    the module's docstring)."""
    weight = (support * learned + PSEUDO_COUNT * hand) / (support + PSEUDO_COUNT)
    weight = max(-MAX_BITS, min(MAX_BITS, weight))
    if hand >= STRONG:
        weight = max(weight, SIGN_FLOOR)
    elif hand <= -STRONG:
        weight = min(weight, -SIGN_FLOOR)
    return round(weight, 3) if math.isfinite(weight) else hand

"""Evidence weights learned by EM from a run's candidate pairs (`matching.learn`)."""

from __future__ import annotations

import itertools
import math

import polars as pl
import pytest

from lindung.verification import matching
from lindung.verification.matching import learn
from lindung.verification.matching.evidence import WEIGHTS, MatchSettings

# A mixture of matches and chance pairs with known m and u, three comparisons that vary
# (NIK, name, birth date) and two that never do (sex and district always the same).
SHARE = 0.4
TRUE_M = {
    "nik_exact": 0.7, "nik_different": 0.3,
    "name_same": 0.9, "name_different": 0.1,
    "date_same": 0.8, "date_different": 0.2,
}  # fmt: skip
TRUE_U = {
    "nik_exact": 0.05, "nik_different": 0.95,
    "name_same": 0.1, "name_different": 0.9,
    "date_same": 0.2, "date_different": 0.8,
}  # fmt: skip


def _mixture(pairs: float = 10_000.0) -> pl.DataFrame:
    """The expected count of each combination of levels: pairs x (share x product of m +
    (1 - share) x product of u). For example (nik_exact, name_same, date_same):
    10.000 x (0,4 x 0,7 x 0,9 x 0,8 + 0,6 x 0,05 x 0,1 x 0,2) = 2.016 + 6 = 2.022."""
    lines = []
    for nik, name, date in itertools.product(
        ("nik_exact", "nik_different"),
        ("name_same", "name_different"),
        ("date_same", "date_different"),
    ):
        m = TRUE_M[nik] * TRUE_M[name] * TRUE_M[date]
        u = TRUE_U[nik] * TRUE_U[name] * TRUE_U[date]
        n = pairs * (SHARE * m + (1 - SHARE) * u)
        lines.append((nik, name, date, "sex_same", "district_same", n))
    columns = [f"{c}_evidence" for c in learn.COMPARISONS]
    return pl.DataFrame(lines, schema=[*columns, "n"], orient="row")


def test_the_mixture_is_worked_by_hand():
    counts = _mixture()
    first = counts.filter(
        (pl.col("nik_evidence") == "nik_exact")
        & (pl.col("name_evidence") == "name_same")
        & (pl.col("date_evidence") == "date_same")
    )
    assert first.get_column("n").item() == pytest.approx(2022.0)
    assert counts.get_column("n").sum() == pytest.approx(10_000.0)


def test_em_recovers_the_known_m_and_u_of_a_mixture():
    learned = learn.learn_weights(_mixture(), WEIGHTS, iterations=300)
    assert learned.matches == pytest.approx(SHARE, abs=0.005)
    for level, m in TRUE_M.items():
        assert learned.m[level] == pytest.approx(m, abs=0.01), level
        assert learned.u[level] == pytest.approx(TRUE_U[level], abs=0.01), level
    # The learned log-likelihood ratio of a name agreeing: log2(0,9 / 0,1) = 3,17 bits.
    assert math.log2(learned.m["name_same"] / learned.u["name_same"]) == pytest.approx(
        3.17, abs=0.1
    )


def test_a_level_with_too_little_support_keeps_its_hand_weight():
    counts = pl.concat(
        [
            _mixture(),
            pl.DataFrame(
                [("nik_transposed", "name_same", "date_same", "sex_same", "district_same", 3.0)],
                schema=_mixture().columns,
                orient="row",
            ),
        ]
    )
    learned = learn.learn_weights(counts, WEIGHTS)
    assert learned.support["nik_transposed"] < learn.MIN_SUPPORT
    assert learned.weights["nik_transposed"] == WEIGHTS["nik_transposed"]
    # Levels never seen and the unknown levels keep the hand weights too.
    assert learned.weights["nik_extra_digit"] == WEIGHTS["nik_extra_digit"]
    assert learned.weights["date_unknown"] == 0.0


def test_the_prior_is_the_log_odds_of_the_share_of_matches():
    learned = learn.learn_weights(_mixture(), WEIGHTS, iterations=300)
    # 40 % matches: log2(0,4 / 0,6) = -0,585 bits.
    assert learned.weights["prior"] == pytest.approx(-0.585, abs=0.03)


def test_a_learned_weight_is_shrunk_towards_the_hand_weight_by_its_support():
    # log2(m/u) = 2 bits seen with an effective support of 200 pairs (the pseudo-count):
    # halfway to a hand weight of 6 bits, 4 bits.
    assert learn.PSEUDO_COUNT == 200.0
    assert learn._support(400.0, 400.0) == 200.0
    assert learn._guarded(6.0, 2.0, 200.0) == 4.0
    # With a thousand times the support the data all but decide: (200000 x 2 + 200 x 6) /
    # 200200 = 2,004.
    assert learn._guarded(6.0, 2.0, 200_000.0) == pytest.approx(2.004, abs=0.001)


def test_a_strong_level_keeps_its_sign_and_no_weight_runs_away():
    assert learn._guarded(13.0, -30.0, 1e9) == 1.0  # the same NIK stays evidence for
    assert learn._guarded(-11.0, 15.0, 1e9) == -1.0  # a different name stays against
    assert learn._guarded(0.0, -2.5, 1e9) == pytest.approx(-2.5)  # a weak level may go either way
    assert learn._guarded(7.0, 60.0, 1e9) == 20.0


def test_learning_is_deterministic_whatever_the_order_of_the_pairs():
    evidence = pl.DataFrame(
        {
            "nik_evidence": ["nik_exact"] * 300 + ["nik_different"] * 200 + ["nik_near"] * 50,
            "name_evidence": ["name_same"] * 280 + ["name_different"] * 240 + ["name_part"] * 30,
            "date_evidence": ["date_same"] * 350 + ["date_different"] * 200,
            "sex_evidence": ["sex_same"] * 550,
            "district_evidence": ["district_same"] * 500 + ["district_different"] * 50,
        }
    )
    once = learn.learn_weights(learn.pattern_counts(evidence), WEIGHTS)
    shuffled = evidence.sample(fraction=1.0, shuffle=True, seed=7)
    again = learn.learn_weights(learn.pattern_counts(shuffled), WEIGHTS)
    assert once == again


def test_no_pairs_learn_nothing():
    counts = learn.pattern_counts(
        pl.DataFrame(schema={f"{c}_evidence": pl.String for c in learn.COMPARISONS})
    )
    assert learn.learn_weights(counts, WEIGHTS).weights == dict(WEIGHTS)


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    from datetime import date

    register = pl.DataFrame(
        {
            "record_id": [1, 2, 3],
            "nik": ["3504010101800001", "3504014202850002", "3504010303900003"],
            "kk": ["3504010000000001", "3504010000000002", "3504010000000003"],
            "name": ["BUDI SANTOSO", "SITI AMINAH", "AGUS SALIM"],
            "birth_date": [date(1980, 1, 1), date(1985, 2, 2), date(1990, 3, 3)],
            "sex": ["L", "P", "L"],
            "district": ["35.04.01", "35.04.01", "35.04.01"],
        },
        schema=matching.REGISTER_SCHEMA,
    )
    rows = pl.DataFrame(
        {
            "row_id": [10, 11, 12],
            "agency_id": [1, 1, 2],
            "nik": ["3504010101800001", "3504014202850002", ""],
            "kk": ["", "", ""],
            "name": ["BUDI SANTOSO", "SITI AMINAH", "AGUS SALIM"],
            "birth_date": [date(1980, 1, 1), date(1985, 2, 2), date(1990, 3, 3)],
            "sex": ["L", "P", "L"],
            "district": ["35.04.01", "35.04.01", "35.04.01"],
        },
        schema=matching.ROW_SCHEMA,
    )
    return rows, register


def test_linking_with_hand_weights_reports_the_hand_weights():
    rows, register = _frames()
    links, weights = matching.link_weighted(rows, register, MatchSettings())
    assert weights == dict(WEIGHTS)
    assert links.get_column("record_id").to_list() == [1, 2, 3]


def test_linking_with_learned_weights_scores_with_the_weights_it_reports():
    rows, register = _frames()
    links, weights = matching.link_weighted(rows, register, MatchSettings(learn_weights=True))
    assert set(weights) == set(WEIGHTS)
    assert links.get_column("record_id").to_list() == [1, 2, 3]
    # The same NIK, name, birth date, sex and district: the score is the sum of those
    # weights on top of the prior, whatever they were learned to be.
    first = links.row(0, named=True)
    bits = weights["prior"] + sum(weights[r] for r in first["reasons"])
    assert first["score"] == pytest.approx(matching.probability(bits))

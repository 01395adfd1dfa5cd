"""What the engine works with: its settings, the evidence weights and the schemas of the
frames it takes and gives."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

import polars as pl

ROW_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "agency_id": pl.Int64(),
    "nik": pl.String(),
    "kk": pl.String(),
    "name": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "district": pl.String(),
}
REGISTER_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "record_id": pl.Int64(),
    "nik": pl.String(),
    "kk": pl.String(),
    "name": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "district": pl.String(),
}
LINK_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "record_id": pl.Int64(),
    "match": pl.String(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
}
GROUP_SCHEMA: Final[Mapping[str, pl.DataType]] = {
    "row_id": pl.Int64(),
    "group_id": pl.Int64(),
    "duplicate_of": pl.Int64(),
    "score": pl.Float64(),
    "reasons": pl.List(pl.String()),
}


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds on the score in [0, 1]. A link on the same NIK scoring `link_accept` or
    more is decided without review; any other link scoring `link_review` or more is probable
    and goes to the review queue. Duplicates likewise with the `duplicate_*` pair."""

    link_accept: float = 0.99
    link_review: float = 0.5
    duplicate_accept: float = 0.99
    duplicate_review: float = 0.5
    ambiguity: float = 0.05  # a runner-up this close to the best makes the link a question
    # Score with weights learned from the run's own candidate pairs (`learn`), the hand
    # weights (`WEIGHTS`) their prior; off: the hand weights as they are.
    learn_weights: bool = False

    @classmethod
    def from_policy(cls, policy: Mapping[str, object]) -> MatchSettings:
        """The settings a run's stored policy names (other keys, such as the weights the run
        used, are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in policy.items() if k in known})  # type: ignore[arg-type]


# Evidence weights in bits (log2 of how much likelier the observation is for the same person
# than for two people who landed in the same block). `prior` is the starting point of a pair.
WEIGHTS: Final[Mapping[str, float]] = {
    "prior": -13.0,
    # How the NIKs relate.
    "nik_exact": 13.0,
    "nik_substituted": 7.5,
    "nik_transposed": 8.5,
    "nik_missing_digit": 7.5,
    "nik_extra_digit": 7.5,
    "nik_day_plus_40": 8.5,
    # Fifteen digits one slip from the register NIK's first fifteen (a typo, and the 16th
    # digit lost to a spreadsheet): two faults, so less than one.
    "nik_slip_lost_digit": 6.0,
    # The household: the family card in the NIK column, the same KK, or a relative's NIK
    # (the row's NIK is another member's of the candidate's family card). A family card has
    # a handful of members: the name and birth date must still pick the person out.
    "nik_is_kk": 5.0,
    "same_kk": 5.0,
    "nik_of_relative": 5.0,
    "nik_near": 3.0,  # at most two digits apart, found by another block
    # A NIK cut short (12-14 digits) that begins the other NIK: it codes the district of
    # issue, the birth date and sex, and the first digits of the serial.
    "nik_cut_short": 6.0,
    "nik_different": -3.0,  # both have a NIK and they are further apart
    "nik_unknown": 0.0,
    # Names: similarity bands, lower bound inclusive.
    "name_same": 7.0,  # >= 0.97
    # The same name, carried by at most two people of the register (`scoring.RARE_NAME`).
    "name_same_rare": 10.0,
    "name_close": 5.0,  # >= 0.92
    "name_similar": 4.0,  # >= 0.85
    "name_weak": 0.0,  # >= 0.75
    "name_unlike": -5.0,  # >= 0.6
    "name_different": -11.0,  # < 0.6
    "name_part": 3.0,  # a token dropped, the rest the same or one typo away (`name_part`)
    # A lone token left of a longer name, the same or one typo away (`name_token`): only
    # beside strong evidence (the same NIK and birth date) is it enough.
    "name_token": -4.5,
    # Birth dates.
    "date_same": 7.0,
    "date_one_digit": 3.0,  # one digit of dd-mm-yy differs
    "date_day_month_swapped": 3.0,
    "date_year_off_by_one": 3.0,
    # The same day and month, the year's two last digits swapped (1978/1987), or one of
    # them off beside a NIK one slip away (where `date_one_digit` does not count).
    "date_year_typo": 2.0,  # the same day and month, the year one apart (1979/1980)
    "date_same_year": 0.0,  # another day and month of the same year: no evidence either way
    "date_year_only": 3.0,  # only the year written, and it is the same
    "date_year_only_near": 1.0,  # only the year written, one apart
    "date_different": -5.0,
    "date_unknown": 0.0,
    # Sex.
    "sex_same": 1.0,
    "sex_different": -4.0,
    "sex_unknown": 0.0,
    # District of the address.
    "district_same": 1.5,
    "district_different": -3.0,  # one person's address rarely differs between two lists
    "district_unknown": 0.0,
}


def empty_links() -> pl.DataFrame:
    return pl.DataFrame(schema=LINK_SCHEMA)


def empty_groups() -> pl.DataFrame:
    return pl.DataFrame(schema=GROUP_SCHEMA)


def probability(bits: float) -> float:
    """The score a sum of evidence bits gives (exposed for tests and the docs)."""
    return 1.0 / (1.0 + math.pow(2.0, -bits))

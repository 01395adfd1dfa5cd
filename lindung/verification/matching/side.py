"""The work of a run that does not wait for the register link: the link to people already
known (enrolled, last year's, dead) and the duplicate candidates among the rows. A large run
does it in a second process (`verify`'s `_SideWork`) while this one links to the register:
the engine is mostly single-threaded Python, and the machine has a second core."""

from __future__ import annotations

import polars as pl

from lindung.verification.matching.evidence import MatchSettings
from lindung.verification.matching.groups import duplicate_candidates
from lindung.verification.matching.linking import link


def known_links(rows: pl.DataFrame, known: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The rows' links to people already known, as the run keeps them: any link the engine
    would decide on its own account (the same NIK, or a NIK one slip off with name, birth
    date and the rest agreeing), unambiguous."""
    return link(rows, known, settings, accepted_only=True).filter(
        (pl.col("score") >= settings.link_accept) & ~pl.col("reasons").list.contains("ambiguous")
    )


def side_work(
    rows: pl.DataFrame, known: pl.DataFrame, settings: MatchSettings
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(known links, duplicate candidates): both need the rows and the known people only."""
    return known_links(rows, known, settings), duplicate_candidates(rows, settings)

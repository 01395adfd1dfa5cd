"""The matching engine: who in a list of submitted rows is which person of the welfare
register, and which rows are one person handed in twice.

Pure and columnar: polars frames in, polars frames out, no database and no Django, so the
same code serves the verification run, the benchmark and the tests. Work is done on whole
columns; the only per-item Python is the name similarity of the domain core, called once per
distinct pair of names that needs it.

How a pair of (row, register record) becomes a candidate -- the blocks:

- the same 16-digit NIK;
- NIKs one edit apart, found as each row's variants (every NIK one edit from the row's, made
  arithmetically) joined to the other side's NIKs: one digit substituted, two adjacent digits
  swapped, a digit missing (15 digits) or extra (17), which also covers a NIK whose last
  digit a spreadsheet turned into 0 (a digit moved further is two edits: no neighbour);
- a woman's NIK written with her birth day without the +40 (or a man's with it);
- the family-card (KK) number written in the NIK column, and the same KK number;
- for rows whose NIK found nobody: the same birth date, sex and district; the same name
  (folded spelling) in the same district, unless many there carry it (`blocks.KEY_CAP`);
- the second route, for rows whose NIK cannot help (blank, broken -- not 16 digits --, a
  relative's or the family card's): the household of the register person whose NIK the row
  carries (the person within it found by name and birth date), and person blocks -- the same
  birth date and district, a name token with the birth year (or the district, without a
  year), the name's tokens in any order -- each a join on keys, keys many register people
  share left out (`blocks.KEY_CAP`), never a comparison of every pair; a NIK cut short
  (12-14 digits) meets by its 12-digit prefix; a NIK that lost its 16th digit to a
  spreadsheet and carries a slip besides meets by the variants of its first fifteen digits
  (`nik_edits.lost_digit_pairs`) -- a damaged numeric cell, or, for rows still unsettled, any
  16-digit NIK ending in 0 (the damage arrives as text once the sheet is saved as CSV).

How a candidate is scored: evidence weights in bits (`WEIGHTS`), summed over the NIK relation,
the name similarity (`lindung.domain.names.name_similarity`), the birth date, the sex and the
district, then turned into a probability in [0, 1]. Partial evidence is graded: a birth date
a digit off, day and month swapped, the year one apart, a year typo (its last two digits
one slip apart or swapped; beside a NIK slip only where the row's NIK says another date than
the row), only the year written (optional `birth_year` column), a name with a token dropped
and a typo (`names.name_part`), a lone token left of a name (`names.name_token`, enough
only beside the same NIK and birth date), a NIK cut short, and the same name counting more
where at most two of the register carry it (`name_same_rare`, `names.rare_limit`). Person
evidence alone (no NIK relation) is capped below `link_accept`: such a link always goes to a
verifier. The
weights are set by hand from what each piece of evidence is worth in a regency's register (a
shared birth date is worth about 14 bits among 20.000 birth dates; a shared NIK more than any
other field); every link lists the evidence it rests on in `reasons`, in words a verifier can
check.

The package, in the order the work happens: `evidence` (settings, weights and the frames'
schemas), `blocks` (preparing frames and finding candidate pairs; `nik_edits`, the pairs of
NIKs one edit apart, by the rows' variants), `prepared` (a side prepared once), `scoring`
(evidence and score of each pair; `names`, the names' evidence), `linking` (each row's best
register record) and `groups` (rows that are one person).
"""

from lindung.verification.matching.evidence import (
    GROUP_SCHEMA,
    LINK_SCHEMA,
    REGISTER_SCHEMA,
    ROW_SCHEMA,
    WEIGHTS,
    MatchSettings,
    empty_groups,
    empty_links,
    probability,
)
from lindung.verification.matching.groups import duplicate_groups
from lindung.verification.matching.linking import candidates, link, link_weighted, needs_review
from lindung.verification.matching.scoring import score_pairs

__all__ = [
    "GROUP_SCHEMA",
    "LINK_SCHEMA",
    "REGISTER_SCHEMA",
    "ROW_SCHEMA",
    "WEIGHTS",
    "MatchSettings",
    "candidates",
    "duplicate_groups",
    "empty_groups",
    "empty_links",
    "link",
    "link_weighted",
    "needs_review",
    "probability",
    "score_pairs",
]

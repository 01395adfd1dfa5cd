"""`candidates.unnamed` and `findings.Wording`: rows assessed with the rows their duplicate
finding names left out, then worded with each row's own put in (`findings.named`), read
exactly as findings worded one by one (`message_of`, `json.dumps`)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import polars as pl

from lindung.domain.eligibility import EligibilityPolicy
from lindung.verification import matching
from lindung.verification.candidates import assess_rows, unnamed
from lindung.verification.findings import Context, Wording, message_of, named

NAMES = {1: 'Dinas "Sosial" \\ $1 Ñ', 2: "Dinas Perhubungan", 3: ""}
# (group_id, owner, duplicate_of_agency, duplicate_of_row, owner_agency, owner_row, is_owner)
DUPLICATES = (
    (None, None, None, None, None, None, False),
    (7, None, 1, 4, None, None, False),
    (7, None, 2, 4, None, None, False),
    (8, None, 2, 9, None, None, False),
    (8, None, 9, None, None, None, False),  # an agency without a name, a row without number
    (9, 41, 1, 4, 2, 12, False),
    (9, 41, 2, 12, 2, 12, True),
    (10, 42, 2, 3, 1, 5, False),
    (10, 42, None, 3, None, None, False),
)
NIK = (
    (["nik_length"], "NIK kurang dari 16 digit."),
    (["nik_serial_zero"], "Nomor urut 0000."),
    ([], ""),
)


def _rows() -> pl.DataFrame:
    rows = []
    for group, owner, other_agency, other_row, owner_agency, owner_row, is_owner in DUPLICATES:
        for codes, nik_message in NIK:
            rows.append(
                {
                    "codes": codes, "known_deceased": False, "register_deceased": False,
                    "enrolled": False, "group_id": group, "owner": owner,
                    "duplicate_of_agency": other_agency, "duplicate_of_row": other_row,
                    "owner_agency": owner_agency, "owner_row": owner_row,
                    "nik_message": nik_message, "age": None, "resident": True,
                    "occupation_id": None, "match": None, "desil": None, "decided": False,
                    "score": None, "reasons": [], "previous": False, "is_owner": is_owner,
                }
            )  # fmt: skip
    return pl.DataFrame(rows, schema_overrides={"reasons": pl.List(pl.String)})


POLICY = EligibilityPolicy(min_age=18, max_age=64, residency_required=True, register_required=False)


def _context() -> Context:
    return Context(
        program=SimpleNamespace(year=2025),  # type: ignore[arg-type]
        snapshot=None,
        settings=matching.MatchSettings(),
        regency="35.04",
        pemda_name="Kabupaten Uji",
        allowed_occupations=frozenset(),
        agency_names=NAMES,
    )


def test_duplicates_worded_unnamed_then_named_read_as_worded_one_by_one():
    policy, context = POLICY, _context()
    rows = _rows()

    each = assess_rows(rows, policy)
    expected = [
        json.dumps(
            [{"code": f.outcome.value, "message": message_of(f, context)} for f in findings],
            ensure_ascii=False,
        )
        for findings in (each.findings[index] for index in each.which)
    ]
    alike = assess_rows(rows.with_columns(**unnamed()), policy)
    wording = Wording(context)
    worded = pl.Series("findings", [wording.of(alike.findings[i]) for i in alike.which])
    got = rows.with_columns(worded).select(named(pl.col("findings"), context)).to_series()

    assert got.to_list() == expected
    assert alike.verdicts == each.verdicts
    assert alike.review_duplicate == each.review_duplicate
    assert "Dinas Perhubungan (baris 12)" in expected[15]
    # ... and the rows a duplicate names no longer tell rows apart.
    assert rows.with_columns(**unnamed()).unique().height < rows.unique().height / 2


def test_each_message_template_is_translated_once(monkeypatch):
    asked: list[str] = []

    def gettext(message: str) -> str:
        asked.append(message)
        return "»" + message

    monkeypatch.setattr("lindung.verification.findings.gettext", gettext)
    context, rows = _context(), _rows()
    assessed = assess_rows(rows.with_columns(**unnamed()), POLICY)
    wording = Wording(context)

    worded = [wording.of(findings) for findings in assessed.findings]

    assert len(assessed.findings) > 3
    assert sorted(asked) == sorted(set(asked))
    assert "»NIK tidak valid: " in "".join(worded)  # the words are the translation's

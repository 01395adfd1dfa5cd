"""`candidates.untold` and `findings.Wording`: rows assessed with the values that only go
into their findings' words left out, then worded with each row's own put in
(`findings.named`), read exactly as findings worded one by one (`message_of`,
`json.dumps`)."""

from __future__ import annotations

import itertools
import json
from types import SimpleNamespace

import polars as pl

from lindung.domain.eligibility import EligibilityPolicy
from lindung.verification import matching
from lindung.verification.candidates import alike, assess_rows, untold
from lindung.verification.findings import Context, Wording, message_of, named

NAMES = {1: 'Dinas "Sosial" \\ $1 Ñ', 2: "Dinas Perhubungan", 3: ""}
# (group_id, owner, duplicate_of_agency, duplicate_of_row, owner_agency, owner_row, is_owner)
DUPLICATES = (
    (None, None, None, None, None, None, False),
    (7, None, 1, 4, None, None, False),
    (7, None, 2, 4, None, None, False),
    (8, None, 9, None, None, None, False),  # an agency without a name, a row without number
    (9, 41, 1, 4, 2, 12, False),
    (9, 41, 2, 12, 2, 12, True),
    (10, 42, None, 3, None, None, False),
)
NIK = (
    (["nik_length"], 'NIK "kurang" dari 16 digit \\ $0.'),
    (["nik_serial_zero", "village_spelling"], "Nomor urut 0000."),
    ([], ""),
)
AGES = (None, 10, 17, 40, 70, 90)
# (match, score, reasons, desil, decided)
LINKS = (
    (None, None, None, None, False),
    ("exact", 0.995, ["nik_exact"], 3, False),
    ("exact", 0.995, ["nik_exact", "ambiguous"], 7, False),
    ("probable", 0.7, ["name_close", "date_same"], 0, False),
    ("probable", 0.7, ["name_same", 'odd "code" \\'], 6, False),
    ("probable", 1.0, ["decided"], 9, True),
    ("exact", 0.99, ["nik_exact"], None, False),
)
POLICY = EligibilityPolicy(
    min_age=18, max_age=64, residency_required=True, register_required=False,
    max_desil=5, link_accept=0.99,
)  # fmt: skip


def _rows() -> pl.DataFrame:
    rows = []
    for duplicate, nik, age, link in itertools.product(DUPLICATES, NIK, AGES, LINKS):
        group, owner, other_agency, other_row, owner_agency, owner_row, is_owner = duplicate
        match, score, reasons, desil, decided = link
        rows.append(
            {
                "codes": nik[0], "known_deceased": False, "register_deceased": False,
                "enrolled": False, "group_id": group, "owner": owner,
                "duplicate_of_agency": other_agency, "duplicate_of_row": other_row,
                "owner_agency": owner_agency, "owner_row": owner_row,
                "nik_message": nik[1], "age": age, "resident": True,
                "occupation_id": None, "match": match, "desil": desil, "decided": decided,
                "score": score, "reasons": reasons, "previous": False, "is_owner": is_owner,
            }
        )  # fmt: skip
    return pl.DataFrame(
        rows, schema_overrides={"reasons": pl.List(pl.String)}, infer_schema_length=None
    )


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


def test_rows_worded_untold_then_named_read_as_worded_one_by_one():
    context, rows = _context(), _rows()

    each = assess_rows(rows, POLICY)
    expected = [
        json.dumps(
            [{"code": f.outcome.value, "message": message_of(f, context)} for f in findings],
            ensure_ascii=False,
        )
        for findings in (each.findings[index] for index in each.which)
    ]
    made_alike = rows.with_columns(**alike(POLICY)).with_columns(**untold(POLICY))
    assessed = assess_rows(made_alike, POLICY)
    wording = Wording(context)
    worded = pl.Series("findings", [wording.of(assessed.findings[i]) for i in assessed.which])
    got = rows.with_columns(worded).select(named(pl.col("findings"), rows, context))

    assert got.to_series().to_list() == expected
    assert assessed.outcomes == each.outcomes
    assert assessed.verdicts == each.verdicts
    assert assessed.review_match == each.review_match
    assert assessed.review_duplicate == each.review_duplicate
    said = "".join(expected)
    for words in ("Dinas Perhubungan (baris 12)", "Usia 90 tahun", "Desil 9 di atas", ", desil 3"):
        assert words in said
    # ... and far fewer distinct rows are left to assess.
    assert made_alike.unique().height < rows.unique().height / 3


def test_each_message_template_is_translated_once(monkeypatch):
    asked: list[str] = []

    def gettext(message: str) -> str:
        asked.append(message)
        return "»" + message

    monkeypatch.setattr("lindung.verification.findings.gettext", gettext)
    context, rows = _context(), _rows()
    assessed = assess_rows(rows.with_columns(**alike(POLICY)), POLICY)
    wording = Wording(context)

    worded = [wording.of(findings) for findings in assessed.findings]

    assert len(assessed.findings) > 3
    assert sorted(asked) == sorted(set(asked))
    assert "»NIK tidak valid: " in "".join(worded)  # the words are the translation's

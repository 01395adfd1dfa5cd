"""The acceptance test of verification: with the sample register loaded, the sample agency
files link to the register id their expected files give (exact and probable links together:
recall at least 0,98, precision at least 0,99), and rows of one person handed in by
different agencies are marked as duplicates of each other."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from lindung.verification.models import RowVerdict
from lindung.verification.services import run_verification
from tests.verification.conftest import EXPECTED, SAMPLES

# file, the agency fixture that hands it in
SAMPLE_FILES = [
    ("dinas-perikanan-nelayan.xlsx", "agency"),
    ("dishub-ojol.xlsx", "other_agency"),
    ("satpolpp-becak.csv", "third_agency"),
    ("disperindag-pedagang.xls", "fourth_agency"),
    ("desa-perangkat-rt-rw.ods", "village_agency"),
]


@pytest.fixture
def fourth_agency(pemda):
    from tests.factories import AgencyFactory

    return AgencyFactory(pemda=pemda, code="disperindag", name="Dinas Perdagangan")


@pytest.fixture
def verified(request, program, register_snapshot, hand_in):
    """Every sample handed in by its agency and verified: {(file stem, sheet, row): verdict}."""
    submissions = {}
    for filename, agency_fixture in SAMPLE_FILES:
        agency = request.getfixturevalue(agency_fixture)
        submissions[hand_in(agency, SAMPLES / filename).pk] = Path(filename).stem
    run = run_verification(actor="cli", program=program)
    verdicts = {
        (submissions[v.submission_id], v.row.sheet, v.row.row_number): v
        for v in RowVerdict.objects.filter(run=run).select_related("row")
    }
    return run, verdicts


def _expected() -> list[dict[str, str]]:
    rows = []
    for path in sorted(EXPECTED.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [{**row, "file": path.stem} for row in csv.DictReader(handle)]
    return rows


def test_sample_rows_link_to_their_register_id(verified):
    _run, verdicts = verified
    expected = _expected()
    true_links = found = right = 0
    wrong: list[str] = []
    for want in expected:
        verdict = verdicts[(want["file"], want["sheet"], int(want["row"]))]
        linked = verdict.match in ("exact", "probable")
        true_links += bool(want["register_id"])
        found += linked
        if linked and verdict.register_id == want["register_id"]:
            right += 1
        elif linked or want["register_id"]:
            wrong.append(
                f"{want['file']}!{want['row']}: want {want['register_id'] or '-'}, "
                f"got {verdict.register_id or '-'} ({verdict.match}, {verdict.reasons})"
            )
    recall, precision = right / true_links, right / found
    assert recall >= 0.98, (recall, wrong[:20])
    assert precision >= 0.99, (precision, wrong[:20])


def test_one_person_from_two_agencies_is_a_duplicate(verified):
    _run, verdicts = verified
    rows_of: dict[str, list[RowVerdict]] = defaultdict(list)
    for want in _expected():
        rows_of[want["person"]].append(verdicts[(want["file"], want["sheet"], int(want["row"]))])
    across = {p: vs for p, vs in rows_of.items() if len({v.agency_id for v in vs}) > 1}
    assert len(across) >= 20  # the samples hand in dozens of people twice
    missed = [
        p for p, vs in across.items() if len({v.group for v in vs}) != 1 or vs[0].group is None
    ]
    assert len(missed) <= 0.03 * len(across), missed
    for vs in across.values():
        if vs[0].group is not None and len({v.group for v in vs}) == 1:
            assert all(v.duplicate_of_id is not None for v in vs)
            assert all(v.review_duplicate for v in vs)  # two agencies: a verifier chooses
    # No two different people share a group.
    people_of_group: dict[int, set[str]] = defaultdict(set)
    for person, vs in rows_of.items():
        for v in vs:
            if v.group is not None:
                people_of_group[v.group].add(person)
    merged = {g: ps for g, ps in people_of_group.items() if len(ps) > 1}
    assert len(merged) <= 1, merged


def test_the_csv_export_names_the_register_id_and_the_duplicated_row(verified, program, tmp_path):
    run, verdicts = verified
    out = tmp_path / "hasil.csv"
    call_command(
        "verify-result", "--program", program.code, "--out", str(out), stdout=io.StringIO()
    )
    with out.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert list(lines[0]) == [
        "submission", "row_number", "nik", "outcome", "match", "register_id", "register_nik",
        "duplicate_of", "score", "reasons",
    ]  # fmt: skip
    assert len(lines) == RowVerdict.objects.filter(run=run).count()
    by_key = {(int(x["submission"]), int(x["row_number"])): x for x in lines}
    duplicate = next(v for v in verdicts.values() if v.duplicate_of_id is not None)
    line = by_key[(duplicate.submission_id, duplicate.row.row_number)]
    other = duplicate.duplicate_of
    assert line["duplicate_of"] == f"{other.submission_id}:{other.row_number}"
    exact = next(v for v in verdicts.values() if v.match == "exact")
    line = by_key[(exact.submission_id, exact.row.row_number)]
    assert (line["match"], line["register_id"], line["register_nik"]) == (
        "exact",
        exact.register_id,
        exact.row.nik,
    )
    assert line["reasons"].startswith("nik_exact;")

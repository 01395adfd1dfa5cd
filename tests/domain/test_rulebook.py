"""Dated rule tables: lookups by date, versioning, JSON round-trip."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest

from lindung.domain.rulebook import (
    DEFAULT_BENEFIT_TABLE,
    DEFAULT_CONTRIBUTION_TABLE,
    DEFAULT_RELIEF_RULE,
    DEFAULT_RULEBOOK,
    BenefitTable,
    ContributionTable,
    Payer,
    ReliefRule,
    RuleBook,
    RuleError,
    RuleNotFound,
    Sector,
    SectorPeriod,
    table_from_dict,
)

ALL_DEFAULT_TABLES = [DEFAULT_CONTRIBUTION_TABLE, DEFAULT_RELIEF_RULE, DEFAULT_BENEFIT_TABLE]


@pytest.mark.parametrize("table", ALL_DEFAULT_TABLES, ids=["contribution", "relief", "benefit"])
def test_every_table_survives_a_json_round_trip(table):
    stored = json.loads(json.dumps(table.to_dict()))
    assert table_from_dict(table.kind, stored) == table


@pytest.mark.parametrize(
    ("table", "kind"),
    [
        (DEFAULT_CONTRIBUTION_TABLE, "contribution"),
        (DEFAULT_RELIEF_RULE, "relief"),
        (DEFAULT_BENEFIT_TABLE, "benefit"),
    ],
    ids=["contribution", "relief", "benefit"],
)
def test_each_table_names_its_kind(table, kind):
    assert table.kind == kind
    assert "kind" not in table.to_dict()


def test_json_stores_decimals_as_strings_and_dates_iso():
    data = DEFAULT_CONTRIBUTION_TABLE.to_dict()
    assert data["jkk_rate"] == "0.01"
    assert data["effective_from"] == "2019-12-02"
    assert data["effective_to"] is None


@pytest.mark.parametrize(
    ("kind", "mutate", "message"),
    [
        ("contribution", lambda d: d.pop("jkm_flat"), "tidak lengkap"),
        ("contribution", lambda d: d.update(jkk_rate=0.01), "desimal"),
        ("contribution", lambda d: d.update(jkk_rate="satu persen"), "bukan desimal"),
        ("contribution", lambda d: d.update(jkm_flat="6800"), "bilangan bulat"),
        ("contribution", lambda d: d.update(effective_from="02/12/2019"), "ISO"),
        ("contribution", lambda d: d.update(rate_typo="1"), "tidak dikenal"),
        ("relief", lambda d: d.update(excluded_payers=["pemda"]), "tidak dikenal"),
        ("relief", lambda d: d.update(factor="1.5"), "antara 0 dan 1"),
        ("benefit", lambda d: d.update(effective_to="2019-01-01"), "sebelum tanggal mulai"),
    ],
    ids=[
        "missing-key",
        "float-rate",
        "non-numeric-rate",
        "amount-as-text",
        "non-iso-date",
        "unknown-key",
        "unknown-payer",
        "relief-factor-above-one",
        "ends-before-it-starts",
    ],
)
def test_it_rejects_bad_stored_tables_in_indonesian(kind, mutate, message):
    table = {"contribution": DEFAULT_CONTRIBUTION_TABLE, "relief": DEFAULT_RELIEF_RULE}.get(
        kind, DEFAULT_BENEFIT_TABLE
    )
    data = json.loads(json.dumps(table.to_dict()))
    mutate(data)
    with pytest.raises(RuleError, match=message):
        table_from_dict(kind, data)


def test_it_rejects_an_unknown_table_kind():
    with pytest.raises(RuleError, match="Jenis tabel"):
        table_from_dict("tariff", {})


@pytest.mark.parametrize(
    ("day", "version"),
    [
        # PP 82/2019 in force 2 December 2019: the initial versions start that day.
        (date(2019, 12, 2), "PP82-2019"),
        (date(2026, 5, 31), "PP82-2019"),
    ],
    ids=["first-day-in-force", "later"],
)
def test_default_versions_cover_dates_from_pp_82_2019(day, version):
    assert DEFAULT_RULEBOOK.benefits_for(day).version == version
    assert DEFAULT_RULEBOOK.contribution_for(day).version == version


def test_a_contribution_version_governs_the_whole_month_it_starts_in():
    # Contributions are monthly (PP 44/2015 Pasal 24 ayat (3)): December 2019 is covered
    # although PP 82/2019 took effect on the 2nd.
    assert DEFAULT_RULEBOOK.contribution_for(date(2019, 12, 1)).version == "PP82-2019"


@pytest.mark.parametrize(
    "lookup",
    [
        lambda: DEFAULT_RULEBOOK.contribution_for(date(2019, 11, 30)),
        lambda: DEFAULT_RULEBOOK.benefits_for(date(2019, 12, 1)),
        lambda: RuleBook().contribution_for(date(2026, 1, 1)),
    ],
    ids=["contribution-before-first-version", "benefit-before-first-version", "empty-book"],
)
def test_it_raises_rule_not_found_before_the_first_version(lookup):
    with pytest.raises(RuleNotFound, match="Tidak ada tabel"):
        lookup()


def test_reliefs_for_lists_the_reliefs_in_force_that_month():
    assert DEFAULT_RULEBOOK.reliefs_for(date(2026, 5, 1)) == (DEFAULT_RELIEF_RULE,)
    # PP 50/2025 was signed on 22 December 2025; nothing before that month.
    assert DEFAULT_RULEBOOK.reliefs_for(date(2025, 11, 1)) == ()


@pytest.mark.parametrize(
    ("month", "sector", "payer", "payer_excluded", "applies"),
    [
        # PP 50/2025 Pasal 7: transport Jan 2026 - Mar 2027, other sectors Apr - Dec 2026.
        (date(2026, 1, 1), Sector.TRANSPORT, Payer.SELF, None, True),
        (date(2027, 3, 1), Sector.TRANSPORT, Payer.SELF, None, True),
        (date(2027, 4, 1), Sector.TRANSPORT, Payer.SELF, None, False),
        (date(2026, 3, 1), Sector.OTHER, Payer.SELF, None, False),
        (date(2026, 12, 31), Sector.OTHER, Payer.SELF, None, True),
        # Pasal 3 ayat (5): paid through APBN/APBD is excluded; the caller may override.
        (date(2026, 5, 1), Sector.OTHER, Payer.APBD, None, False),
        (date(2026, 5, 1), Sector.OTHER, Payer.APBN, None, False),
        (date(2026, 5, 1), Sector.OTHER, Payer.APBDES, None, True),
        (date(2026, 5, 1), Sector.OTHER, Payer.APBDES, True, False),
        (date(2026, 5, 1), Sector.OTHER, Payer.APBD, False, True),
    ],
    ids=[
        "transport-first-month",
        "transport-last-month",
        "transport-after",
        "other-before",
        "other-last-month-any-day",
        "apbd-excluded",
        "apbn-excluded",
        "apbdes-default-not-excluded",
        "apbdes-excluded-by-caller",
        "apbd-exclusion-overridden",
    ],
)
def test_relief_applies_by_month_sector_and_payer(month, sector, payer, payer_excluded, applies):
    assert (
        DEFAULT_RELIEF_RULE.applies(
            month=month, sector=sector, payer=payer, payer_excluded=payer_excluded
        )
        is applies
    )


NEW_CONTRIBUTIONS = dataclasses.replace(
    DEFAULT_CONTRIBUTION_TABLE,
    version="HYPOTHETICAL-2027",
    effective_from=date(2027, 7, 1),
    legal_basis="PP (hipotetis) 2027",
    jkm_flat=8_000,
)


def test_adding_a_version_returns_a_new_book_and_leaves_the_old_one():
    book = DEFAULT_RULEBOOK.with_versions(NEW_CONTRIBUTIONS)
    assert book.contributions == (DEFAULT_CONTRIBUTION_TABLE, NEW_CONTRIBUTIONS)
    assert DEFAULT_RULEBOOK.contributions == (DEFAULT_CONTRIBUTION_TABLE,)


@pytest.mark.parametrize(
    ("month", "version"),
    [
        (date(2027, 6, 1), "PP82-2019"),
        (date(2027, 7, 1), "HYPOTHETICAL-2027"),
        (date(2030, 1, 1), "HYPOTHETICAL-2027"),
    ],
    ids=["before-new-version", "from-new-version", "long-after"],
)
def test_the_latest_version_in_force_wins(month, version):
    book = DEFAULT_RULEBOOK.with_versions(NEW_CONTRIBUTIONS)
    assert book.contribution_for(month).version == version


def test_a_closed_version_stops_applying_after_its_end_date():
    ended = dataclasses.replace(DEFAULT_BENEFIT_TABLE, effective_to=date(2030, 12, 31))
    book = RuleBook(benefits=(ended,))
    assert book.benefits_for(date(2030, 12, 31)) == ended
    with pytest.raises(RuleNotFound):
        book.benefits_for(date(2031, 1, 1))


def test_from_tables_sorts_versions_by_kind():
    book = RuleBook.from_tables(ALL_DEFAULT_TABLES)
    assert book == DEFAULT_RULEBOOK


@pytest.mark.parametrize(
    "tables",
    [
        (DEFAULT_CONTRIBUTION_TABLE, DEFAULT_CONTRIBUTION_TABLE),
        (
            DEFAULT_CONTRIBUTION_TABLE,
            dataclasses.replace(DEFAULT_CONTRIBUTION_TABLE, version="OTHER"),
        ),
    ],
    ids=["same-version-twice", "two-versions-same-start"],
)
def test_it_rejects_ambiguous_versions(tables):
    with pytest.raises(RuleError):
        RuleBook(contributions=tables)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: dataclasses.replace(DEFAULT_CONTRIBUTION_TABLE, min_income=30_000_000),
            "minimum melebihi maksimum",
        ),
        (lambda: dataclasses.replace(DEFAULT_CONTRIBUTION_TABLE, legal_basis=" "), "Dasar hukum"),
        (lambda: dataclasses.replace(DEFAULT_BENEFIT_TABLE, jkm_funeral=-1), "negatif"),
        (
            lambda: SectorPeriod(Sector.OTHER, date(2026, 4, 15), date(2026, 12, 1)),
            "tanggal 1",
        ),
        (
            lambda: dataclasses.replace(
                DEFAULT_RELIEF_RULE, periods=DEFAULT_RELIEF_RULE.periods * 2
            ),
            "lebih dari sekali",
        ),
    ],
    ids=[
        "min-above-max",
        "no-legal-basis",
        "negative-amount",
        "period-not-on-first",
        "sector-twice",
    ],
)
def test_tables_refuse_inconsistent_data(build, message):
    with pytest.raises(RuleError, match=message):
        build()


def test_default_figures_match_the_regulations():
    # PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019 Pasal 25 & 34.
    assert DEFAULT_CONTRIBUTION_TABLE.jkk_rate == Decimal("0.01")
    assert DEFAULT_CONTRIBUTION_TABLE.jkm_flat == 6_800
    assert DEFAULT_RELIEF_RULE.factor == Decimal("0.5")
    assert (
        DEFAULT_BENEFIT_TABLE.jkm_lump_sum
        + DEFAULT_BENEFIT_TABLE.jkm_periodic
        + DEFAULT_BENEFIT_TABLE.jkm_funeral
        == 42_000_000
    )
    assert isinstance(DEFAULT_RELIEF_RULE, ReliefRule)
    assert isinstance(DEFAULT_BENEFIT_TABLE, BenefitTable)
    assert isinstance(DEFAULT_CONTRIBUTION_TABLE, ContributionTable)

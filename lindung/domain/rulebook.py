"""The rule book: every dated version of the rule tables, and which one governs a date.

The tables themselves (types, validation, JSON form) are in ``lindung.domain.ruletables``;
their names are importable from here too, as callers always did.

Lookups:
- contribution tables and reliefs are looked up by *contribution month*: a version in force on
  any day of a month governs that whole month, because BPU contributions are due per month,
  by the 15th of the month covered (PP 44/2015 Pasal 24 ayat (3));
- benefit tables are looked up by the *day* of the event (death, accident).
When versions overlap, the one with the latest ``effective_from`` wins.

Sources: each table names its regulation (PP 44/2015, PP 82/2019, PP 50/2025).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from lindung.domain.ruletables import (
    Benefit,
    BenefitTable,
    ContributionTable,
    DatedTable,
    Payer,
    ReliefRule,
    RuleError,
    RuleNotFound,
    RuleTable,
    Sector,
    SectorPeriod,
    coerce_enum,
    format_rupiah,
    month_start,
    table_from_dict,
)

__all__ = [
    "DEFAULT_BENEFIT_TABLE",
    "DEFAULT_CONTRIBUTION_TABLE",
    "DEFAULT_RELIEF_RULE",
    "DEFAULT_RULEBOOK",
    "PP82_IN_FORCE",
    "Benefit",
    "BenefitTable",
    "ContributionTable",
    "DatedTable",
    "Payer",
    "ReliefRule",
    "RuleBook",
    "RuleError",
    "RuleNotFound",
    "RuleTable",
    "Sector",
    "SectorPeriod",
    "coerce_enum",
    "format_rupiah",
    "month_start",
    "table_from_dict",
]

T = TypeVar("T", bound=DatedTable)


def _month_label(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


# --------------------------------------------------------------------------------------
# The rule book


def _check_versions(tables: tuple[DatedTable, ...], expected: type[DatedTable]) -> None:
    seen_versions: set[str] = set()
    seen_starts: set[date] = set()
    for table in tables:
        if not isinstance(table, expected):
            raise RuleError(f"Buku aturan: {table!r} bukan tabel {expected.kind_label}.")
        if table.version in seen_versions:
            raise RuleError(f"Tabel {table.kind_label} versi {table.version} tercantum dua kali.")
        # Two versions starting the same day would make "latest wins" ambiguous.
        if table.effective_from in seen_starts:
            raise RuleError(
                f"Dua versi tabel {table.kind_label} mulai berlaku pada tanggal yang sama "
                f"({table.effective_from:%d-%m-%Y})."
            )
        seen_versions.add(table.version)
        seen_starts.add(table.effective_from)


def _latest(tables: Iterable[T]) -> T | None:
    return max(tables, key=lambda table: table.effective_from, default=None)


@dataclass(frozen=True)
class RuleBook:
    """All dated versions of the rule tables, with lookups by date."""

    contributions: tuple[ContributionTable, ...] = ()
    reliefs: tuple[ReliefRule, ...] = ()
    benefits: tuple[BenefitTable, ...] = ()

    def __post_init__(self) -> None:
        _check_versions(self.contributions, ContributionTable)
        _check_versions(self.reliefs, ReliefRule)
        _check_versions(self.benefits, BenefitTable)

    @classmethod
    def from_tables(cls, tables: Iterable[RuleTable]) -> RuleBook:
        """Build a rule book from versions of any kind (e.g. rows loaded from the DB)."""
        return cls().with_versions(*tables)

    def with_versions(self, *tables: RuleTable) -> RuleBook:
        """A new rule book with ``tables`` added; this one is left unchanged."""
        contributions = list(self.contributions)
        reliefs = list(self.reliefs)
        benefits = list(self.benefits)
        for table in tables:
            if isinstance(table, ContributionTable):
                contributions.append(table)
            elif isinstance(table, ReliefRule):
                reliefs.append(table)
            elif isinstance(table, BenefitTable):
                benefits.append(table)
            else:
                raise RuleError(f"Buku aturan: {table!r} bukan tabel aturan.")
        return RuleBook(tuple(contributions), tuple(reliefs), tuple(benefits))

    def contribution_for(self, month: date) -> ContributionTable:
        """The contribution table governing contribution ``month`` (any day of it)."""
        table = _latest(t for t in self.contributions if t.covers_month(month))
        if table is None:
            raise RuleNotFound(
                f"Tidak ada tabel iuran yang berlaku untuk bulan iuran {_month_label(month)}."
            )
        return table

    def reliefs_for(self, month: date) -> tuple[ReliefRule, ...]:
        """Relief versions in force in contribution ``month``, latest ``effective_from`` first.

        An empty tuple is normal (no relief); sector and payer are checked by
        ``ReliefRule.applies``.
        """
        return tuple(
            sorted(
                (r for r in self.reliefs if r.covers_month(month)),
                key=lambda r: r.effective_from,
                reverse=True,
            )
        )

    def relief_for(
        self,
        *,
        month: date,
        sector: Sector,
        payer: Payer,
        payer_excluded: bool | None = None,
    ) -> ReliefRule | None:
        """The relief that applies, if any: the applicable one with the latest
        ``effective_from`` (reliefs never stack)."""
        return next(
            (
                r
                for r in self.reliefs_for(month)
                if r.applies(month=month, sector=sector, payer=payer, payer_excluded=payer_excluded)
            ),
            None,
        )

    def benefits_for(self, day: date) -> BenefitTable:
        """The benefit table in force on ``day`` (the day of the death or accident)."""
        table = _latest(t for t in self.benefits if t.covers_day(day))
        if table is None:
            raise RuleNotFound(
                f"Tidak ada tabel manfaat yang berlaku pada tanggal {day.strftime('%d-%m-%Y')}."
            )
        return table


# --------------------------------------------------------------------------------------
# Default data

# PP 82/2019 came into force on 2 December 2019.
PP82_IN_FORCE = date(2019, 12, 2)

DEFAULT_CONTRIBUTION_TABLE = ContributionTable(
    version="PP82-2019",
    effective_from=PP82_IN_FORCE,
    effective_to=None,
    legal_basis="PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019",
    notes=(
        "JKK dihitung 1% dari penghasilan yang dilaporkan (Rp 1.000.000–Rp 20.700.000); "
        "besaran pita Lampiran II belum diverifikasi."
    ),
    min_income=1_000_000,
    max_income=20_700_000,
    jkk_rate=Decimal("0.01"),
    jkm_flat=6_800,
    jht_rate=Decimal("0.02"),
)

DEFAULT_RELIEF_RULE = ReliefRule(
    version="PP50-2025",
    # Signed and promulgated on 22 December 2025; the discount itself is bounded by the
    # contribution months in ``periods``.
    effective_from=date(2025, 12, 22),
    effective_to=None,
    legal_basis="PP 50/2025 Pasal 3–7",
    notes=(
        "Pengecualian BPU yang iurannya dibayar melalui APBN/APBD (Pasal 3 ayat (5)); "
        "status APBDes belum pasti sehingga dapat diatur per sumber dana."
    ),
    factor=Decimal("0.5"),
    benefits=frozenset({Benefit.JKK, Benefit.JKM}),
    periods=(
        SectorPeriod(Sector.TRANSPORT, date(2026, 1, 1), date(2027, 3, 1)),
        SectorPeriod(Sector.OTHER, date(2026, 4, 1), date(2026, 12, 1)),
    ),
    excluded_payers=frozenset({Payer.APBN, Payer.APBD}),
)

DEFAULT_BENEFIT_TABLE = BenefitTable(
    version="PP82-2019",
    effective_from=PP82_IN_FORCE,
    effective_to=None,
    legal_basis=(
        "PP 82/2019 Pasal 25, 34 & Lampiran III; PP 44/2015 Pasal 39 & 42; "
        "aturan operasional BPJSTK masa iur < 3 bulan (keyakinan sedang)"
    ),
    notes=(
        "Santunan JKM Rp 10.000.000 untuk masa iur kurang dari 3 bulan berturut-turut adalah "
        "aturan operasional BPJSTK yang dilaporkan beberapa cabang; dasar hukumnya belum "
        "ditemukan (keyakinan sedang)."
    ),
    jkm_lump_sum=20_000_000,
    jkm_periodic=12_000_000,
    jkm_funeral=10_000_000,
    jkm_short_membership_total=10_000_000,
    jkm_min_consecutive_months=3,
    jkm_scholarship_min_years=3,
    max_arrears_months=3,
    stmb_full_months=12,
    stmb_full_rate=Decimal(1),
    stmb_reduced_rate=Decimal("0.5"),
    ctt_multiplier=56,
    ctt_periodic=12_000_000,
    death_multiplier=48,
    death_floor=20_000_000,
    death_periodic=12_000_000,
    death_funeral=10_000_000,
    partial_disability_multiplier=80,
    transport_land_cap=5_000_000,
    transport_sea_cap=2_000_000,
    transport_air_cap=10_000_000,
    scholarship_max_total=174_000_000,
    scholarship_max_children=2,
)

DEFAULT_RULEBOOK = RuleBook(
    contributions=(DEFAULT_CONTRIBUTION_TABLE,),
    reliefs=(DEFAULT_RELIEF_RULE,),
    benefits=(DEFAULT_BENEFIT_TABLE,),
)

"""The dated rule tables for BPJS Ketenagakerjaan BPU contributions and benefits: their
types, validation and JSON form.

Rates and amounts are data, not code: every table is a frozen, dated version with the
regulation it comes from. When a regulation changes, an admin adds a new version (stored as
JSON, see ``to_dict``/``table_from_dict``) and earlier periods keep computing as they did.
Which version governs a date is ``lindung.domain.rulebook``'s business.

Sources: each table names its regulation (PP 44/2015, PP 82/2019, PP 50/2025).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar, TypeVar, get_type_hints


class RuleError(ValueError):
    """A rule is violated; the message is in Bahasa Indonesia and safe to show to users."""


class RuleNotFound(LookupError):
    """No version of a rule table covers the requested date (message in Bahasa Indonesia)."""


class Benefit(StrEnum):
    """BPJS Ketenagakerjaan programmes open to BPU (Perpres 109/2013 Pasal 6)."""

    JKK = "JKK"
    JKM = "JKM"
    JHT = "JHT"


class Payer(StrEnum):
    """Who pays the contribution; decides the PP 50/2025 exclusion (Pasal 3 ayat (5))."""

    APBD = "apbd"
    APBN = "apbn"
    APBDES = "apbdes"
    SELF = "self"
    CSR = "csr"


class Sector(StrEnum):
    """Sector of work as far as PP 50/2025 Pasal 7 distinguishes it."""

    TRANSPORT = "transport"
    OTHER = "other"


E = TypeVar("E", Benefit, Payer, Sector)


def coerce_enum(enum_type: type[E], value: E | str, *, label: str) -> E:
    """Turn a user/DB string into ``enum_type`` (case-insensitive) or raise RuleError."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        text = value.strip()
        for candidate in (text.upper(), text.lower()):
            try:
                return enum_type(candidate)
            except ValueError:
                continue
    allowed = ", ".join(member.value for member in enum_type)
    raise RuleError(f"{label} {value!r} tidak dikenal; pilihan yang sah: {allowed}.")


def month_start(day: date) -> date:
    """The first day of ``day``'s month: contribution months are identified by it."""
    return day.replace(day=1)


def format_rupiah(amount: int) -> str:
    """``1000000`` → ``"Rp 1.000.000"`` (Indonesian thousands separator)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


# --------------------------------------------------------------------------------------
# JSON codec helpers (Decimals as strings, dates ISO)


def _req(data: Mapping[str, Any], key: str, kind: str) -> Any:
    if key not in data:
        raise RuleError(f"Data tabel {kind} tidak lengkap: kolom '{key}' tidak ada.")
    return data[key]


def _as_int(value: Any, key: str, kind: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"Kolom '{key}' pada tabel {kind} harus bilangan bulat.")
    return value


def _as_decimal(value: Any, key: str, kind: str) -> Decimal:
    # Floats are refused: binary fractions would silently change a legal rate.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RuleError(f"Kolom '{key}' pada tabel {kind} harus desimal dalam bentuk teks.")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise RuleError(f"Kolom '{key}' pada tabel {kind} bukan desimal: {value!r}.") from None
    if not result.is_finite():
        raise RuleError(f"Kolom '{key}' pada tabel {kind} bukan desimal: {value!r}.")
    return result


def _as_date(value: Any, key: str, kind: str) -> date:
    if not isinstance(value, str):
        raise RuleError(f"Kolom '{key}' pada tabel {kind} harus tanggal ISO (YYYY-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleError(
            f"Kolom '{key}' pada tabel {kind} bukan tanggal ISO (YYYY-MM-DD): {value!r}."
        ) from None


def _as_str(value: Any, key: str, kind: str) -> str:
    if not isinstance(value, str):
        raise RuleError(f"Kolom '{key}' pada tabel {kind} harus teks.")
    return value


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(str(item) for item in value)
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, SectorPeriod):
        return value.to_dict()
    return value


T = TypeVar("T", bound="DatedTable")


@dataclass(frozen=True, kw_only=True)
class DatedTable:
    """Fields and behaviour shared by every dated rule table."""

    kind: ClassVar[str]
    kind_label: ClassVar[str]

    version: str
    effective_from: date
    effective_to: date | None
    legal_basis: str
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.version.strip():
            raise RuleError(f"Versi tabel {self.kind_label} wajib diisi.")
        if not self.legal_basis.strip():
            raise RuleError(
                f"Dasar hukum tabel {self.kind_label} versi {self.version} wajib diisi."
            )
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise RuleError(
                f"Tabel {self.kind_label} versi {self.version}: tanggal akhir berlaku "
                f"{self.effective_to:%d-%m-%Y} sebelum tanggal mulai "
                f"{self.effective_from:%d-%m-%Y}."
            )

    def covers_day(self, day: date) -> bool:
        """Whether this version is in force on ``day`` (``effective_to`` inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def covers_month(self, month: date) -> bool:
        """Whether this version is in force on at least one day of ``month``."""
        first = month_start(month)
        return month_start(self.effective_from) <= first and (
            self.effective_to is None or first <= self.effective_to
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping: Decimals as strings, dates ISO; ``kind`` is not included."""
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def _decode_special(cls, key: str, value: Any) -> object:
        raise RuleError(f"Kolom '{key}' pada tabel {cls.kind_label} tidak didukung.")

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Inverse of ``to_dict``; unknown or missing keys and wrong types raise RuleError."""
        if not isinstance(data, Mapping):
            raise RuleError(f"Data tabel {cls.kind_label} harus berupa objek JSON.")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise RuleError(
                f"Kolom tidak dikenal pada tabel {cls.kind_label}: {', '.join(unknown)}."
            )
        hints = get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name == "notes" and "notes" not in data:
                continue
            raw = _req(data, f.name, cls.kind_label)
            hint = hints[f.name]
            if hint is int:
                kwargs[f.name] = _as_int(raw, f.name, cls.kind_label)
            elif hint is Decimal:
                kwargs[f.name] = _as_decimal(raw, f.name, cls.kind_label)
            elif hint is date:
                kwargs[f.name] = _as_date(raw, f.name, cls.kind_label)
            elif hint == date | None:
                kwargs[f.name] = None if raw is None else _as_date(raw, f.name, cls.kind_label)
            elif hint is str:
                kwargs[f.name] = _as_str(raw, f.name, cls.kind_label)
            else:
                kwargs[f.name] = cls._decode_special(f.name, raw)
        return cls(**kwargs)


def _require_non_negative(table: DatedTable, **values: int | Decimal) -> None:
    for name, value in values.items():
        if value < 0:
            raise RuleError(
                f"Tabel {table.kind_label} versi {table.version}: '{name}' tidak boleh negatif."
            )


# --------------------------------------------------------------------------------------
# Contributions


@dataclass(frozen=True, kw_only=True)
class ContributionTable(DatedTable):
    """BPU contribution rates (PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019).

    JKK is modelled as ``jkk_rate`` × declared monthly income, the income being validated
    within [``min_income``, ``max_income``]. The exact band steps of Lampiran II were not
    seen (an open question); public figures (Rp 10.000 at Rp 1 juta,
    Rp 207.000 at Rp 20,7 juta) match 1 % of the declared income. JKM is a flat amount; JHT
    (optional for BPU) is ``jht_rate`` × declared income.
    """

    kind: ClassVar[str] = "contribution"
    kind_label: ClassVar[str] = "iuran"

    min_income: int
    max_income: int
    jkk_rate: Decimal
    jkm_flat: int
    jht_rate: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_non_negative(
            self,
            min_income=self.min_income,
            jkk_rate=self.jkk_rate,
            jkm_flat=self.jkm_flat,
            jht_rate=self.jht_rate,
        )
        if self.min_income > self.max_income:
            raise RuleError(
                f"Tabel iuran versi {self.version}: penghasilan minimum melebihi maksimum."
            )


# --------------------------------------------------------------------------------------
# Contribution relief (PP 50/2025)


@dataclass(frozen=True)
class SectorPeriod:
    """Contribution months (inclusive) in which a relief applies to one sector."""

    sector: Sector
    first_month: date
    last_month: date

    def __post_init__(self) -> None:
        if self.first_month.day != 1 or self.last_month.day != 1:
            raise RuleError("Bulan awal/akhir keringanan harus ditulis sebagai tanggal 1.")
        if self.last_month < self.first_month:
            raise RuleError(
                f"Periode keringanan sektor {self.sector}: bulan akhir sebelum bulan awal."
            )

    def contains(self, month: date) -> bool:
        return self.first_month <= month_start(month) <= self.last_month

    def to_dict(self) -> dict[str, object]:
        return {
            "sector": str(self.sector),
            "first_month": self.first_month.isoformat(),
            "last_month": self.last_month.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> SectorPeriod:
        if not isinstance(data, Mapping):
            raise RuleError("Periode keringanan harus berupa objek JSON.")
        label = ReliefRule.kind_label
        return cls(
            sector=coerce_enum(Sector, _req(data, "sector", label), label="Sektor"),
            first_month=_as_date(_req(data, "first_month", label), "first_month", label),
            last_month=_as_date(_req(data, "last_month", label), "last_month", label),
        )


@dataclass(frozen=True, kw_only=True)
class ReliefRule(DatedTable):
    """A temporary cut of BPU contributions, e.g. PP 50/2025 (50 % of JKK + JKM).

    The relief multiplies the listed ``benefits`` by ``factor`` for contribution months in the
    sector's period. BPU paid through the budgets in ``excluded_payers`` do not get it
    (PP 50/2025 Pasal 3 ayat (5): APBN/APBD). Whether village funds (APBDes) count is
    unsettled, so callers may override the payer-based default with ``payer_excluded``.
    """

    kind: ClassVar[str] = "relief"
    kind_label: ClassVar[str] = "keringanan iuran"

    factor: Decimal
    benefits: frozenset[Benefit]
    periods: tuple[SectorPeriod, ...]
    excluded_payers: frozenset[Payer]

    def __post_init__(self) -> None:
        super().__post_init__()
        if not Decimal(0) <= self.factor <= Decimal(1):
            raise RuleError(f"Keringanan versi {self.version}: faktor iuran harus antara 0 dan 1.")
        sectors = [period.sector for period in self.periods]
        if len(sectors) != len(set(sectors)):
            raise RuleError(f"Keringanan versi {self.version}: sektor tercantum lebih dari sekali.")

    def period_for(self, sector: Sector) -> SectorPeriod | None:
        return next((p for p in self.periods if p.sector == sector), None)

    def applies(
        self,
        *,
        month: date,
        sector: Sector,
        payer: Payer,
        payer_excluded: bool | None = None,
    ) -> bool:
        """Whether this relief discounts ``month`` for this sector and payer.

        ``payer_excluded`` overrides the payer-based exclusion when not None (True: the
        funding source is treated as APBN/APBD and gets no relief).
        """
        if not self.covers_month(month):
            return False
        period = self.period_for(sector)
        if period is None or not period.contains(month):
            return False
        excluded = payer in self.excluded_payers if payer_excluded is None else payer_excluded
        return not excluded

    @classmethod
    def _decode_special(cls, key: str, value: Any) -> object:
        if key == "benefits":
            if not isinstance(value, list):
                raise RuleError("Kolom 'benefits' pada tabel keringanan harus daftar.")
            return frozenset(coerce_enum(Benefit, item, label="Program") for item in value)
        if key == "excluded_payers":
            if not isinstance(value, list):
                raise RuleError("Kolom 'excluded_payers' pada tabel keringanan harus daftar.")
            return frozenset(coerce_enum(Payer, item, label="Sumber dana") for item in value)
        if key == "periods":
            if not isinstance(value, list):
                raise RuleError("Kolom 'periods' pada tabel keringanan harus daftar.")
            return tuple(SectorPeriod.from_dict(item) for item in value)
        return super()._decode_special(key, value)


# --------------------------------------------------------------------------------------
# Benefits


@dataclass(frozen=True, kw_only=True)
class BenefitTable(DatedTable):
    """JKK and JKM benefit amounts for BPU (PP 82/2019 Lampiran III, Pasal 25 & 34;
    PP 44/2015 Pasal 39 & 42 for arrears).

    Multipliers apply to the declared monthly income. ``jkm_short_membership_total`` and
    ``jkm_min_consecutive_months`` are an operational BPJSTK rule (Medium confidence; the
    legal instrument was not found), kept here so it can be changed as data.
    """

    kind: ClassVar[str] = "benefit"
    kind_label: ClassVar[str] = "manfaat"

    jkm_lump_sum: int
    jkm_periodic: int
    jkm_funeral: int
    jkm_short_membership_total: int
    jkm_min_consecutive_months: int
    jkm_scholarship_min_years: int
    max_arrears_months: int
    stmb_full_months: int
    stmb_full_rate: Decimal
    stmb_reduced_rate: Decimal
    ctt_multiplier: int
    ctt_periodic: int
    death_multiplier: int
    death_floor: int
    death_periodic: int
    death_funeral: int
    partial_disability_multiplier: int
    transport_land_cap: int
    transport_sea_cap: int
    transport_air_cap: int
    scholarship_max_total: int
    scholarship_max_children: int

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_non_negative(
            self,
            **{
                f.name: getattr(self, f.name)
                for f in dataclasses.fields(self)
                if isinstance(getattr(self, f.name), int | Decimal)
            },
        )


RuleTable = ContributionTable | ReliefRule | BenefitTable

_TABLE_CLASSES: dict[str, type[ContributionTable] | type[ReliefRule] | type[BenefitTable]] = {
    cls.kind: cls for cls in (ContributionTable, ReliefRule, BenefitTable)
}


def table_from_dict(kind: str, data: Mapping[str, Any]) -> RuleTable:
    """Rebuild a table stored as JSON; ``kind`` is ``"contribution"``, ``"relief"`` or
    ``"benefit"`` (each table class's ``kind``)."""
    cls = _TABLE_CLASSES.get(kind)
    if cls is None:
        raise RuleError(
            f"Jenis tabel {kind!r} tidak dikenal; pilihan yang sah: {', '.join(_TABLE_CLASSES)}."
        )
    return cls.from_dict(data)

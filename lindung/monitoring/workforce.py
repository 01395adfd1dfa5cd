"""Workforce denominators: the working population per district or village and year, read
from the tables statistics offices publish (BPS "Kecamatan dalam Angka", Sakernas, Dukcapil)
and stored as the coverage rate's denominator.

The tables carry title and source rows above the header, district names in any case with
or without "Kec."/"Kecamatan" (or Kemendagri codes), numbers with Indonesian thousand
separators ("628.952") and a "Jumlah" row at the bottom. The header is found like intake's
(`common.tabular.headers.find_header`) by this import's own synonyms; names are matched to
the Pemda's regions by intake's `RegionResolver` (prefixes, case, one typo). A total row is
ignored; a row whose region is not the Pemda's is reported and not stored. A second load for
the same Pemda and year replaces that year's rows, audited.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import Actor, Pemda, Role, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import FileRejected, Limits, inspect_file, read_workbook
from lindung.common.tabular.headers import HeaderTable, cell_text, find_header, fold
from lindung.common.uploads import UploadRefused, upload_path, upload_received
from lindung.intake.resolvers import RegionResolver
from lindung.monitoring.models import CoverageTarget, Workforce
from lindung.regions.models import Region, RegionLevel

WORKFORCE_LOADERS = (Role.ADMIN, Role.LEADER)

WORKFORCE_HEADERS = HeaderTable(
    {
        "code": (
            "kode",
            "kode wilayah",
            "kode kecamatan",
            "kode desa",
            "kode kemendagri",
            "kode wilayah kemendagri",
        ),
        "district": (
            "kecamatan",
            "nama kecamatan",
            "kec",
            "wilayah",
            "nama wilayah",
            "wilayah kecamatan",
            "district",
            "subdistrict",
        ),
        "village": (
            "desa",
            "kelurahan",
            "desa kelurahan",
            "kelurahan desa",
            "nama desa",
            "nama desa kelurahan",
            "village",
        ),
        "working": (
            "bekerja",
            "penduduk bekerja",
            "penduduk yang bekerja",
            "jumlah penduduk bekerja",
            "jumlah penduduk yang bekerja",
            "angkatan kerja bekerja",
            "penduduk usia kerja yang bekerja",
            "pekerja",
            "jumlah pekerja",
            "tenaga kerja",
            "jumlah tenaga kerja",
            "working population",
            "employed",
        ),
        "bpu": (
            "bpu",
            "pekerja bpu",
            "pekerja bukan penerima upah",
            "bukan penerima upah",
            "pekerja informal",
            "pekerja sektor informal",
            "informal",
            "jumlah pekerja informal",
        ),
    }
)

# Rows naming a total, not a region: "Jumlah", "Total", "Kabupaten Gresik", "Jumlah/Total".
_TOTAL = re.compile(r"^(jumlah|total|kabupaten|kab|kota|provinsi)\b")
# A BPS district number before the name: "010 Wringinanom", "010. Wringinanom".
_BPS_NUMBER = re.compile(r"^\d{3}[.)]?\s+(?=\D)")
_ID_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^\d+(?:[.,]\d+)?$")
_NOTHING = {"", "-", "–", "—", "...", "…", "na", "n/a"}


class _Unreadable(ValueError):
    pass


def read_count(value: object) -> int | None:
    """A count as a statistics table writes it: 628952, 628952.0, "628.952", "628 952",
    "628,952", "1.234,0"; None for an empty cell or a dash. Anything else is unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    text = str(value).replace("\u00a0", "").replace(" ", "").strip()
    if text.lower() in _NOTHING:
        return None
    if _ID_THOUSANDS.match(text):
        return int(text.split(",")[0].replace(".", ""))
    if _EN_THOUSANDS.match(text):
        return int(text.split(".")[0].replace(",", ""))
    if _PLAIN.match(text):
        return round(float(text.replace(",", ".")))
    raise _Unreadable(text)


@dataclass(frozen=True)
class WorkforceRow:
    line: int  # spreadsheet row, 1-based
    region: str  # Kemendagri code
    working: int
    bpu: int | None


@dataclass(frozen=True)
class WorkforceProblem:
    line: int
    text: str
    message: str


@dataclass
class WorkforceReading:
    rows: list[WorkforceRow] = field(default_factory=list)
    problems: list[WorkforceProblem] = field(default_factory=list)
    ignored: int = 0  # total rows


def _eligible(found: set[str]) -> bool:
    return "working" in found and bool(found & {"code", "district", "village"})


def _text(row: list[object], column: int | None) -> str:
    if column is None or column >= len(row):
        return ""
    return cell_text(row[column]).strip()


def _cell(row: list[object], column: int | None) -> object:
    return row[column] if column is not None and column < len(row) else None


def _region(resolver: RegionResolver, code: str, district: str, village: str) -> str | None:
    if code:
        found_village, found_district, _w = resolver.resolve(village=code, district="")
        if found_village:
            return found_village
        _v, found_district, warnings = resolver.resolve(village="", district=code)
        if found_district and not warnings:
            return found_district
    district = _BPS_NUMBER.sub("", district)
    village = _BPS_NUMBER.sub("", village)
    found_village, found_district, warnings = resolver.resolve(village=village, district=district)
    if village:
        return found_village
    if any(w.code == "district_unknown" for w in warnings):
        return None
    return found_district


def read_workforce(rows: list[list[object]], resolver: RegionResolver) -> WorkforceReading:
    """The regions and counts of one sheet; raises ServiceError without a header."""
    header = find_header(rows, WORKFORCE_HEADERS, eligible=_eligible)
    if header is None:
        raise ServiceError(
            "Baris judul kolom tidak ditemukan: perlu kolom Kecamatan (atau Desa/Kode wilayah) "
            "dan kolom Penduduk Bekerja."
        )
    columns: dict[str, int] = {}
    for index, name in enumerate(header.fields):
        if name is not None:
            columns.setdefault(name, index)
    reading = WorkforceReading()
    seen: dict[str, int] = {}
    for index in range(header.header_row + 1, len(rows)):
        row, line = rows[index], index + 1
        code = _text(row, columns.get("code"))
        district = _text(row, columns.get("district"))
        village = _text(row, columns.get("village"))
        label = village or district or code
        try:
            working = read_count(_cell(row, columns["working"]))
            bpu = read_count(_cell(row, columns.get("bpu")))
        except _Unreadable as exc:
            reading.problems.append(
                WorkforceProblem(line, label, f"Angka '{exc}' tidak terbaca sebagai jumlah.")
            )
            continue
        if working is None and bpu is None:
            continue  # a blank, note or sub-title row
        if not label or _TOTAL.match(fold(label)):
            reading.ignored += 1
            continue
        if working is None:
            reading.problems.append(
                WorkforceProblem(line, label, "Jumlah penduduk bekerja kosong.")
            )
            continue
        region = _region(resolver, code, district, village)
        if region is None:
            reading.problems.append(
                WorkforceProblem(line, label, f"Wilayah '{label}' tidak dikenal di kabupaten ini.")
            )
            continue
        if region in seen:
            reading.problems.append(
                WorkforceProblem(
                    line, label, f"Wilayah '{label}' sudah ada di baris {seen[region]}."
                )
            )
            continue
        seen[region] = line
        reading.rows.append(WorkforceRow(line, region, working, bpu))
    return reading


@dataclass(frozen=True)
class WorkforceLoad:
    year: int
    rows: int
    districts: int
    villages: int
    replaced: int
    ignored: int
    problems: list[WorkforceProblem]


def regions_of(pemda: Pemda) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(code, name) of the Pemda's districts and villages."""
    regency = pemda.region_id or ""
    found = Region.objects.filter(code__startswith=regency + ".")
    districts = list(found.filter(level=RegionLevel.DISTRICT).values_list("code", "name"))
    villages = list(found.filter(level=RegionLevel.VILLAGE).values_list("code", "name"))
    return districts, villages


def _check_actor(actor: Actor, pemda: Pemda) -> User | None:
    if isinstance(actor, str):
        return None  # the system (a command run by the operator of the installation)
    if not actor.is_active or actor.pemda_id != pemda.pk or not actor.has_role(*WORKFORCE_LOADERS):
        raise ServiceError("Hanya admin atau pimpinan yang memuat data jumlah pekerja.")
    return actor


def _read(path: Path, filename: str, resolver: RegionResolver) -> WorkforceReading:
    try:
        kind = inspect_file(path, filename=filename)
        sheets = read_workbook(path, kind=kind)
    except FileRejected as exc:
        raise ServiceError(exc.message) from exc
    first_error: ServiceError | None = None
    for sheet in sheets:
        if sheet.hidden:
            continue
        try:
            return read_workforce(sheet.rows, resolver)
        except ServiceError as exc:
            first_error = first_error or exc
    raise first_error or ServiceError("File tidak berisi lembar data.")


def _check_load(pemda: Pemda, year: int, source: str) -> str:
    """The source, stripped; refuses a year out of range, no source, a Pemda without region."""
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ServiceError(f"Tahun {year} di luar jangkauan; periksa tahunnya.")
    source = source.strip()
    if not source:
        raise ServiceError("Sebutkan sumber data (mis. BPS Kabupaten, Sakernas Agustus 2025).")
    if not pemda.region_id:
        raise ServiceError("Wilayah Pemda belum diisi; wilayah kecamatan tidak dapat dicocokkan.")
    return source


# An uploaded workforce table waits here between its preview and its load.
WORKFORCE_FOLDER = "jumlah-pekerja"
WORKFORCE_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_rows=20_000)


@dataclass(frozen=True)
class WorkforcePreview:
    stored: str  # the file kept under UPLOAD_DIR until it is loaded or discarded
    filename: str
    rows: list[tuple[str, str, int, int | None]]  # code, name, working, BPU
    problems: list[WorkforceProblem]
    ignored: int


def workforce_preview(
    *, actor: Actor, pemda: Pemda, stream: Any, filename: str, year: int, source: str
) -> WorkforcePreview:
    """Receive and read an uploaded table without storing its figures: what a load would
    store (regions recognised, counts), the rows it would skip and why. The file is kept
    (`stored`) for `workforce_load`; one that cannot be read is not kept."""
    _check_actor(actor, pemda)
    _check_load(pemda, year, source)
    districts, villages = regions_of(pemda)
    try:
        with upload_received(
            stream,
            filename=filename,
            limits=WORKFORCE_LIMITS,
            too_large="File lebih dari 10 MB; tabel jumlah pekerja biasanya jauh lebih kecil.",
        ) as received:
            reading = _read(received.path, filename, RegionResolver(districts, villages))
            if not reading.rows:
                raise ServiceError(
                    "Tidak ada baris wilayah yang dapat dimuat"
                    + (f": {reading.problems[0].message}" if reading.problems else ".")
                )
            stored = received.keep(folder=WORKFORCE_FOLDER)
    except UploadRefused as exc:
        raise ServiceError(exc.message) from exc
    _sweep()
    names = dict(districts + villages)
    return WorkforcePreview(
        stored=stored,
        filename=filename,
        rows=[(r.region, names.get(r.region, ""), r.working, r.bpu) for r in reading.rows],
        problems=reading.problems,
        ignored=reading.ignored,
    )


def _sweep() -> None:
    """Remove previews abandoned for a day (never loaded nor replaced)."""
    cutoff = time.time() - 24 * 3600
    for path in upload_path(WORKFORCE_FOLDER).glob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def workforce_discard(stored: str) -> None:
    """Remove a previewed file (after its load, or when it was replaced by another)."""
    if re.fullmatch(rf"{WORKFORCE_FOLDER}/[0-9a-f]{{32}}\.[a-z]{{3,4}}", stored):
        upload_path(stored).unlink(missing_ok=True)


def workforce_load(
    *, actor: Actor, pemda: Pemda, path: Path, filename: str, year: int, source: str
) -> WorkforceLoad:
    """Load a statistics table as the Pemda's workforce of `year`, replacing that year's."""
    user = _check_actor(actor, pemda)
    source = _check_load(pemda, year, source)
    reading = _read(path, filename, RegionResolver(*regions_of(pemda)))
    if not reading.rows:
        raise ServiceError(
            "Tidak ada baris wilayah yang dapat dimuat"
            + (f": {reading.problems[0].message}" if reading.problems else ".")
        )
    villages = sum(1 for r in reading.rows if r.region.count(".") == 3)
    with transaction.atomic():
        replaced, _by_model = Workforce.objects.filter(pemda=pemda, year=year).delete()
        Workforce.objects.bulk_create(
            Workforce(
                pemda=pemda,
                year=year,
                region_id=r.region,
                working=r.working,
                bpu=r.bpu,
                source=source[:255],
                filename=filename[:255],
                loaded_by=user,
            )
            for r in reading.rows
        )
        audit_record(
            actor=actor,
            action="workforce.loaded",
            pemda=pemda,
            label=f"{year}: {source}"[:200],
            changes={
                "year": year,
                "source": source,
                "filename": filename,
                "rows": len(reading.rows),
                "replaced": replaced,
                "problems": len(reading.problems),
                "loaded_on": dt.date.isoformat(timezone.localdate()),
            },
        )
    return WorkforceLoad(
        year=year,
        rows=len(reading.rows),
        districts=len(reading.rows) - villages,
        villages=villages,
        replaced=replaced,
        ignored=reading.ignored,
        problems=reading.problems,
    )


def coverage_target_set(
    *,
    actor: Actor,
    pemda: Pemda,
    year: int,
    target_rate: Decimal | None,
    province_rate: Decimal | None,
    note: str = "",
) -> CoverageTarget:
    """The Pemda's coverage target of `year` and the province's rate shown beside it."""
    _check_actor(actor, pemda)
    for label, rate in (("Target", target_rate), ("Cakupan provinsi", province_rate)):
        if rate is not None and not Decimal(0) <= rate <= Decimal(100):
            raise ServiceError(f"{label} harus antara 0 dan 100 persen.")
    with transaction.atomic():
        target, _created = CoverageTarget.objects.update_or_create(
            pemda=pemda,
            year=year,
            defaults={
                "target_rate": target_rate,
                "province_rate": province_rate,
                "note": note.strip()[:255],
            },
        )
        audit_record(
            actor=actor,
            action="coverage_target.set",
            obj=target,
            pemda=pemda,
            label=str(year),
            changes={
                "year": year,
                "target_rate": None if target_rate is None else str(target_rate),
                "province_rate": None if province_rate is None else str(province_rate),
                "note": note,
            },
        )
    return target


@dataclass(frozen=True)
class WorkforceYear:
    year: int
    regions: int
    working: int
    source: str
    filename: str
    loaded_at: dt.datetime
    loaded_by: str


def workforce_years(*, pemda: Pemda) -> list[WorkforceYear]:
    """The years of workforce figures the Pemda has loaded, newest first."""
    years: dict[int, list[Workforce]] = {}
    for row in Workforce.objects.filter(pemda=pemda).select_related("loaded_by"):
        years.setdefault(row.year, []).append(row)
    found = []
    for year, rows in sorted(years.items(), reverse=True):
        first = rows[0]
        found.append(
            WorkforceYear(
                year=year,
                regions=len(rows),
                working=sum(r.working for r in rows if r.region_id.count(".") == 2)
                or sum(r.working for r in rows),
                source=first.source,
                filename=first.filename,
                loaded_at=first.loaded_at,
                loaded_by=first.loaded_by.username if first.loaded_by else "sistem",
            )
        )
    return found

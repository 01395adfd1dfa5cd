"""Writes of register snapshots: a welfare register extract loaded as a dated snapshot."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import Pemda
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.intake.rowcheck import RegionResolver
from lindung.intake.spreadsheet import GIB, FileRejected, Limits, inspect_file
from lindung.regions.models import Region, RegionLevel
from lindung.verification import batch
from lindung.verification.models import RegionCodeStyle, RegisterSnapshot, RegisterSource

REGISTER_LIMITS = Limits(max_rows=5_000_000, max_bytes=1 * GIB, max_cells=100_000_000)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _regions_of(pemda: Pemda) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    regency = pemda.region_id
    if not regency:
        return [], []
    in_regency = Region.objects.filter(code__startswith=regency + ".")
    districts = list(in_regency.filter(level=RegionLevel.DISTRICT).values_list("code", "name"))
    villages = list(in_regency.filter(level=RegionLevel.VILLAGE).values_list("code", "name"))
    return districts, villages


def snapshot_load(
    *,
    actor: Any,
    pemda: Pemda,
    path: Path,
    filename: str,
    source: str,
    as_of: date,
    region_code_style: str = RegionCodeStyle.NAMES,
) -> RegisterSnapshot:
    """Load a register extract (CSV or spreadsheet) as a new snapshot of the Pemda. Every
    row is kept; rows with neither a usable NIK nor a name count as rejected. Earlier
    snapshots stay as they are."""
    if source not in RegisterSource.values:
        raise ServiceError(
            f"Sumber data '{source}' tidak dikenal; pilih salah satu: "
            + ", ".join(RegisterSource.values)
            + "."
        )
    if region_code_style not in RegionCodeStyle.values:
        raise ServiceError(
            f"Bentuk kode wilayah '{region_code_style}' tidak dikenal; pilih names atau kemendagri."
        )
    if as_of > timezone.localdate():
        raise ServiceError(
            f"Tanggal keadaan data {as_of:%d-%m-%Y} ada di masa depan; periksa tanggalnya."
        )
    try:
        kind = inspect_file(path, filename=filename, limits=REGISTER_LIMITS)
        table = batch.read_table(path, kind=kind, limits=REGISTER_LIMITS)
        districts, villages = _regions_of(pemda)
        clean = batch.clean_register(
            table,
            code_style=region_code_style,
            lookup=batch.resolver_lookup(RegionResolver(districts, villages)),
            known_codes=frozenset(code for code, _name in districts + villages),
        )
    except FileRejected as exc:
        raise ServiceError(exc.message) from exc
    except batch.RegisterError as exc:
        raise ServiceError(str(exc)) from exc
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        snapshot = RegisterSnapshot.objects.create(
            pemda=pemda,
            source=source,
            as_of=as_of,
            file_name=filename[:255],
            sha256=_sha256(path),
            region_code_style=region_code_style,
            rows=clean.rows,
            rejected=clean.rejected,
            loaded_by=user,
        )
        batch.insert_records(clean, snapshot_id=snapshot.pk, pemda_id=pemda.pk)
        audit_record(
            actor=actor,
            action="register_snapshot.loaded",
            obj=snapshot,
            pemda=pemda,
            changes={
                "rows": clean.rows,
                "rejected": clean.rejected,
                "source": source,
                "as_of": as_of.isoformat(),
                "file": filename,
            },
        )
    return snapshot

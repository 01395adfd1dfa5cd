"""Writes for programs, their funding and quotas, and the occupation list. One transaction
per call, with its audit event; stale forms are refused by version checks."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, Sum
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, Pemda
from lindung.audit.services import audit_record, diff, snapshot
from lindung.common.errors_domain import ConflictError, ServiceError
from lindung.domain.rulebook import Benefit
from lindung.programs.models import FundingSource, Occupation, Program, Quota
from lindung.regions.models import Region

PROGRAM_FIELDS = (
    "code",
    "name",
    "year",
    "status",
    "perbup_number",
    "mou_number",
    "pks_number",
    "bpjs_branch",
    "start_month",
    "coverage_months",
    "benefits",
    "declared_income",
    "quota",
    "register_required",
    "max_desil",
    "min_age",
    "max_age",
    "residency_required",
    "priority_policy",
    "notes",
    "letterhead",
    "signatory_name",
    "signatory_title",
    "signatory_nip",
)
OCCUPATION_FIELDS = ("name", "synonyms", "risk", "is_active")
DEFAULT_OCCUPATIONS = Path(__file__).resolve().parent / "data" / "occupations.csv"


def _check_program(fields: dict[str, Any]) -> None:
    benefits = set(fields.get("benefits") or [])
    if not {Benefit.JKK, Benefit.JKM} <= benefits:
        raise ServiceError(_("Program BPU wajib mencakup JKK dan JKM."))
    if not benefits <= {b.value for b in Benefit}:
        raise ServiceError(_("Program jaminan untuk BPU hanya JKK, JKM dan JHT."))
    start = fields.get("start_month")
    if start is not None and start.day != 1:
        fields["start_month"] = start.replace(day=1)


def program_create(
    *, actor: Actor, pemda: Pemda, occupations: list[Occupation] | None = None, **fields: Any
) -> Program:
    _check_program(fields)
    if Program.objects.filter(pemda=pemda, code=fields["code"]).exists():
        raise ServiceError(_("Kode program %(code)s sudah dipakai.") % {"code": fields["code"]})
    with transaction.atomic():
        program = Program.objects.create(pemda=pemda, **fields)
        if occupations:
            program.occupations.set(occupations)
        audit_record(
            actor=actor,
            action="program.created",
            obj=program,
            changes=diff({}, snapshot(program, (*PROGRAM_FIELDS, "occupations"))),
        )
    return program


def program_update(
    *,
    actor: Actor,
    program: Program,
    version: int,
    occupations: list[Occupation] | None = None,
    **fields: Any,
) -> Program:
    merged = {**snapshot(program, PROGRAM_FIELDS), **fields}
    _check_program(merged)
    fields = {k: merged[k] for k in fields}
    code = fields.get("code", program.code)
    if Program.objects.filter(pemda_id=program.pemda_id, code=code).exclude(pk=program.pk).exists():
        raise ServiceError(_("Kode program %(code)s sudah dipakai.") % {"code": code})
    with transaction.atomic():
        # From the stored row: a ModelForm has already copied the new values onto `program`.
        before = snapshot(Program.objects.get(pk=program.pk), (*PROGRAM_FIELDS, "occupations"))
        updated = Program.objects.filter(pk=program.pk, version=version).update(
            version=version + 1, **fields
        )
        if not updated:
            raise ConflictError()
        program.refresh_from_db()
        if occupations is not None:
            program.occupations.set(occupations)
        audit_record(
            actor=actor,
            action="program.updated",
            obj=program,
            changes=diff(before, snapshot(program, (*PROGRAM_FIELDS, "occupations"))),
        )
    return program


def funding_source_add(
    *,
    actor: Actor,
    program: Program,
    name: str,
    kind: str,
    amount: int,
    bpjs_code: str,
    agency: Agency | None = None,
    relief_excluded: bool | None = None,
    code: str = "",
) -> FundingSource:
    if agency is not None and agency.pemda_id != program.pemda_id:
        raise ServiceError(_("Instansi tidak ditemukan di Pemda ini."))
    code = code.strip().lower()
    if code and FundingSource.objects.filter(program=program, code=code).exists():
        raise ServiceError(
            _("Kode sumber dana %(code)s sudah dipakai di program ini.") % {"code": code}
        )
    with transaction.atomic():
        source = FundingSource.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            name=name,
            code=code,
            kind=kind,
            amount=amount,
            bpjs_code=bpjs_code,
            agency=agency,
            relief_excluded=relief_excluded,
        )
        audit_record(
            actor=actor,
            action="funding_source.created",
            obj=source,
            changes={
                "program": program.code,
                "name": name,
                "code": code,
                "kind": kind,
                "amount": amount,
                "bpjs_code": bpjs_code,
                "agency": agency.code if agency else None,
                "relief_excluded": relief_excluded,
            },
        )
    return source


def _remove(*, actor: Actor, obj: Model, action: str) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=action, obj=obj, changes={"removed": str(obj)})
        obj.delete()


def funding_source_remove(*, actor: Actor, source: FundingSource) -> None:
    _remove(actor=actor, obj=source, action="funding_source.removed")


def quota_set(
    *,
    actor: Actor,
    program: Program,
    quota: int,
    agency: Agency | None = None,
    region: Region | None = None,
) -> Quota:
    """Set the quota of one agency or one area; the parts may not exceed the program's."""
    if (agency is None) == (region is None):
        raise ServiceError(_("Pilih salah satu: instansi atau wilayah."))
    if agency is not None and agency.pemda_id != program.pemda_id:
        raise ServiceError(_("Instansi tidak ditemukan di Pemda ini."))
    if region is not None and not region.code.startswith(program.pemda.region_id + "."):
        raise ServiceError(_("Wilayah harus berada di dalam Pemda ini."))
    with transaction.atomic():
        existing = Quota.objects.filter(program=program, agency=agency, region=region).first()
        others = Quota.objects.filter(program=program, region__isnull=region is None)
        if existing is not None:
            others = others.exclude(pk=existing.pk)
        allotted = (others.aggregate(total=Sum("quota"))["total"] or 0) + quota
        if allotted > program.quota:
            raise ServiceError(
                _("Jumlah kuota (%(sum)s) melebihi kuota program (%(total)s).")
                % {
                    "sum": f"{allotted:,}".replace(",", "."),
                    "total": f"{program.quota:,}".replace(",", "."),
                }
            )
        before = existing.quota if existing else None
        if existing is None:
            existing = Quota.objects.create(
                pemda_id=program.pemda_id,
                program=program,
                agency=agency,
                region=region,
                quota=quota,
            )
        else:
            existing.quota = quota
            existing.save(update_fields=["quota"])
        audit_record(
            actor=actor, action="quota.set", obj=existing, changes={"quota": [before, quota]}
        )
    return existing


def quota_remove(*, actor: Actor, quota: Quota) -> None:
    _remove(actor=actor, obj=quota, action="quota.removed")


def _clean_synonyms(synonyms: list[str] | str) -> list[str]:
    items = synonyms.split(",") if isinstance(synonyms, str) else synonyms
    return sorted({s.strip().lower() for s in items if s.strip()})


def occupation_create(
    *,
    actor: Actor,
    pemda: Pemda,
    name: str,
    synonyms: list[str] | str = "",
    risk: str = "medium",
    is_active: bool = True,
) -> Occupation:
    try:
        with transaction.atomic():
            occupation = Occupation.objects.create(
                pemda=pemda,
                name=name.strip(),
                synonyms=_clean_synonyms(synonyms),
                risk=risk,
                is_active=is_active,
            )
            audit_record(
                actor=actor,
                action="occupation.created",
                obj=occupation,
                changes=diff({}, snapshot(occupation, OCCUPATION_FIELDS)),
            )
    except IntegrityError as exc:
        raise ServiceError(_("Jenis pekerjaan %(name)s sudah ada.") % {"name": name}) from exc
    return occupation


def occupation_update(
    *, actor: Actor, occupation: Occupation, version: int, **fields: Any
) -> Occupation:
    if "synonyms" in fields:
        fields["synonyms"] = _clean_synonyms(fields["synonyms"])
    name = fields.get("name", occupation.name)
    duplicate = Occupation.objects.filter(pemda_id=occupation.pemda_id, name=name)
    if duplicate.exclude(pk=occupation.pk).exists():
        raise ServiceError(_("Jenis pekerjaan %(name)s sudah ada.") % {"name": name})
    with transaction.atomic():
        # From the stored row: a ModelForm has already copied the new values onto `occupation`.
        before = snapshot(Occupation.objects.get(pk=occupation.pk), OCCUPATION_FIELDS)
        updated = Occupation.objects.filter(pk=occupation.pk, version=version).update(
            version=version + 1, **fields
        )
        if not updated:
            raise ConflictError()
        occupation.refresh_from_db()
        audit_record(
            actor=actor,
            action="occupation.updated",
            obj=occupation,
            changes=diff(before, snapshot(occupation, OCCUPATION_FIELDS)),
        )
    return occupation


def occupations_seed_defaults(
    *, actor: Actor, pemda: Pemda, path: Path = DEFAULT_OCCUPATIONS
) -> int:
    """Give a Pemda the default informal job list; existing names are left as they are."""
    existing = set(Occupation.objects.filter(pemda=pemda).values_list("name", flat=True))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["name"] not in existing]
    with transaction.atomic():
        Occupation.objects.bulk_create(
            Occupation(
                pemda=pemda,
                name=row["name"],
                risk=row["risk"],
                synonyms=_clean_synonyms(row["synonyms"].split("|")),
            )
            for row in rows
        )
        audit_record(
            actor=actor,
            action="occupation.defaults_loaded",
            pemda=pemda,
            changes={"added": len(rows)},
            label=_("Daftar jenis pekerjaan bawaan"),
        )
    return len(rows)

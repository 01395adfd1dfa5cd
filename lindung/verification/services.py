"""Writes of register snapshots: a welfare register extract loaded as a dated snapshot."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import time
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, Pemda, User
from lindung.audit.services import audit_record
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular import GIB, FileRejected, Limits, inspect_file
from lindung.intake.models import Submission, SubmissionRow, SubmissionStatus
from lindung.intake.rowcheck import RegionResolver
from lindung.intake.services import submissions_into_verification
from lindung.programs.models import Program
from lindung.regions.models import Region, RegionLevel
from lindung.verification import batch, matching, verify
from lindung.verification.models import (
    DecisionKind,
    MatchKind,
    MatchPolicy,
    Outcome,
    RegionCodeStyle,
    RegisterLoadJob,
    RegisterRecord,
    RegisterSnapshot,
    RegisterSource,
    ReviewDecision,
    RowVerdict,
    RunStatus,
    VerificationRun,
)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


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


def _cache_after_commit(snapshot: RegisterSnapshot, frame: Any) -> None:
    """Once the snapshot is committed, write its columnar cache for verification from the
    frame just inserted, when its records got consecutive ids in frame order (one INSERT
    stream or COPY does that; the check makes sure, and the reader checks again)."""
    bounds = RegisterRecord.objects.filter(snapshot=snapshot).aggregate(
        first=Min("pk"), last=Max("pk"), count=Count("pk")
    )
    first, last, count = bounds["first"], bounds["last"], bounds["count"]
    if first is None or count != frame.height or last - first + 1 != count:
        return
    cache = verify.register_cache_frame(frame, first)
    transaction.on_commit(lambda: verify.register_cache_store(snapshot, cache))


def snapshot_load(
    *,
    actor: Actor,
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
            f"Bentuk kode wilayah '{region_code_style}' tidak dikenal; pilih names, kemendagri "
            "atau bps."
        )
    if as_of > timezone.localdate():
        raise ServiceError(
            f"Tanggal keadaan data {as_of:%d-%m-%Y} ada di masa depan; periksa tanggalnya."
        )
    try:
        kind = inspect_file(path, filename=filename, limits=REGISTER_LIMITS)
        districts, villages = _regions_of(pemda)
        # The raw table is not kept past cleaning: it is the largest thing in memory.
        clean = batch.clean_register(
            batch.read_table(path, kind=kind, limits=REGISTER_LIMITS),
            as_of=as_of,
            code_style=region_code_style,
            lookup=batch.resolver_lookup(RegionResolver(districts, villages)),
            known_codes=frozenset(code for code, _name in districts + villages),
            regency=pemda.region_id or "",
        )
    except FileRejected as exc:
        raise ServiceError(exc.message) from exc
    except batch.RegisterError as exc:
        raise ServiceError(str(exc)) from exc
    user = actor if isinstance(actor, User) else None
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
        _cache_after_commit(snapshot, clean.frame)
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


# --- Verification runs and review decisions ----------------------------------------------


def _current_snapshot(pemda_id: int) -> RegisterSnapshot | None:
    return RegisterSnapshot.objects.filter(pemda_id=pemda_id).order_by("-as_of", "-pk").first()


def run_request(*, actor: Actor, program: Program, enqueue: bool = True) -> VerificationRun:
    """Queue a verification of every handed-in row of `program` against the Pemda's newest
    register snapshot. Earlier runs stay as they were."""
    if not Submission.objects.filter(
        program=program,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_VERIFICATION],
    ).exists():
        raise ServiceError(_("Belum ada usulan yang diserahkan untuk program ini."))
    if VerificationRun.objects.filter(
        program=program, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists():
        raise ServiceError(_("Verifikasi program ini sedang berjalan; tunggu sampai selesai."))
    settings = verify.match_settings(program.pemda_id)
    with transaction.atomic():
        run = VerificationRun.objects.create(
            pemda_id=program.pemda_id,
            program=program,
            snapshot=_current_snapshot(program.pemda_id),
            policy=dataclasses.asdict(settings),
            started_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="verification.queued",
            obj=run,
            pemda=program.pemda,
            changes={"program": program.code, "snapshot": run.snapshot_id},
        )
        if enqueue:
            from lindung.verification.tasks import run_verification_job

            transaction.on_commit(lambda: run_verification_job.enqueue(run.pk))
    return run


def run_execute(*, run_id: int) -> VerificationRun:
    """Do a queued run: every verdict is written together or not at all; a failed or killed
    run leaves no verdicts and can simply be requested again."""
    run = VerificationRun.objects.select_related("program__pemda", "snapshot").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    VerificationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), error=""
    )
    program = run.program
    pemda = program.pemda
    context = verify.Context(
        program=program,
        snapshot=run.snapshot,
        settings=matching.MatchSettings(**run.policy),
        regency=pemda.region_id or "",
        pemda_name=pemda.name,
        allowed_occupations=frozenset(program.occupations.values_list("pk", flat=True)),
        agency_names=dict(Agency.objects.filter(pemda=pemda).values_list("pk", "name")),
    )
    began = time.perf_counter()
    try:
        with transaction.atomic():
            counts, timings = verify.execute(run, context=context)
            seconds = time.perf_counter() - began
            VerificationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                counts=counts.as_json(),
                rows=counts.rows,
                finished_at=timezone.now(),
                seconds=round(seconds, 3),
                error="",
            )
            moved = submissions_into_verification(actor=run.started_by or "sistem", program=program)
            audit_record(
                actor=run.started_by or "sistem",
                action="verification.finished",
                obj=run,
                pemda=pemda,
                changes={
                    "counts": counts.as_json(),
                    "seconds": round(seconds, 3),
                    "timings": timings,
                    "submissions_in_verification": moved,
                },
            )
    except Exception:
        VerificationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Verifikasi terhenti karena gangguan; jalankan ulang."),
        )
        raise
    run.refresh_from_db()
    return run


def run_verification(*, actor: Actor, program: Program) -> VerificationRun:
    """Request and do a run at once (the CLI and tests; the web queues it)."""
    run = run_request(actor=actor, program=program, enqueue=False)
    return run_execute(run_id=run.pk)


def _replace_finding(verdict: RowVerdict, drop: set[str], add: list[dict[str, str]]) -> None:
    findings = [f for f in verdict.findings if f["code"] not in drop] + add
    findings.sort(key=lambda f: verify.ORDER[f["code"]])
    verdict.findings = findings
    verdict.outcome = findings[0]["code"]
    verdict.verdict = verify.verdict_of(
        findings,
        review_match=verdict.review_match,
        review_duplicate=verdict.review_duplicate,
        register_required=verdict.run.program.register_required,
    )


def match_decide(
    *, actor: Actor, verdict: RowVerdict, accepted: bool, note: str = ""
) -> ReviewDecision:
    """Accept or reject the register link a verdict proposes. The decision is kept for later
    runs; the verdict of the current run follows it at once."""
    if not verdict.register_id:
        raise ServiceError(_("Baris ini tidak memiliki calon padanan DTKS/DTSEN."))
    run = verdict.run
    with transaction.atomic():
        decision, _created = ReviewDecision.objects.update_or_create(
            program_id=run.program_id,
            kind=DecisionKind.MATCH,
            row_id=verdict.row_id,
            register_id=verdict.register_id,
            defaults={
                "pemda_id": run.pemda_id,
                "accepted": accepted,
                "note": note.strip(),
                "decided_by": _user(actor),
            },
        )
        verdict.review_match = False
        source = run.snapshot.get_source_display() if run.snapshot else "DTKS/DTSEN"
        if accepted:
            text = _("Ada di %(source)s per %(as_of)s") % {
                "source": source,
                "as_of": f"{run.snapshot.as_of:%d-%m-%Y}" if run.snapshot else "",
            }
            if verdict.desil:
                text += _(", desil %s") % verdict.desil
            add = [{"code": Outcome.IN_REGISTER, "message": text + _(" (diputuskan pemeriksa).")}]
        else:
            verdict.match = MatchKind.NONE
            add = [
                {
                    "code": Outcome.NOT_IN_REGISTER,
                    "message": _("Calon padanan ditolak pemeriksa: bukan orang yang sama."),
                }
            ]
        _replace_finding(
            verdict,
            {Outcome.PROBABLE_IN_REGISTER, Outcome.IN_REGISTER, Outcome.NOT_IN_REGISTER},
            add,
        )
        if not accepted and Outcome.DESIL_TOO_HIGH in {f["code"] for f in verdict.findings}:
            _replace_finding(verdict, {Outcome.DESIL_TOO_HIGH}, [])
        verdict.save(update_fields=["review_match", "match", "findings", "outcome", "verdict"])
        audit_record(
            actor=actor,
            action="verification.match_accepted" if accepted else "verification.match_rejected",
            obj=decision,
            pemda=run.pemda,
            changes={
                "row": verdict.row_id,
                "register_id": verdict.register_id,
                "run": run.pk,
                "note": note.strip(),
            },
        )
    return decision


def duplicate_decide(
    *,
    actor: Actor,
    verdict: RowVerdict,
    owner: RowVerdict | None,
    note: str = "",
) -> list[ReviewDecision]:
    """Choose which row of a duplicate group keeps the person: the other rows' agencies are
    told why theirs does not go on. `owner=None`: the rows are different people after all,
    and each keeps its own. Kept for later runs."""
    if verdict.group is None:
        raise ServiceError(_("Baris ini tidak termasuk kelompok data ganda."))
    if owner is not None and (owner.run_id != verdict.run_id or owner.group != verdict.group):
        raise ServiceError(_("Pemilik harus salah satu baris dari kelompok data ganda ini."))
    run = verdict.run
    members = list(
        RowVerdict.objects.filter(run=run, group=verdict.group).select_related("run__program")
    )
    agency_names = dict(Agency.objects.filter(pemda_id=run.pemda_id).values_list("pk", "name"))
    owner_row = SubmissionRow.objects.get(pk=owner.row_id) if owner is not None else None
    decisions: list[ReviewDecision] = []
    with transaction.atomic():
        for member in members:
            decision, _created = ReviewDecision.objects.update_or_create(
                program_id=run.program_id,
                kind=DecisionKind.DUPLICATE,
                row_id=member.row_id,
                register_id="",
                defaults={
                    "pemda_id": run.pemda_id,
                    "owner_id": owner.row_id if owner is not None else member.row_id,
                    "accepted": owner is not None,  # the rows are one person
                    "note": note.strip(),
                    "decided_by": _user(actor),
                },
            )
            decisions.append(decision)
            member.review_duplicate = False
            if owner is None or member.pk == owner.pk:
                _replace_finding(member, {Outcome.DUPLICATE}, [])
            else:
                assert owner_row is not None  # noqa: S101 - set with owner
                message = _(
                    "Orang yang sama diusulkan oleh %(owner)s (baris %(row)s); usulan ini "
                    "tidak diteruskan."
                ) % {"owner": agency_names.get(owner.agency_id, ""), "row": owner_row.row_number}
                if note.strip():
                    message += " " + _("Catatan: %s") % note.strip()
                _replace_finding(
                    member, {Outcome.DUPLICATE}, [{"code": Outcome.DUPLICATE, "message": message}]
                )
            member.save(update_fields=["review_duplicate", "findings", "outcome", "verdict"])
        audit_record(
            actor=actor,
            action="verification.duplicate_resolved"
            if owner is not None
            else "verification.duplicate_separated",
            obj=run,
            pemda=run.pemda,
            changes={
                "group": verdict.group,
                "owner_row": owner.row_id if owner is not None else None,
                "owner_row_number": owner_row.row_number if owner_row is not None else None,
                "rows": [m.row_id for m in members],
                "note": note.strip(),
            },
        )
    return decisions


def matches_accept_bulk(
    *,
    actor: Actor,
    run: VerificationRun,
    min_score: float,
    note: str = "",
    expected: int | None = None,
) -> int:
    """Accept, in one go, every link still awaiting review in `run` that scores at least
    `min_score` and has no close runner-up: the clear cases. `expected`: the count the
    verifier confirmed; when the queue changed since, nothing is accepted."""
    if not 0.5 <= min_score <= 1.0:
        raise ServiceError(_("Skor minimal harus antara 0,5 dan 1."))
    with transaction.atomic():
        pending = [
            v
            for v in RowVerdict.objects.filter(
                run=run, review_match=True, score__gte=min_score
            ).select_related("run__program", "run__snapshot", "run__pemda")
            if "ambiguous" not in (v.reasons or [])
        ]
        if expected is not None and len(pending) != expected:
            raise ServiceError(
                _(
                    "Jumlah calon padanan berubah sejak Anda memeriksanya (kini %(n)s, "
                    "tadi %(expected)s). Periksa lagi sebelum menerima."
                )
                % {"n": len(pending), "expected": expected}
            )
        for verdict in pending:
            match_decide(actor=actor, verdict=verdict, accepted=True, note=note)
        audit_record(
            actor=actor,
            action="verification.matches_bulk_accepted",
            obj=run,
            pemda=run.pemda,
            changes={"min_score": min_score, "rows": len(pending)},
        )
    return len(pending)


def match_undo(*, actor: Actor, verdict: RowVerdict) -> None:
    """Take back the decision on a verdict's register link: the decision is forgotten and the
    verdict awaits a verifier again, as the run left it. Only until the next run: a newer
    run (even one still running) has already used the decision, and so do the verdicts of a
    run that started after it was taken."""
    run = verdict.run
    newer = (
        VerificationRun.objects.filter(program_id=run.program_id, pk__gt=run.pk)
        .exclude(status=RunStatus.FAILED)
        .order_by("pk")
        .first()
    )
    if newer is not None:
        raise ServiceError(
            _(
                "Keputusan ini tidak dapat dibatalkan lagi: verifikasi #%(n)s sudah dijalankan "
                "sesudahnya dan memakainya. Keputusan hanya dapat dibatalkan sampai verifikasi "
                "berikutnya."
            )
            % {"n": newer.pk}
        )
    decision = ReviewDecision.objects.filter(
        program_id=run.program_id,
        kind=DecisionKind.MATCH,
        row_id=verdict.row_id,
        register_id=verdict.register_id,
    ).first()
    if decision is None or verdict.review_match or not verdict.register_id:
        raise ServiceError(_("Belum ada keputusan atas calon padanan ini."))
    if run.finished_at is not None and decision.decided_at < run.finished_at:
        raise ServiceError(
            _(
                "Keputusan ini diambil sebelum verifikasi #%(n)s dan sudah dipakainya; "
                "keputusan hanya dapat dibatalkan sampai verifikasi berikutnya."
            )
            % {"n": run.pk}
        )
    program = run.program
    source = run.snapshot.get_source_display() if run.snapshot else "DTKS/DTSEN"
    add = [
        {
            "code": Outcome.PROBABLE_IN_REGISTER,
            "message": _("Kemungkinan ada di %(source)s: %(why)s.")
            % {"source": source, "why": verify.reasons_text(verdict.reasons)},
        }
    ]
    if program.max_desil and verdict.desil and verdict.desil > program.max_desil:
        add.append(
            {
                "code": Outcome.DESIL_TOO_HIGH,
                "message": _("Desil %(desil)s di atas batas program (desil %(max)s).")
                % {"desil": verdict.desil, "max": program.max_desil},
            }
        )
    with transaction.atomic():
        undone = {"accepted": decision.accepted, "note": decision.note}
        decision.delete()
        verdict.review_match = True
        if verdict.match == MatchKind.NONE:  # a rejection dropped the link; the run's kind
            nik = SubmissionRow.objects.filter(pk=verdict.row_id).values_list("nik", flat=True)
            same_nik = bool(verdict.register_nik) and nik.first() == verdict.register_nik
            verdict.match = MatchKind.EXACT if same_nik else MatchKind.PROBABLE
        _replace_finding(
            verdict,
            {
                Outcome.PROBABLE_IN_REGISTER,
                Outcome.IN_REGISTER,
                Outcome.NOT_IN_REGISTER,
                Outcome.DESIL_TOO_HIGH,
            },
            add,
        )
        verdict.save(update_fields=["review_match", "match", "findings", "outcome", "verdict"])
        audit_record(
            actor=actor,
            action="verification.match_undone",
            obj=run,
            pemda=run.pemda,
            changes={
                "row": verdict.row_id,
                "register_id": verdict.register_id,
                "run": run.pk,
                **undone,
            },
        )


def policy_update(*, actor: Actor, pemda: Pemda, **thresholds: float) -> MatchPolicy:
    """Change a Pemda's matching thresholds; they apply from the next run."""
    names = {"link_accept", "link_review", "duplicate_accept", "duplicate_review"}
    unknown = set(thresholds) - names
    if unknown:
        raise ServiceError(_("Ambang tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    for name, value in thresholds.items():
        if not 0.0 < value <= 1.0:
            raise ServiceError(_("Ambang %s harus di antara 0 dan 1.") % name)
    with transaction.atomic():
        policy, _created = MatchPolicy.objects.select_for_update().get_or_create(pemda=pemda)
        before = {n: getattr(policy, n) for n in names}
        for name, value in thresholds.items():
            setattr(policy, name, value)
        if (
            policy.link_review > policy.link_accept
            or policy.duplicate_review > policy.duplicate_accept
        ):
            raise ServiceError(_("Ambang periksa tidak boleh di atas ambang otomatis."))
        policy.version += 1
        policy.updated_by = _user(actor)
        policy.save()
        audit_record(
            actor=actor,
            action="verification.policy_changed",
            obj=policy,
            pemda=pemda,
            changes={
                n: [before[n], getattr(policy, n)] for n in names if before[n] != getattr(policy, n)
            },
        )
    return policy


# --- Register extracts uploaded on the web -----------------------------------------------

REGISTER_UPLOAD_FOLDER = "register"  # under settings.UPLOAD_DIR


def _register_options_check(*, source: str, as_of: date, region_code_style: str) -> None:
    # The same refusals as snapshot_load's, before a large file is stored and queued.
    if source not in RegisterSource.values:
        raise ServiceError(
            _("Sumber data '%s' tidak dikenal; pilih DTKS, DTSEN atau P3KE.") % source
        )
    if region_code_style not in RegionCodeStyle.values:
        raise ServiceError(
            _(
                "Bentuk kode wilayah '%s' tidak dikenal; pilih nama wilayah, kode Kemendagri "
                "atau kode BPS."
            )
            % region_code_style
        )
    if as_of > timezone.localdate():
        raise ServiceError(
            _("Tanggal keadaan data %s ada di masa depan; periksa tanggalnya.")
            % f"{as_of:%d-%m-%Y}"
        )


def _csv_header_problem(path: Path, *, region_code_style: str) -> str | None:
    """What keeps a CSV extract from loading, read from its first lines only (the loader
    reads the first line as the header). Spreadsheets are checked by the job: reading their
    header means reading the whole workbook."""
    with path.open("rb") as fh:
        lines = [fh.readline(1 << 16).decode("utf-8", errors="replace") for _i in range(10)]
    found: dict[str, int] = {}
    for separator in (";", "|", "\t", ","):
        fields = batch.recognise(next(csv.reader([lines[0]], delimiter=separator), []))
        if len(fields) > len(found):
            found = fields
    missing = [label for key, label in (("nik", "NIK"), ("name", "NAMA")) if key not in found]
    if missing:
        return _(
            "Kolom %s tidak ditemukan di baris pertama. Baris pertama file harus berisi judul "
            "kolom seperti NOMOR NIK dan NAMA."
        ) % " dan ".join(missing)
    if region_code_style == RegionCodeStyle.KEMENDAGRI and "village_code" not in found:
        return _(
            "Kolom kode desa/kelurahan (mis. kode_kelurahan_desa) tidak ditemukan. Bila file "
            "memuat nama kecamatan dan desa, pilih bentuk kode wilayah 'nama wilayah'."
        )
    if (
        region_code_style == RegionCodeStyle.BPS
        and "village_code" not in found
        and "district_code" not in found
    ):
        return _(
            "Kolom kode wilayah BPS (mis. KDKEC atau KDDESA) tidak ditemukan. Bila file memuat "
            "nama kecamatan dan desa, pilih bentuk kode wilayah 'nama wilayah'."
        )
    if not any(line.strip() for line in lines[1:]):  # blank lines are not data
        return _("File hanya berisi baris judul, tanpa baris data.")
    return None


def _register_refused(*, actor: Actor, pemda: Pemda, filename: str, code: str, size: int) -> None:
    audit_record(
        actor=actor,
        action="register_upload.refused",
        pemda=pemda,
        changes={"file": filename, "code": code, "size": size},
    )


def register_upload(
    *,
    actor: Actor,
    pemda: Pemda,
    stream: IO[bytes] | Iterable[bytes],
    filename: str,
    source: str,
    as_of: date,
    region_code_style: str = RegionCodeStyle.NAMES,
) -> RegisterLoadJob:
    """Store an uploaded register extract under a name of our own and queue its load: a
    register runs to millions of rows, loaded by the background worker (`register_job_run`).
    The file is checked by content first (type, size, zip bombs, macros; a CSV's header row
    too). The same file already waiting for the same load is not queued twice; one already
    loaded the same way is refused."""
    _register_options_check(source=source, as_of=as_of, region_code_style=region_code_style)
    name = Path(filename).name[:255] or "register"
    upload_dir = Path(django_settings.UPLOAD_DIR)
    (upload_dir / REGISTER_UPLOAD_FOLDER).mkdir(parents=True, exist_ok=True)
    tmp = upload_dir / REGISTER_UPLOAD_FOLDER / f"{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            chunks = stream.chunks() if hasattr(stream, "chunks") else stream
            for chunk in chunks:
                size += len(chunk)
                if size > REGISTER_LIMITS.max_bytes:
                    _register_refused(
                        actor=actor, pemda=pemda, filename=name, code="too_large", size=size
                    )
                    raise ServiceError(
                        _(
                            "File lebih besar dari %s GB. Pecah per kecamatan, lalu unggah "
                            "satu per satu."
                        )
                        % (REGISTER_LIMITS.max_bytes // GIB)
                    )
                digest.update(chunk)
                out.write(chunk)
        try:
            kind = inspect_file(tmp, filename=name, limits=REGISTER_LIMITS)
        except FileRejected as exc:
            _register_refused(actor=actor, pemda=pemda, filename=name, code=exc.code, size=size)
            raise ServiceError(exc.message) from exc
        problem = (
            _csv_header_problem(tmp, region_code_style=region_code_style) if kind == "csv" else None
        )
        if problem is not None:
            _register_refused(actor=actor, pemda=pemda, filename=name, code="header", size=size)
            raise ServiceError(problem)
        sha = digest.hexdigest()
        same = {
            "pemda": pemda,
            "sha256": sha,
            "source": source,
            "as_of": as_of,
            "region_code_style": region_code_style,
        }
        waiting = RegisterLoadJob.objects.filter(
            **same, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).first()
        if waiting is not None:
            return waiting
        loaded = RegisterSnapshot.objects.filter(**same).first()
        if loaded is not None:
            _register_refused(actor=actor, pemda=pemda, filename=name, code="loaded", size=size)
            raise ServiceError(
                _("File yang sama sudah dimuat sebagai %(snapshot)s (%(file)s).")
                % {"snapshot": loaded, "file": loaded.file_name}
            )
        stored_path = f"{REGISTER_UPLOAD_FOLDER}/{uuid.uuid4().hex}.{kind}"
        tmp.rename(upload_dir / stored_path)
        try:
            with transaction.atomic():
                job = RegisterLoadJob.objects.create(
                    **same,
                    file_name=name,
                    stored_path=stored_path,
                    size=size,
                    created_by=_user(actor),
                )
                audit_record(
                    actor=actor,
                    action="register_upload.received",
                    obj=job,
                    pemda=pemda,
                    changes={
                        "file": name,
                        "size": size,
                        "sha256": sha,
                        "kind": kind,
                        "source": source,
                        "as_of": as_of.isoformat(),
                        "region_code_style": region_code_style,
                    },
                )
                from lindung.verification.tasks import run_register_load_job

                transaction.on_commit(lambda: run_register_load_job.enqueue(job.pk))
        except BaseException:
            (upload_dir / stored_path).unlink(missing_ok=True)
            raise
        return job
    finally:
        tmp.unlink(missing_ok=True)


def _register_job_fail(job: RegisterLoadJob, *, actor: Actor, message: str) -> None:
    with transaction.atomic():
        RegisterLoadJob.objects.filter(pk=job.pk).update(
            status=RunStatus.FAILED, message=message, finished_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="register_upload.failed",
            obj=job,
            pemda=job.pemda,
            changes={"file": job.file_name, "message": message},
        )


def register_job_run(*, job_id: int) -> RegisterLoadJob:
    """Load a queued upload as a snapshot with `snapshot_load` (every row or none). A refused
    file or a crash marks the job failed with its message in Bahasa Indonesia, and the file
    stays for a re-run; once loaded, the stored file is deleted."""
    job = RegisterLoadJob.objects.select_related("pemda", "created_by").get(pk=job_id)
    # Claimed by one worker only: a job queued twice (a re-run of a stalled load) runs once.
    claimed = RegisterLoadJob.objects.filter(
        pk=job.pk, status__in=[RunStatus.QUEUED, RunStatus.FAILED]
    ).update(status=RunStatus.RUNNING, started_at=timezone.now(), finished_at=None, message="")
    if not claimed:
        return job
    actor: Actor = job.created_by or "sistem"
    path = Path(django_settings.UPLOAD_DIR) / job.stored_path
    # A worker killed after the snapshot was committed but before the job was marked done
    # leaves the snapshot behind: adopt it rather than load the file twice.
    snapshot = RegisterSnapshot.objects.filter(
        pemda=job.pemda,
        sha256=job.sha256,
        source=job.source,
        as_of=job.as_of,
        region_code_style=job.region_code_style,
        created_at__gte=job.created_at,
    ).first()
    if snapshot is None:
        try:
            snapshot = snapshot_load(
                actor=actor,
                pemda=job.pemda,
                path=path,
                filename=job.file_name,
                source=job.source,
                as_of=job.as_of,
                region_code_style=job.region_code_style,
            )
        except ServiceError as exc:
            _register_job_fail(job, actor=actor, message=exc.message)
            raise
        except Exception:
            _register_job_fail(
                job,
                actor=actor,
                message=_(
                    "Pemuatan terhenti karena gangguan; tidak ada baris yang tersimpan. "
                    "Jalankan ulang; bila berulang, hubungi Admin Disnaker."
                ),
            )
            raise
    RegisterLoadJob.objects.filter(pk=job.pk).update(
        status=RunStatus.DONE, snapshot=snapshot, finished_at=timezone.now(), message=""
    )
    path.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def register_job_restart(*, actor: Actor, job: RegisterLoadJob) -> RegisterLoadJob:
    """Queue a failed (or stalled) load again; its file is still stored."""
    if not job.can_restart(now=timezone.now()):
        if job.status == RunStatus.DONE:
            raise ServiceError(_("Data ini sudah selesai dimuat."))
        raise ServiceError(_("Pemuatan ini sedang berjalan; tunggu sampai selesai."))
    with transaction.atomic():
        RegisterLoadJob.objects.filter(pk=job.pk).update(
            status=RunStatus.QUEUED, message="", started_at=None, finished_at=None
        )
        audit_record(
            actor=actor,
            action="register_upload.restarted",
            obj=job,
            pemda=job.pemda,
            changes={"file": job.file_name, "previous_status": job.status},
        )
        from lindung.verification.tasks import run_register_load_job

        transaction.on_commit(lambda: run_register_load_job.enqueue(job.pk))
    job.refresh_from_db()
    return job

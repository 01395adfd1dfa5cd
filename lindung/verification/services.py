"""Writes of verification: runs of a program against the newest register snapshot, and the
verifiers' review decisions and thresholds."""

from __future__ import annotations

import dataclasses
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lindung.accounts.models import Actor, Agency, Pemda, User
from lindung.audit.context import RequestContext, bound, new_request_id
from lindung.audit.services import audit_record
from lindung.common.bulk import references_read_here
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus, enqueue_on_commit, job_watch
from lindung.intake.models import Submission, SubmissionRow, SubmissionStatus
from lindung.intake.services import submissions_into_verification
from lindung.programs.models import Program
from lindung.register.models import RegisterSnapshot
from lindung.verification import matching, verify
from lindung.verification.findings import ORDER, Context, reasons_text, verdict_of
from lindung.verification.models import (
    DecisionKind,
    MatchKind,
    MatchPolicy,
    Outcome,
    ReviewDecision,
    RowVerdict,
    VerificationRun,
)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


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
        program=program, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
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
            enqueue_on_commit(run_verification_job, run.pk)
    return run


def run_execute(*, run_id: int) -> VerificationRun:
    """Do a queued run: every verdict is written together or not at all; a failed or killed
    run leaves no verdicts and can simply be requested again."""
    run = VerificationRun.objects.select_related("program__pemda", "snapshot").get(pk=run_id)
    if run.status == JobStatus.DONE:
        return run
    VerificationRun.objects.filter(pk=run.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), message=""
    )
    job_watch(run)  # this process beats for the run until it ends (a CLI run too)
    program = run.program
    pemda = program.pemda
    context = Context(
        program=program,
        snapshot=run.snapshot,
        settings=matching.MatchSettings.from_policy(run.policy),
        regency=pemda.region_id or "",
        pemda_name=pemda.name,
        allowed_occupations=frozenset(program.occupations.values_list("pk", flat=True)),
        agency_names=dict(Agency.objects.filter(pemda=pemda).values_list("pk", "name")),
    )
    began = time.perf_counter()
    try:
        # Every reference a verdict holds was read in the run's own transaction.
        with references_read_here(), transaction.atomic():
            counts, timings = verify.execute(run, context=context)
            seconds = time.perf_counter() - began
            VerificationRun.objects.filter(pk=run.pk).update(
                status=JobStatus.DONE,
                counts=counts.as_json(),
                rows=counts.rows,
                finished_at=timezone.now(),
                seconds=round(seconds, 3),
                message="",
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
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Verifikasi terhenti karena gangguan; jalankan ulang."),
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
    findings.sort(key=lambda f: ORDER[f["code"]])
    verdict.findings = findings
    verdict.outcome = findings[0]["code"]
    verdict.verdict = verdict_of(
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
    decision = _undoable_decision(verdict)
    add = _findings_after_undo(verdict)
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


def _undoable_decision(verdict: RowVerdict) -> ReviewDecision:
    """The decision on a verdict's register link, if it may still be taken back; else a
    ServiceError saying why not."""
    run = verdict.run
    newer = (
        VerificationRun.objects.filter(program_id=run.program_id, pk__gt=run.pk)
        .exclude(status=JobStatus.FAILED)
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
    return decision


def _findings_after_undo(verdict: RowVerdict) -> list[dict[str, str]]:
    """The findings the run gave a link still awaiting a verifier: probably in the register,
    and a decile above the program's limit."""
    run = verdict.run
    program = run.program
    source = run.snapshot.get_source_display() if run.snapshot else "DTKS/DTSEN"
    add = [
        {
            "code": Outcome.PROBABLE_IN_REGISTER,
            "message": _("Kemungkinan ada di %(source)s: %(why)s.")
            % {"source": source, "why": reasons_text(verdict.reasons)},
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
    return add


def policy_update(
    *, actor: Actor, pemda: Pemda, learn_weights: bool | None = None, **thresholds: float
) -> MatchPolicy:
    """Change a Pemda's matching thresholds (and whether evidence weights are learned from
    each run's data); they apply from the next run."""
    names = {"link_accept", "link_review", "duplicate_accept", "duplicate_review"}
    unknown = set(thresholds) - names
    if unknown:
        raise ServiceError(_("Ambang tidak dikenal: %s.") % ", ".join(sorted(unknown)))
    for name, value in thresholds.items():
        if not 0.0 < value <= 1.0:
            raise ServiceError(_("Ambang %s harus di antara 0 dan 1.") % name)
    names.add("learn_weights")
    with transaction.atomic():
        policy, _created = MatchPolicy.objects.select_for_update().get_or_create(pemda=pemda)
        before = {n: getattr(policy, n) for n in names}
        for name, value in thresholds.items():
            setattr(policy, name, value)
        if learn_weights is not None:
            policy.learn_weights = learn_weights
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


@task()
def run_verification_job(run_id: int) -> None:
    """The worker's entry for a verification run."""
    with bound(RequestContext(request_id=new_request_id(), channel="task")):
        run_execute(run_id=run_id)

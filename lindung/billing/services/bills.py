"""Generating a month's bills: per funding source one `Bill`, with a `BillLine` per
participant billed that month (`domain.billing`: from the month of the effective date through
the month the enrolment ends, within the program's months) at that month's contribution for
the source (payer from the source's kind, `relief_excluded`, the program's benefits; rates and
PP 50/2025 relief from the Pemda's rule book)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.billing.models import Bill, BillLine
from lindung.billing.selectors import source_code
from lindung.common.bulk import insert_frame, read_frame
from lindung.common.errors_domain import ServiceError
from lindung.domain.billing import month_of, next_month
from lindung.domain.contributions import Premium, monthly_premium
from lindung.domain.rulebook import RuleBook, RuleError, Sector
from lindung.enrollment.capacity import program_months
from lindung.programs.models import FundingKind, FundingSource, Program
from lindung.programs.selectors import PAYER_BY_FUNDING_KIND
from lindung.rules.selectors import rulebook_for
from lindung.workers.models import Enrolment, EnrolmentStatus, Worker

BILLERS = (Role.FINANCE, Role.ADMIN)
_BULK_REBUILD = 50_000  # lines from which the indexes are built after the load

_SCHEMA = {
    "enrolment_id": pl.Int64(),
    "funding_source_id": pl.Int64(),
    "agency_id": pl.Int64(),
    "kpj": pl.String(),
    "nik": pl.String(),
    "name": pl.String(),
}


@dataclass(frozen=True)
class SourceBill:
    code: str
    participants: int
    total: int


@dataclass(frozen=True)
class BillRun:
    """What a month's bills came to."""

    month: date
    participants: int
    total: int
    by_source: dict[str, SourceBill]
    bills: list[Bill] = field(default_factory=list)
    unfunded: int = 0  # participants no funding source pays for

    def to_json(self) -> dict[str, object]:
        return {
            "participants": self.participants,
            "total": self.total,
            "by_source": {
                code: {"participants": s.participants, "total": s.total}
                for code, s in self.by_source.items()
            },
        }


def _actor(actor: Actor, program: Program) -> User | None:
    if isinstance(actor, str):  # the command line without --user, the demo
        return None
    if actor.pemda_id != program.pemda_id or not actor.has_role(*BILLERS):
        raise ServiceError(_("Hanya Keuangan atau admin Pemda ini yang dapat membuat tagihan."))
    return actor


def _check_month(program: Program, month: date) -> date:
    first, last = program_months(program)
    month = month_of(month)
    if not first <= month <= last:
        raise ServiceError(
            _("Bulan %(month)s di luar bulan program (%(first)s–%(last)s).")
            % {"month": f"{month:%m-%Y}", "first": f"{first:%m-%Y}", "last": f"{last:%m-%Y}"}
        )
    return month


def source_premium(
    *, program: Program, source: FundingSource, month: date, rulebook: RuleBook | None = None
) -> Premium:
    """One participant's contribution for `month` paid by `source`."""
    try:
        return monthly_premium(
            income=program.declared_income,
            benefits=list(program.benefits),
            month=month,
            payer=PAYER_BY_FUNDING_KIND[FundingKind(source.kind)],
            sector=Sector.OTHER,
            payer_excluded=source.relief_excluded,
            rulebook=rulebook or rulebook_for(pemda_id=program.pemda_id),
        )
    except (RuleError, LookupError) as exc:
        raise ServiceError(str(exc)) from exc


def billed_frame(program: Program, month: date) -> pl.DataFrame:
    """The participants billed for `month` (`domain.billing.is_billed` in SQL): active or
    ended enrolments with an effective date in or before the month, not ended before it."""
    e, w = Enrolment._meta.db_table, Worker._meta.db_table
    sql = (
        f"SELECT e.id, e.funding_source_id, e.agency_id, e.kpj, w.nik, w.name "  # noqa: S608
        f"FROM {e} e JOIN {w} w ON w.id = e.worker_id "
        "WHERE e.program_id = %s AND e.status IN (%s, %s) AND e.started_on IS NOT NULL "
        "AND e.started_on < %s AND (e.ended_on IS NULL OR e.ended_on >= %s) ORDER BY e.id"
    )
    params = [
        program.pk,
        EnrolmentStatus.ACTIVE.value,
        EnrolmentStatus.ENDED.value,
        next_month(month),
        month,
    ]
    return read_frame(sql, params, _SCHEMA)


def _payer_of(frame: pl.DataFrame, sources: list[FundingSource]) -> pl.DataFrame:
    """Each participant's paying source: the enrolment's own, else the source named for the
    participant's agency, else the program's first source named for no one."""
    by_agency = {s.agency_id: s.pk for s in sources if s.agency_id is not None}
    default = next((s.pk for s in sources if s.agency_id is None), None)
    return frame.with_columns(
        pl.coalesce(
            pl.col("funding_source_id"),
            pl.col("agency_id").replace_strict(by_agency, default=None, return_dtype=pl.Int64),
            pl.lit(default, dtype=pl.Int64),
        ).alias("funding_source_id")
    )


def bill_generate(*, actor: Actor, program: Program, month: date) -> BillRun:
    """Generate (or regenerate: replace) the program's bills for `month`, one per funding
    source, in one transaction, audited `bill.generated` with the totals."""
    user = _actor(actor, program)
    month = _check_month(program, month)
    sources = list(FundingSource.objects.filter(program=program).order_by("pk"))
    if not sources:
        raise ServiceError(_("Program ini belum punya sumber dana."))
    rulebook = rulebook_for(pemda_id=program.pemda_id)
    premiums = {s.pk: source_premium(program=program, source=s, month=month, rulebook=rulebook)
                for s in sources}  # fmt: skip
    frame = _payer_of(billed_frame(program, month), sources)
    unfunded = frame.filter(pl.col("funding_source_id").is_null()).height
    frame = frame.filter(pl.col("funding_source_id").is_not_null())
    counts = dict(frame.group_by("funding_source_id").len().iter_rows())
    try:
        return _write(user, actor, program, month, sources, premiums, counts, frame, unfunded)
    except IntegrityError as exc:  # two first generations of the month at once
        raise ServiceError(
            _("Tagihan bulan ini sedang dibuat oleh pengguna lain. Muat ulang halaman.")
        ) from exc


def _write(
    user: User | None,
    actor: Actor,
    program: Program,
    month: date,
    sources: list[FundingSource],
    premiums: dict[int, Premium],
    counts: dict[int, int],
    frame: pl.DataFrame,
    unfunded: int,
) -> BillRun:
    with transaction.atomic():
        old = {b.funding_source_id: b for b in Bill.objects.select_for_update().filter(
            program=program, month=month)}  # fmt: skip
        BillLine.objects.filter(bill__program=program, bill__month=month).delete()
        bills: list[Bill] = []
        for source in sources:
            premium = premiums[source.pk]
            n = counts.get(source.pk, 0)
            values = {
                "participants": n,
                "total": n * premium.monthly_total,
                "parts": {k.lower(): n * v for k, v in premium.parts.items()},
                "legal_basis": premium.legal_basis[:255],
                "generated_by": user,
            }
            bill = old.get(source.pk)
            if bill is None:
                bill = Bill.objects.create(
                    pemda_id=program.pemda_id, program=program, funding_source=source,
                    month=month, **values,
                )  # fmt: skip
            else:
                for name, value in values.items():
                    setattr(bill, name, value)
                bill.version += 1
                bill.save()
            bills.append(bill)
        _insert_lines(frame, bills, premiums, program.pemda_id)
        run = BillRun(
            month=month,
            participants=sum(b.participants for b in bills),
            total=sum(b.total for b in bills),
            by_source={
                source_code(s): SourceBill(source_code(s), b.participants, b.total)
                for s, b in zip(sources, bills, strict=True)
            },
            bills=bills,
            unfunded=unfunded,
        )
        audit_record(
            actor=actor,
            action="bill.generated",
            obj=program,
            pemda=program.pemda,
            changes={"month": f"{month:%Y-%m}", **run.to_json(), "unfunded": unfunded},
        )
    return run


def _insert_lines(
    frame: pl.DataFrame, bills: list[Bill], premiums: dict[int, Premium], pemda_id: int
) -> None:
    rates = pl.DataFrame(
        {
            "funding_source_id": [b.funding_source_id for b in bills],
            "bill_id": [b.pk for b in bills],
            **{
                part: [premiums[b.funding_source_id].parts.get(part.upper(), 0) for b in bills]
                for part in ("jkk", "jkm", "jht")
            },
        },
        schema={"funding_source_id": pl.Int64(), "bill_id": pl.Int64(), "jkk": pl.Int64(),
                "jkm": pl.Int64(), "jht": pl.Int64()},
    )  # fmt: skip
    lines = frame.join(rates, on="funding_source_id", how="inner").select(
        "bill_id",
        "enrolment_id",
        "nik",
        "name",
        pl.col("kpj").fill_null(""),
        "agency_id",
        "jkk",
        "jkm",
        "jht",
        (pl.col("jkk") + pl.col("jkm") + pl.col("jht")).alias("amount"),
    )
    insert_frame(
        BillLine,
        lines,
        constants={"pemda_id": pemda_id},
        rebuild_indexes=lines.height >= _BULK_REBUILD,
    )

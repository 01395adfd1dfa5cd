"""Benefits paid per year — the figure leaders quote: how many claims BPJS Ketenagakerjaan
paid and how many rupiah, by claim type, counted in the year of the payment (`paid_on`) of
claims paid or handed over. Aggregates only (no names), so leaders read them too; as xlsx and
PDF on the program's letterhead, every download audited (`claims.report_downloaded`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import CLAIM_HANDLERS, scope_to_pemda
from lindung.accounts.models import Actor, Role, User
from lindung.audit.services import audit_record
from lindung.claims.models import Claim, ClaimKind, ClaimStatus
from lindung.common.errors_domain import ServiceError
from lindung.common.tabular.values import formula_safe
from lindung.enrollment.approval import Document
from lindung.programs.selectors import program_current

REPORT_READERS = (*CLAIM_HANDLERS, Role.APPROVER, Role.LEADER, Role.FINANCE)
REPORT_KINDS = ("xlsx", "pdf")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAID = (ClaimStatus.PAID, ClaimStatus.HANDED_OVER)


@dataclass
class KindRow:
    kind: str
    label: str
    count: int
    rupiah: int


@dataclass
class YearRow:
    year: int
    kinds: list[KindRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(k.count for k in self.kinds)

    @property
    def rupiah(self) -> int:
        return sum(k.rupiah for k in self.kinds)


def benefits_paid(*, user: User) -> list[YearRow]:
    """Claims paid per year (newest first) and type: count and rupiah paid by BPJS."""
    rows = (
        scope_to_pemda(Claim.objects.filter(status__in=PAID, paid_on__isnull=False), user)
        .annotate(year=ExtractYear("paid_on"))
        .values("year", "kind")
        .annotate(n=Count("id"), rp=Sum("paid_amount"))
        .order_by("-year", "kind")
    )
    labels = dict(ClaimKind.choices)
    years: dict[int, YearRow] = {}
    for row in rows:
        year = years.setdefault(row["year"], YearRow(row["year"]))
        year.kinds.append(
            KindRow(
                row["kind"], str(labels.get(row["kind"], row["kind"])), row["n"], row["rp"] or 0
            )
        )
    return list(years.values())


@dataclass(frozen=True)
class PlaceRow:
    year: int
    agency: str
    village: str
    count: int
    rupiah: int


def benefits_by_place(*, user: User) -> list[PlaceRow]:
    """Claims paid per year, proposing agency and the participant's village."""
    rows = (
        scope_to_pemda(Claim.objects.filter(status__in=PAID, paid_on__isnull=False), user)
        .annotate(year=ExtractYear("paid_on"))
        .values("year", "agency__name", "enrolment__village__name")
        .annotate(n=Count("id"), rp=Sum("paid_amount"))
        .order_by("-year", "agency__name", "enrolment__village__name")
    )
    return [
        PlaceRow(r["year"], r["agency__name"] or "—", r["enrolment__village__name"] or "—",
                 r["n"], r["rp"] or 0)
        for r in rows
    ]  # fmt: skip


HEADER = ["Tahun", "Kode jenis", "Jenis klaim", "Jumlah klaim", "Manfaat dibayar (Rp)"]
PLACE_HEADER = ["Tahun", "Instansi", "Desa/kelurahan", "Jumlah klaim", "Manfaat dibayar (Rp)"]


def benefits_xlsx(years: list[YearRow], places: list[PlaceRow] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has its sheet
    ws.title = "Manfaat per tahun"
    ws.append(HEADER)
    for year in years:
        for k in year.kinds:
            ws.append([year.year, formula_safe(k.kind), formula_safe(k.label), k.count, k.rupiah])
        ws.append([year.year, "", "Jumlah", year.count, year.rupiah])
    by_place = wb.create_sheet("Per instansi dan desa")
    by_place.append(PLACE_HEADER)
    for p in places or []:
        by_place.append(
            [p.year, formula_safe(p.agency), formula_safe(p.village), p.count, p.rupiah]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def benefits_pdf(years: list[YearRow], *, user: User) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded on use

    program = program_current(user=user)
    letterhead = program.letterhead if program is not None else ""
    html = render_to_string(
        "claims/benefits_pdf.html",
        {
            "years": years,
            "program": program,
            "pemda": user.pemda,
            "letterhead": [r.strip() for r in letterhead.splitlines() if r.strip()],
            "made_on": timezone.localdate(),
        },
    )
    return bytes(HTML(string=html).write_pdf() or b"")


def benefits_report_download(*, actor: Actor, kind: str) -> Document:
    """The benefits-paid report of the actor's Pemda as "xlsx" or "pdf", made now; audited."""
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or actor.pemda_id is None
        or not actor.has_role(*REPORT_READERS)
    ):
        raise ServiceError(_("Anda tidak berhak mengunduh laporan ini."))
    if kind not in REPORT_KINDS:
        raise ServiceError(_("Format laporan harus xlsx atau pdf."))
    years = benefits_paid(user=actor)
    stem = f"manfaat-klaim-dibayar-{timezone.localdate():%Y-%m-%d}"
    if kind == "pdf":
        document = Document(benefits_pdf(years, user=actor), f"{stem}.pdf", "application/pdf")
    else:
        places = benefits_by_place(user=actor)
        document = Document(benefits_xlsx(years, places), f"{stem}.xlsx", XLSX)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="claims.report_downloaded",
            pemda=actor.pemda,
            changes={
                "kind": kind,
                "years": [y.year for y in years],
                "bytes": len(document.content),
            },
        )
    return document

"""The reports leaders and auditors ask for, as xlsx and as PDF on the program's letterhead:
participants per agency and village, the coverage recap per district, budget realisation
per funding source and benefits paid. Aggregates only (no NIK, no name); every download is
audited (`monitoring.report_downloaded` with its kind and format)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, IntegerField
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Actor, Agency, User
from lindung.audit.services import audit_record
from lindung.billing.budget import budget_of
from lindung.claims.reports import benefits_paid
from lindung.common.errors_domain import ServiceError
from lindung.common.pdf import letterhead_lines, pdf_from_template
from lindung.enrollment.approval import Document
from lindung.monitoring.coverage import active_on, coverage_of, placed
from lindung.monitoring.dashboard import MONITORING_READERS
from lindung.monitoring.exports import Table, _cell
from lindung.monitoring.models import CoverageTarget
from lindung.programs.models import Program
from lindung.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "pdf")
UNKNOWN = "—"


def _percent(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"))


def _shown(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def participants_table(program: Program, as_of: dt.date) -> Table:
    """Active participants on `as_of` per agency (the proposing one, else the worker's) and
    village (the enrolment's, else the worker's), with a total row."""
    grouped = (
        placed(active_on(program, as_of))
        .annotate(by=Coalesce("agency_id", "worker__agency_id", output_field=IntegerField()))
        .values("by", "place")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [(row["by"], row["place"], row["n"]) for row in grouped]
    agencies = dict(
        Agency.objects.filter(pk__in={c[0] for c in counts if c[0]}).values_list("pk", "name")
    )
    villages = dict(
        Region.objects.filter(code__in={c[1] for c in counts if c[1]}).values_list("code", "name")
    )
    rows = sorted(
        (
            [agencies.get(by, UNKNOWN), place or "", villages.get(place, UNKNOWN), n]
            for by, place, n in counts
        ),
        key=lambda r: (str(r[0]), str(r[1])),
    )
    rows.append([_("Jumlah"), "", "", sum(c[2] for c in counts)])
    return Table(
        _("Peserta aktif per instansi dan desa"),
        [_("Instansi"), _("Kode desa"), _("Desa/Kelurahan"), _("Peserta aktif")],
        rows,
    )


def coverage_table(program: Program, as_of: dt.date) -> Table:
    """Every district: active participants, working population, rate and the Pemda's target
    (percent), with the regency's total row."""
    coverage = coverage_of(program, as_of)
    target = CoverageTarget.objects.filter(pemda_id=program.pemda_id, year=program.year).first()
    goal = _shown(target.target_rate if target else None)
    rows: list[list[object]] = [
        [r.code, r.name, r.active, r.workforce, _shown(r.rate), goal] for r in coverage.regions
    ]
    rows.append(
        [
            "",
            _("Jumlah"),
            coverage.active,
            coverage.workforce,
            _shown(_percent(coverage.active, coverage.workforce)),
            goal,
        ]
    )
    return Table(
        _("Rekap cakupan per kecamatan"),
        [
            _("Kode"),
            _("Kecamatan"),
            _("Peserta aktif"),
            _("Penduduk bekerja"),
            _("Cakupan (%)"),
            _("Target (%)"),
        ],
        rows,
    )


def budget_table(program: Program, as_of: dt.date) -> Table:
    """Budget realisation per funding source: amount, committed, billed, paid, left and the
    share paid (percent), with a total row."""
    budget = budget_of(program, as_of)
    rows: list[list[object]] = [
        [s.code, s.amount, s.committed, s.billed, s.paid, s.remaining,
         _shown(_percent(s.paid, s.amount))]
        for s in budget.sources
    ]  # fmt: skip
    t = budget.totals
    rows.append(
        [_("Jumlah"), t["amount"], t["committed"], t["billed"], t["paid"], t["remaining"],
         _shown(_percent(t["paid"], t["amount"]))]
    )  # fmt: skip
    return Table(
        _("Realisasi anggaran per sumber dana"),
        [
            _("Sumber dana"),
            _("Pagu (Rp)"),
            _("Terikat (Rp)"),
            _("Ditagih (Rp)"),
            _("Dibayar (Rp)"),
            _("Sisa (Rp)"),
            _("Serapan (%)"),
        ],
        rows,
    )


def benefits_table(user: User) -> Table:
    """Claims paid per year and type with the rupiah paid (claims' own report, as a table)."""
    rows: list[list[object]] = []
    for year in benefits_paid(user=user):
        rows.extend([year.year, k.label, k.count, k.rupiah] for k in year.kinds)
        rows.append([year.year, _("Jumlah"), year.count, year.rupiah])
    return Table(
        _("Manfaat klaim dibayar per tahun"),
        [_("Tahun"), _("Jenis klaim"), _("Jumlah klaim"), _("Manfaat dibayar (Rp)")],
        rows,
    )


# Report kind (its URL name) → (file stem, how its table is made).
REPORTS: dict[str, tuple[str, Callable[[User, Program, dt.date], Table]]] = {
    "peserta": ("peserta-per-instansi-desa", lambda u, p, d: participants_table(p, d)),
    "cakupan": ("rekap-cakupan", lambda u, p, d: coverage_table(p, d)),
    "anggaran": ("realisasi-anggaran", lambda u, p, d: budget_table(p, d)),
    "manfaat": ("manfaat-dibayar", lambda u, p, d: benefits_table(u)),
}


def report_xlsx(table: Table, *, program: Program, as_of: dt.date) -> bytes:
    """The table on one sheet under a title line and its date."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.title[:31].replace("/", "-"))
    sheet.append([_cell(table.title)])
    sheet.append([_cell(f"{program.name} · {_('per tanggal')} {as_of:%d-%m-%Y}")])
    sheet.append([_cell(h) for h in table.headers])
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(table: Table, *, program: Program, as_of: dt.date) -> bytes:
    """The table as a PDF on the program's letterhead, signed by its signatory."""
    numeric = [
        all(isinstance(r[i], int) or r[i] is None for r in table.rows if r[i] != "")
        for i in range(len(table.headers))
    ]
    return pdf_from_template(
        "monitoring/report_pdf.html",
        {
            "table": table,
            "numeric": numeric,
            "program": program,
            "pemda": program.pemda,
            "letterhead": letterhead_lines(program.letterhead),
            "as_of": as_of,
            "made_on": timezone.localdate(),
        },
    )


def monitoring_report_download(
    *, actor: Actor, program: Program, kind: str, fmt: str, as_of: dt.date
) -> Document:
    """Report `kind` (see `REPORTS`) of `program` on `as_of` as "xlsx" or "pdf"; audited."""
    if (
        not isinstance(actor, User)
        or not actor.is_active
        or actor.pemda_id is None
        or not actor.has_role(*MONITORING_READERS)
        or program.pemda_id != actor.pemda_id
    ):
        raise ServiceError(_("Anda tidak berhak mengunduh laporan ini."))
    if kind not in REPORTS or fmt not in FORMATS:
        raise ServiceError(_("Laporan atau formatnya tidak dikenal."))
    stem, make = REPORTS[kind]
    table = make(actor, program, as_of)
    name = f"{stem}-{program.code}-{as_of:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        document = Document(
            report_pdf(table, program=program, as_of=as_of), name, "application/pdf"
        )
    else:
        document = Document(report_xlsx(table, program=program, as_of=as_of), name, XLSX)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="monitoring.report_downloaded",
            pemda=actor.pemda,
            obj=program,
            changes={
                "kind": kind,
                "format": fmt,
                "as_of": as_of.isoformat(),
                "rows": len(table.rows),
            },
        )
    return document

"""The documents of an approved allocation: the berita acara (minutes fixing the
participants, a PDF on the program's letterhead, signed by the Kepala Dinas) and the approved
list as a spreadsheet. Built here; handed out (and audited) by `approval.allocation_document`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone

from lindung.common.pdf import letterhead_lines, pdf_from_html
from lindung.common.tabular.values import formula_safe
from lindung.domain.nik import mask_nik
from lindung.enrollment.approval_fit import premiums_by_month
from lindung.enrollment.capacity import capacity_of
from lindung.enrollment.models import Allocation, AllocationLine

# Up to this many people are listed in the berita acara itself; above it, a summary per
# agency, with the full list in the spreadsheet.
LIST_IN_PDF = 200

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ONES = (
    "", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
)  # fmt: skip


def in_words(n: int) -> str:
    """An integer in Indonesian words (terbilang): 2026 → "dua ribu dua puluh enam"."""
    if n < 12:
        return _ONES[n] or "nol"
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        return f"{_ONES[n // 10]} puluh {_ONES[n % 10]}".strip()
    if n < 200:
        return f"seratus {in_words(n - 100) if n > 100 else ''}".strip()
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} ratus {in_words(rest) if rest else ''}".strip()
    if n < 2000:
        return f"seribu {in_words(n - 1000) if n > 1000 else ''}".strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")):
        if n >= size:
            rest = n % size
            return f"{in_words(n // size)} {word} {in_words(rest) if rest else ''}".strip()
    raise AssertionError(n)  # pragma: no cover


def date_in_words(day: dt.date) -> str:
    """Written as minutes say it: "Senin tanggal tujuh bulan Juli tahun dua ribu dua puluh lima"."""
    month = formats.date_format(day, "F")
    return (
        f"{DAYS[day.weekday()]} tanggal {in_words(day.day)} bulan {month} "
        f"tahun {in_words(day.year)}"
    )


def approved_lines(allocation: Allocation) -> QuerySet[AllocationLine]:
    return (
        allocation.lines.filter(enrolment__isnull=False)
        .select_related("agency", "village", "occupation", "funding_source")
        .order_by("rank")
    )


@dataclass(frozen=True)
class SourceTotal:
    name: str
    bpjs_code: str
    people: int
    amount: int


def document_number(allocation: Allocation) -> str:
    year = (allocation.decided_at or allocation.proposed_at or timezone.now()).year
    return f"{allocation.pk:03d}/BA-PESERTA/{allocation.program.code.upper()}/{year}"


def berita_acara_context(allocation: Allocation) -> dict[str, Any]:
    program = allocation.program
    lines = list(approved_lines(allocation))
    premiums = premiums_by_month(capacity_of(program))
    first = allocation.start_month.replace(day=1)
    per_source: dict[int, list[AllocationLine]] = defaultdict(list)
    for line in lines:
        per_source[line.funding_source_id or 0].append(line)
    sources = [
        SourceTotal(
            name=group[0].funding_source.name if group[0].funding_source else "—",
            bpjs_code=group[0].funding_source.bpjs_code if group[0].funding_source else "",
            people=len(group),
            amount=len(group) * sum(p for m, p in premiums.get(sid, {}).items() if m >= first),
        )
        for sid, group in sorted(per_source.items(), key=lambda kv: -len(kv[1]))
    ]
    decided = timezone.localtime(allocation.decided_at).date() if allocation.decided_at else None
    last_month = dt.date(
        first.year + (first.month - 1 + allocation.months - 1) // 12,
        (first.month - 1 + allocation.months - 1) % 12 + 1,
        1,
    )
    agencies = Counter(line.agency.name for line in lines)
    return {
        "allocation": allocation,
        "program": program,
        "letterhead": letterhead_lines(program.letterhead),
        "number": document_number(allocation),
        "decided_on": decided,
        "decided_in_words": date_in_words(decided) if decided else "",
        "people": len(lines),
        "people_in_words": in_words(len(lines)),
        "first_month": first,
        "last_month": last_month,
        "months": allocation.months,
        "monthly_premium": allocation.monthly_premium,
        "cost": sum(s.amount for s in sources),
        "sources": sources,
        "listed": [
            {
                "no": i,
                "name": line.name,
                "nik": mask_nik(line.nik),
                "agency": line.agency.name,
                "village": line.village.name if line.village else "—",
            }
            for i, line in enumerate(lines, start=1)
        ]
        if len(lines) <= LIST_IN_PDF
        else [],
        "per_agency": sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0])),
        "long_list": len(lines) > LIST_IN_PDF,
    }


def berita_acara_html(allocation: Allocation) -> str:
    return render_to_string("enrollment/berita_acara.html", berita_acara_context(allocation))


def berita_acara_pdf(allocation: Allocation) -> bytes:
    return pdf_from_html(berita_acara_html(allocation))


APPROVED_COLUMNS = (
    "No", "NIK", "Nama", "Tanggal lahir", "Instansi pengusul", "Kode desa/kelurahan",
    "Desa/kelurahan", "Jenis pekerjaan", "Sumber dana", "Kode dana BPJS", "Bulan mulai",
    "Jumlah bulan", "Iuran per bulan (Rp)",
)  # fmt: skip


def approved_list_xlsx(allocation: Allocation, *, mask_ids: bool = False) -> bytes:
    """Everyone the allocation enrolled, NIK as text (masked with `mask_ids`, for a reader
    who does not act on them), every text cell neutralised against spreadsheet formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Peserta disetujui")

    def text(value: str, *, as_text: bool = False) -> Any:
        cell = WriteOnlyCell(ws, value=formula_safe(value))
        if as_text:
            cell.number_format = "@"
        return cell

    ws.append([text(h) for h in APPROVED_COLUMNS])
    start = allocation.start_month.strftime("%m-%Y")
    for i, line in enumerate(approved_lines(allocation).iterator(chunk_size=2000), start=1):
        source = line.funding_source
        ws.append(
            [
                i,
                text(mask_nik(line.nik) if mask_ids else line.nik, as_text=True),
                text(line.name),
                line.birth_date.strftime("%d-%m-%Y") if line.birth_date else "",
                text(line.agency.name),
                text(line.village_id or "", as_text=True),
                text(line.village.name if line.village else ""),
                text(line.occupation.name if line.occupation else ""),
                text(source.name if source else ""),
                text(source.bpjs_code if source else ""),
                start,
                allocation.months,
                allocation.monthly_premium,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

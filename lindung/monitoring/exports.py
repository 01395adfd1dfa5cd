"""The data behind each dashboard chart as a table (for the page, csv and xlsx), and the
charts' data for the page's `json_script`. Aggregates only: no personal data, so the
downloads are not audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lindung.common.tabular.values import formula_safe
from lindung.monitoring.dashboard import Dashboard, Slice

# Colours of the ranked bar chart: at or above the target, at or above the province's
# rate (below the target), below both, no workforce figure.
GOOD, FAIR, LOW, NONE = "#1f6f43", "#c58a00", "#b3261e", "#9aa5b5"


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def _slices(title: str, label: str, slices: list[Slice]) -> Table:
    return Table(title, [label, _("Peserta aktif")], [[s.label, s.count] for s in slices])


def tables(dashboard: Dashboard) -> dict[str, Table]:
    """Every chart's table by its download name."""
    region = _("Desa/Kelurahan") if dashboard.coverage.district else _("Kecamatan")
    return {
        "cakupan": Table(
            _("Cakupan per wilayah"),
            [_("Kode"), region, _("Peserta aktif"), _("Penduduk bekerja"), _("Cakupan (%)")],
            [[r.code, r.name, r.active, r.workforce, _percent(r.rate)] for r in dashboard.ranked],
        ),
        "pekerjaan": _slices(_("Menurut jenis pekerjaan"), _("Pekerjaan"), dashboard.occupation),
        "instansi": _slices(_("Menurut instansi pengusul"), _("Instansi"), dashboard.agency),
        "sumber-dana": _slices(_("Menurut sumber dana"), _("Sumber dana"), dashboard.source),
        "jenis-kelamin": _slices(_("Menurut jenis kelamin"), _("Jenis kelamin"), dashboard.sex),
        "usia": _slices(_("Menurut kelompok usia"), _("Usia"), dashboard.age),
        "tahun": Table(
            _("Dari tahun ke tahun"),
            [_("Tahun"), _("Program"), _("Per tanggal"), _("Peserta aktif"), _("Kenaikan (%)")],
            [
                [y.year, y.program, y.on.strftime("%d-%m-%Y"), y.active, _percent(y.growth)]
                for y in dashboard.years
            ],
        ),
        "klaim": Table(
            _("Klaim dan manfaat dibayar"),
            [_("Jenis klaim"), _("Jumlah klaim"), _("Manfaat dibayar (Rp)")],
            [[c.label, c.count, c.paid] for c in dashboard.claims],
        ),
    }


def _colour(rate: Decimal | None, target: Decimal | None, province: Decimal | None) -> str:
    if rate is None:
        return NONE
    if target is not None and rate >= target:
        return GOOD
    if province is not None and rate >= province:
        return FAIR if target is not None else GOOD
    if target is None and province is None:
        return GOOD
    return LOW


def charts(dashboard: Dashboard) -> dict[str, object]:
    """The charts' data for the page script (the same figures as the tables)."""
    target = dashboard.target.target_rate if dashboard.target else None
    province = dashboard.target.province_rate if dashboard.target else None
    ranked = dashboard.ranked
    return {
        "coverage": {
            "labels": [r.name for r in ranked],
            "rates": [float(r.rate) if r.rate is not None else None for r in ranked],
            "colours": [_colour(r.rate, target, province) for r in ranked],
            "target": float(target) if target is not None else None,
            "province": float(province) if province is not None else None,
        },
        "slices": {
            name: {"labels": [s.label for s in slices], "counts": [s.count for s in slices]}
            for name, slices in (
                ("pekerjaan", dashboard.occupation),
                ("instansi", dashboard.agency),
                ("sumber-dana", dashboard.source),
                ("jenis-kelamin", dashboard.sex),
                ("usia", dashboard.age),
            )
        },
        "years": {
            "labels": [str(y.year) for y in dashboard.years],
            "counts": [y.active for y in dashboard.years],
        },
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return formula_safe(value) if isinstance(value, str) else value


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_cell(h) for h in table.headers])
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.title[:31].replace("/", "-"))
    sheet.append([_cell(h) for h in table.headers])
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

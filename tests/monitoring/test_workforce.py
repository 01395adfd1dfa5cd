"""Loading the statistics offices' workforce tables (BPS, Sakernas, Dukcapil)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.monitoring.models import CoverageTarget, Workforce
from lindung.monitoring.workforce import coverage_target_set, read_count, workforce_load

pytestmark = pytest.mark.django_db

BPS_TABLE = [
    ["Tabel 3.2.1 Penduduk Berumur 15 Tahun ke Atas yang Bekerja menurut Kecamatan", None, None],
    ["Kabupaten Tulungagung, 2025", None, None],
    [None, None, None],
    ["Kecamatan", "Penduduk Bekerja", "Pekerja Bukan Penerima Upah"],
    ["010. Besuki", "21.340", "9.870"],
    ["KEC. BANDUNG", 25031, 11020],
    ["kecamatan pakel", "28.118", "-"],
    ["Tulungagung", "51.204", "12.900"],
    ["Jumlah", "125.693", "33.790"],
    ["Sumber: Sakernas Agustus 2025", None, None],
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            [["" if v is None else v for v in row] for row in rows]
        )
    return path


def load(path: Path, pemda, admin, *, year: int = 2025, source: str = "BPS Tulungagung"):
    return workforce_load(
        actor=admin, pemda=pemda, path=path, filename=path.name, year=year, source=source
    )


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("628.952", 628952),
        ("628 952", 628952),
        ("628,952", 628952),
        ("1.234,0", 1234),
        (628952, 628952),
        (628952.0, 628952),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_counts_as_statistics_tables_write_them(cell, count):
    assert read_count(cell) == count


def test_it_loads_a_bps_xlsx_under_its_title_rows_and_ignores_the_total(tmp_path, pemda, admin):
    result = load(write_xlsx(tmp_path / "bps.xlsx", BPS_TABLE), pemda, admin)

    assert (result.rows, result.districts, result.villages) == (4, 4, 0)
    assert result.ignored == 1
    assert result.problems == []
    stored = dict(Workforce.objects.filter(pemda=pemda, year=2025).values_list("region", "working"))
    assert stored == {
        "35.04.15": 21340,
        "35.04.17": 25031,
        "35.04.18": 28118,
        "35.04.01": 51204,
    }
    pakel = Workforce.objects.get(region="35.04.18")
    assert pakel.bpu is None
    assert pakel.source == "BPS Tulungagung"
    assert pakel.loaded_by == admin


def test_it_loads_a_dukcapil_csv_of_villages_by_code(tmp_path, pemda, admin):
    rows = [
        ["Data Kependudukan Semester II 2025", None, None, None],
        ["Sumber: Dinas Dukcapil", None, None, None],
        ["Kode Wilayah", "Kecamatan", "Desa/Kelurahan", "Jumlah Penduduk Bekerja"],
        ["35.04.01.1001", "Tulungagung", "Kedungsoko", "3.120"],
        ["", "Tulungagung", "Kel. Tertek", "2.045"],
        ["", "Boyolangu", "", "40.500"],
        ["", "TOTAL", "", "45.665"],
    ]
    result = load(write_csv(tmp_path / "dukcapil.csv", rows), pemda, admin)

    assert (result.rows, result.districts, result.villages) == (3, 1, 2)
    stored = dict(Workforce.objects.filter(pemda=pemda).values_list("region", "working"))
    assert stored == {"35.04.01.1001": 3120, "35.04.01.1002": 2045, "35.04.02": 40500}


def test_it_reports_an_unknown_district_and_loads_the_rest(tmp_path, pemda, admin):
    rows = [["Kecamatan", "Bekerja"], ["Besuki", "100"], ["Kec. Atlantis", "200"]]
    result = load(write_csv(tmp_path / "bps.csv", rows), pemda, admin)

    assert result.rows == 1
    assert [(p.line, p.text) for p in result.problems] == [(3, "Kec. Atlantis")]
    assert "tidak dikenal" in result.problems[0].message


def test_a_second_load_of_the_same_year_replaces_it_audited(tmp_path, pemda, admin):
    load(write_xlsx(tmp_path / "bps.xlsx", BPS_TABLE), pemda, admin)
    load(write_xlsx(tmp_path / "bps.xlsx", BPS_TABLE), pemda, admin, year=2024)
    rows = [["Kecamatan", "Bekerja"], ["Besuki", "22.000"]]

    result = load(write_csv(tmp_path / "revised.csv", rows), pemda, admin, source="Sakernas")

    assert result.replaced == 4
    assert list(Workforce.objects.filter(year=2025).values_list("region", "working")) == [
        ("35.04.15", 22000)
    ]
    assert Workforce.objects.filter(year=2024).count() == 4
    event = AuditEvent.objects.filter(action="workforce.loaded").latest("pk")
    assert event.changes["replaced"] == 4
    assert event.changes["source"] == "Sakernas"


def test_it_refuses_a_table_without_a_workforce_column(tmp_path, pemda, admin):
    rows = [["Kecamatan", "Luas (km2)"], ["Besuki", "82"]]
    with pytest.raises(ServiceError, match="Penduduk Bekerja"):
        load(write_csv(tmp_path / "luas.csv", rows), pemda, admin)
    assert not Workforce.objects.exists()


def test_it_refuses_a_user_of_another_pemda(tmp_path, pemda, foreign_admin):
    rows = [["Kecamatan", "Bekerja"], ["Besuki", "100"]]
    with pytest.raises(ServiceError):
        load(write_csv(tmp_path / "bps.csv", rows), pemda, foreign_admin)


def test_the_command_prints_rows_districts_and_villages(tmp_path, pemda):
    path = write_xlsx(tmp_path / "bps.xlsx", BPS_TABLE)
    out = StringIO()

    call_command(
        "workforce", "load", str(path), "--year", "2025", "--source", "BPS", "--json", stdout=out
    )

    payload = json.loads(out.getvalue())
    assert (payload["rows"], payload["districts"], payload["villages"]) == (4, 4, 0)


def test_the_target_and_the_province_rate_are_set_audited(pemda):
    out = StringIO()
    call_command(
        "workforce", "target", "--year", "2025", "--target", "45", "--province", "33,4",
        "--note", "RPJMD 2025-2029", stdout=out,
    )  # fmt: skip

    target = CoverageTarget.objects.get(pemda=pemda, year=2025)
    assert (target.target_rate, target.province_rate) == (Decimal("45"), Decimal("33.4"))
    assert AuditEvent.objects.filter(action="coverage_target.set").count() == 1


def test_a_target_over_a_hundred_percent_is_refused(pemda, admin):
    with pytest.raises(ServiceError, match="antara 0 dan 100"):
        coverage_target_set(
            actor=admin, pemda=pemda, year=2025, target_rate=Decimal(120), province_rate=None
        )

"""Region codes in register extracts: BPS codes (placed by their kecamatan and desa names,
never guessed), Kemendagri codes dotted or as digits, and codes a spreadsheet turned into
numbers. The Pemda is Tulungagung (Kemendagri 35.04); Kecamatan Besuki is 35.04.15 and its
Desa Siyotobagus 35.04.15.2009 (lindung/data/wilayah)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from lindung.common.errors_domain import ServiceError
from lindung.register.models import RegionCodeStyle, RegisterRecord, RegisterSnapshot
from lindung.register.services import snapshot_load

AS_OF = dt.date(2025, 6, 30)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _load(pemda, path: Path, codes: str) -> RegisterSnapshot:
    return snapshot_load(
        actor="cli",
        pemda=pemda,
        path=path,
        filename=path.name,
        source="dtks",
        as_of=AS_OF,
        region_code_style=codes,
    )


def _by_id(snapshot: RegisterSnapshot) -> dict[str, RegisterRecord]:
    return {r.register_id: r for r in RegisterRecord.objects.filter(snapshot=snapshot)}


def _codes(record: RegisterRecord) -> list[tuple[str, str]]:
    return [(i["field"], i["code"]) for i in record.issues]


def test_bps_codes_are_placed_by_their_names(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;KDKEC;KDDESA;KECAMATAN;DESA\n"
        "B1;3504152705060001;SATU;3504150;3504150009;BESUKI;SIYOTOBAGUS\n"
        "B2;3504152705060002;DUA;3504150.0;3504150009.0;Besuki;Desa Siyotobagus\n"
        "B3;3504152705060003;TIGA;3504150;;BESUKI;\n"
        "B4;3504152705060004;EMPAT;3504150;3504150099;BESUKI;ENTAHBERANTAH\n"
        "B5;3504152705060005;LIMA;3503010;3503010001;BESUKI;SIYOTOBAGUS\n"
        "B6;3504152705060006;ENAM;35041;350415000;BESUKI;SIYOTOBAGUS\n"
        "B7;3504152705060007;TUJUH;;;BESUKI;SIYOTOBAGUS\n",
    )
    snapshot = _load(pemda, path, "bps")
    assert snapshot.region_code_style == RegionCodeStyle.BPS
    got = _by_id(snapshot)
    assert {k: (r.district_id, r.village_id) for k, r in got.items()} == {
        "B1": ("35.04.15", "35.04.15.2009"),
        "B2": ("35.04.15", "35.04.15.2009"),  # numbers from a spreadsheet, "Desa" prefix
        "B3": ("35.04.15", None),  # district code only: the district is placed
        "B4": ("35.04.15", None),  # the district is known, the village name is not
        "B5": (None, None),  # 35.03 is Trenggalek: not placed by a name that happens to fit
        "B6": (None, None),  # neither 7 nor 10 digits
        "B7": ("35.04.15", "35.04.15.2009"),  # no code: the names alone, as --codes names
    }
    for key in ("B1", "B2", "B3", "B7"):
        assert got[key].issues == []
    assert _codes(got["B4"]) == [
        ("village", "village_unknown"),
        ("village", "region_bps_unmapped"),
    ]
    assert got["B5"].issues == [
        {
            "field": "village",
            "code": "region_bps_unmapped",
            "message": "Kode BPS '3503010001' bukan wilayah kabupaten ini; wilayah tidak "
            "dipetakan.",
            "severity": "warning",
        }
    ]
    assert _codes(got["B6"]) == [("village", "region_bps_unmapped")]
    assert "bukan kode desa (10 angka)" in got["B6"].issues[0]["message"]
    # The code stays in the row as it came.
    assert got["B2"].raw[3:5] == ["3504150.0", "3504150009.0"]


def test_bps_codes_without_names_stay_unmapped(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;KODE KECAMATAN BPS;KODE DESA BPS\n"
        "U1;3504152705060001;SATU;3504150;3504150009\n"
        "U2;3504152705060002;DUA;3504150;\n"
        "U3;3504152705060003;TIGA;;\n",
    )
    got = _by_id(_load(pemda, path, "bps"))
    assert {k: (r.district_id, r.village_id) for k, r in got.items()} == {
        "U1": (None, None),
        "U2": (None, None),
        "U3": (None, None),
    }
    assert got["U1"].issues == [
        {
            "field": "village",
            "code": "region_bps_unmapped",
            "message": "Kode BPS '3504150009' tidak dapat dipetakan ke kode Kemendagri: baris "
            "ini tidak memuat nama kecamatan/desa.",
            "severity": "warning",
        }
    ]
    assert _codes(got["U2"]) == [("district", "region_bps_unmapped")]
    assert got["U3"].issues == []  # nothing given, nothing to map
    assert got["U1"].raw == ["U1", "3504152705060001", "SATU", "3504150", "3504150009"]


def test_bps_codes_as_number_cells_in_xlsx(pemda, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID DTKS", "NIK", "NAMA", "KDKEC", "KDDESA", "NMKEC", "NMKEL"])
    ws.append(["X1", "3504152705060001", "SATU", 3504150, 3504150009, "BESUKI", "BESUKI"])
    ws.append(["X2", "3504152705060002", "DUA", 3504150.0, 3504150009.0, None, None])
    path = tmp_path / "bps.xlsx"
    wb.save(path)
    got = _by_id(_load(pemda, path, "bps"))
    # Desa Besuki of Kecamatan Besuki, not another village of the same name.
    assert (got["X1"].district_id, got["X1"].village_id) == ("35.04.15", "35.04.15.2003")
    assert got["X1"].issues == []
    assert (got["X2"].district_id, got["X2"].village_id) == (None, None)
    assert _codes(got["X2"]) == [("village", "region_bps_unmapped")]
    assert got["X2"].raw[3:5] == ["3504150", "3504150009"]


def test_a_bps_load_needs_a_code_column(pemda, tmp_path):
    path = _csv(tmp_path, "NIK;NAMA;KECAMATAN\n3504152705060001;SATU;BESUKI\n")
    with pytest.raises(ServiceError, match="Kolom kode wilayah BPS"):
        _load(pemda, path, "bps")
    assert not RegisterSnapshot.objects.exists()


def test_kemendagri_codes_dotted_as_digits_or_numbers(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;kode_kecamatan;kode_kelurahan_desa\n"
        "K1;3504152705060001;SATU;35.04.15;35.04.15.2001\n"
        "K2;3504152705060002;DUA;350415;3504152001\n"
        "K3;3504152705060003;TIGA;350415.0;3504152001.0\n"
        "K4;3504152705060004;EMPAT;350415;\n"
        "K5;3504152705060005;LIMA;350415;35041520011\n",
    )
    got = _by_id(_load(pemda, path, "kemendagri"))
    assert {k: (r.district_id, r.village_id) for k, r in got.items()} == {
        "K1": ("35.04.15", "35.04.15.2001"),
        "K2": ("35.04.15", "35.04.15.2001"),
        "K3": ("35.04.15", "35.04.15.2001"),
        "K4": ("35.04.15", None),
        "K5": ("35.04.15", None),  # 11 digits is no village code: not stored, not guessed
    }
    assert all(r.issues == [] for k, r in got.items() if k != "K5")
    assert got["K5"].issues == [
        {
            "field": "village",
            "code": "village_code_unknown",
            "message": "Kode desa/kelurahan '35041520011' bukan kode Kemendagri (10 angka).",
            "severity": "warning",
        }
    ]


def test_cli_accepts_bps_codes(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "NIK;NAMA;KDKEC;KDDESA;KECAMATAN;DESA\n"
        "3504152705060001;SATU;3504150;3504150009;BESUKI;SIYOTOBAGUS\n",
    )
    out = io.StringIO()
    call_command(
        "register", "load", str(path), "--source", "dtks", "--as-of", "2025-06-30",
        "--codes", "bps", "--json", stdout=out,
    )  # fmt: skip
    payload = json.loads(out.getvalue())
    record = RegisterRecord.objects.get(snapshot_id=payload["snapshot"])
    assert record.village_id == "35.04.15.2009"

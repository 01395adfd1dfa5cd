"""Register snapshots: loading the DTKS-style sample, cleaning, regions, atomicity, CLI and
scoping."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.register import write
from lindung.register.clean import CleanRegister
from lindung.register.management.commands.register import Command
from lindung.register.models import RegisterRecord, RegisterSnapshot
from lindung.register.selectors import snapshot_list
from lindung.register.services import snapshot_load

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "register" / "register.csv"
AS_OF = dt.date(2025, 6, 30)


def _data_lines(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line.split(";") for line in lines[1:]]


def _load(pemda, path: Path = SAMPLE, **kwargs) -> RegisterSnapshot:
    params = {"source": "dtks", "as_of": AS_OF} | kwargs
    return snapshot_load(actor="cli", pemda=pemda, path=path, filename=path.name, **params)


@pytest.fixture
def sample_snapshot(pemda):
    return _load(pemda)


def test_every_data_line_becomes_a_record(sample_snapshot):
    expected = len(_data_lines(SAMPLE))
    assert sample_snapshot.rows == expected
    assert RegisterRecord.objects.filter(snapshot=sample_snapshot).count() == expected
    event = AuditEvent.objects.get(action="register_snapshot.loaded")
    assert event.changes["rows"] == expected
    assert event.changes["source"] == "dtks"
    assert event.changes["as_of"] == "2025-06-30"


def test_hand_picked_lines_are_cleaned(sample_snapshot):
    lines = _data_lines(SAMPLE)
    for cells in (lines[0], lines[1], lines[len(lines) // 2], lines[-1]):
        record = RegisterRecord.objects.get(snapshot=sample_snapshot, register_id=cells[0])
        digits = "".join(ch for ch in cells[9] if ch.isdigit())
        assert record.nik == digits
        assert record.raw == cells
        desil = cells[15].strip()
        if desil.isdigit() and 1 <= int(desil) <= 10:
            assert record.desil == int(desil)
        else:
            assert record.desil is None
    first = RegisterRecord.objects.get(snapshot=sample_snapshot, register_id="350400000000")
    assert first.nik == "3504152705063112"
    assert first.kk == "3504151612248388"
    assert first.name == "AHMAD BAKIONO"
    assert first.birth_date == dt.date(2006, 5, 27)
    assert first.sex == "L"
    assert (first.rt, first.rw) == ("005", "002")
    assert first.desil == 1
    assert first.occupation == "TUKANG PARKIR"
    second = RegisterRecord.objects.get(snapshot=sample_snapshot, register_id="350400000001")
    assert (second.sex, second.desil, second.birth_date) == ("P", 9, dt.date(1992, 2, 3))


def test_region_names_resolve_to_kemendagri_codes(sample_snapshot):
    records = RegisterRecord.objects.filter(snapshot=sample_snapshot)
    total = records.count()
    with_village = records.filter(village__isnull=False).count()
    assert with_village >= 0.95 * total
    first = records.get(register_id="350400000000")
    assert first.village_id.startswith("35.04.")
    assert first.district_id == first.village_id[:8]
    assert first.village.name.upper().replace(" ", "") == "SIYOTOBAGUS"


def test_bad_values_are_flagged_and_kept(pemda, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "IDARTBDT|NIK|NAMA|TGL LAHIR|JK|RT|desil_nasional|desil_kabupaten_kota\n"
        "A1|'3504152705063112|SITI|27/05/2006|2|5|3|4\n"
        "A2|35041527|BUDI|1990-01-31|X|12|11|\n"
        "A3||||||| \n",
        encoding="utf-8",
    )
    snapshot = _load(pemda, path)
    assert (snapshot.rows, snapshot.rejected) == (3, 1)
    a1, a2, a3 = RegisterRecord.objects.filter(snapshot=snapshot).order_by("register_id")
    assert (a1.nik, a1.birth_date, a1.sex, a1.rt, a1.desil) == (
        "3504152705063112", dt.date(2006, 5, 27), "P", "005", 4,
    )  # fmt: skip
    assert a1.issues == []
    assert (a2.birth_date, a2.sex, a2.rt, a2.desil) == (dt.date(1990, 1, 31), "", "012", None)
    assert {i["code"] for i in a2.issues} == {"nik_length", "sex_unknown", "desil_invalid"}
    assert {i["code"] for i in a3.issues} >= {"nik_missing", "name_missing"}


def test_kemendagri_codes_are_taken_as_they_are(pemda, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "nomor_induk_kependudukan;nama;kode_kecamatan;kode_kelurahan_desa\n"
        "3504152705063112;SITI;350415;3504152001\n"
        "3504152705063113;ANI;350415;9999999999\n",
        encoding="utf-8",
    )
    snapshot = _load(pemda, path, source="dtsen", region_code_style="kemendagri")
    ok, bad = RegisterRecord.objects.filter(snapshot=snapshot).order_by("nik")
    assert (ok.district_id, ok.village_id) == ("35.04.15", "35.04.15.2001")
    assert bad.village_id is None
    assert [i["code"] for i in bad.issues] == ["village_code_unknown"]


def test_earlier_snapshot_is_kept(pemda, sample_snapshot):
    newer = _load(pemda, as_of=dt.date(2025, 9, 30))
    assert RegisterSnapshot.objects.count() == 2
    assert RegisterRecord.objects.filter(snapshot=sample_snapshot).count() == sample_snapshot.rows
    assert RegisterRecord.objects.filter(snapshot=newer).count() == newer.rows


def test_a_killed_load_leaves_nothing(pemda, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write, "insert_records", boom)
    with pytest.raises(RuntimeError):
        _load(pemda)
    assert not RegisterSnapshot.objects.exists()
    assert not RegisterRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="register_snapshot.loaded").exists()


def test_a_failure_midway_through_the_insert_leaves_nothing(pemda, monkeypatch):
    real = write.insert_records

    def half(clean, **kwargs):
        real(CleanRegister(frame=clean.frame.head(100), found=clean.found), **kwargs)
        raise RuntimeError("killed")

    monkeypatch.setattr(write, "insert_records", half)
    with pytest.raises(RuntimeError):
        _load(pemda)
    assert not RegisterRecord.objects.exists()
    assert not RegisterSnapshot.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "bdt"}, "tidak dikenal"),
        ({"as_of": dt.date(2999, 1, 1)}, "masa depan"),
        ({"region_code_style": "bps"}, "Kolom kode wilayah BPS"),
        ({"region_code_style": "kemendagri"}, "Kolom kode desa/kelurahan"),
        ({"region_code_style": "bpsx"}, "pilih names, kemendagri atau bps"),
    ],
)
def test_refusals(pemda, kwargs, message):
    with pytest.raises(ServiceError, match=message):
        _load(pemda, **kwargs)
    assert not RegisterSnapshot.objects.exists()


def test_a_file_without_nik_or_name_is_refused(pemda, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("ID DTKS;ALAMAT\n1;JL MAWAR\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="NIK dan NAMA tidak ditemukan"):
        _load(pemda, path)


def test_xlsx_is_read_too(pemda, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DATA DTKS KAB. TULUNGAGUNG"])
    ws.append(["ID DTKS", "NOMOR NIK", "NAMA", "TANGGAL LAHIR", "KECAMATAN", "DESA/KELURAHAN"])
    born = dt.datetime(2006, 5, 27)  # noqa: DTZ001 - an Excel date cell has no zone
    ws.append(["X1", "3504152705063112", "SITI", born, "BESUKI", "SIYOTOBAGUS"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    snapshot = _load(pemda, path)
    record = RegisterRecord.objects.get(snapshot=snapshot)
    assert (record.register_id, record.nik, record.birth_date) == (
        "X1", "3504152705063112", dt.date(2006, 5, 27),
    )  # fmt: skip
    assert record.village_id is not None


def test_snapshot_list_is_scoped(pemda, admin, foreign_admin, sample_snapshot):
    assert list(snapshot_list(user=admin)) == [sample_snapshot]
    assert list(snapshot_list(user=foreign_admin)) == []


# -- CLI --


def test_cli_load_json(pemda):
    out = io.StringIO()
    call_command(
        "register", "load", str(SAMPLE), "--source", "dtks", "--as-of", "2025-06-30", "--json",
        stdout=out,
    )  # fmt: skip
    payload = json.loads(out.getvalue())
    snapshot = RegisterSnapshot.objects.get()
    assert payload["snapshot"] == snapshot.pk
    assert payload["rows"] == len(_data_lines(SAMPLE))
    assert payload["rejected"] == 0


def _run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(["lindung", "register", *args])
    return int(exc.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ("--source", "bdt", "--as-of", "2025-06-30"),
        ("--source", "dtks", "--as-of", "30-06-2025"),
        ("--source", "dtks", "--as-of", "2999-01-01"),
    ],
)
def test_cli_wrong_argument_exits_2(pemda, monkeypatch, capsys, args):
    code, err = _run_cli(monkeypatch, capsys, "load", str(SAMPLE), *args)
    assert code == 2
    assert err.startswith("Kesalahan: ")
    assert len(err.strip().splitlines()) == 1
    assert not RegisterSnapshot.objects.exists()


def test_cli_needs_pemda_when_there_are_several(pemda, other_pemda, monkeypatch, capsys):
    code, err = _run_cli(
        monkeypatch, capsys, "load", str(SAMPLE), "--source", "dtks", "--as-of", "2025-06-30"
    )
    assert code == 2
    assert "isi --pemda" in err

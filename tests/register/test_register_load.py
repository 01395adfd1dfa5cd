"""Register loads: desil derived from a percentile, the deceased marker, csv and xlsx files,
and the bulk write — every row kept, the indexes rebuilt inside the load's transaction, and
nothing left behind (indexes back) when a load dies before its commit."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from lindung.audit.models import AuditEvent
from lindung.common import bulk
from lindung.register import read, services, write
from lindung.register.clean import clean_register
from lindung.register.models import RegisterRecord, RegisterSnapshot
from lindung.register.services import snapshot_load

AS_OF = dt.date(2025, 6, 30)
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "register" / "register.csv"
INDEXES = {
    "verif_record_snap_nik": ["snapshot_id", "nik"],
    "verif_record_snap_regid": ["snapshot_id", "register_id"],
    "verif_record_snap_bd_sex": ["snapshot_id", "birth_date", "sex"],
}


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _load(pemda, path: Path) -> RegisterSnapshot:
    return snapshot_load(
        actor="cli", pemda=pemda, path=path, filename=path.name, source="dtks", as_of=AS_OF
    )


def _by_id(snapshot: RegisterSnapshot) -> dict[str, RegisterRecord]:
    return {r.register_id: r for r in RegisterRecord.objects.filter(snapshot=snapshot)}


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, RegisterRecord._meta.db_table)
    return {name: c["columns"] for name, c in found.items() if name in INDEXES and c["index"]}


# -- desil --


def test_desil_is_derived_from_the_percentile(pemda, tmp_path):
    # desil = ceil(percentile / 10), clamped to 1..10 (issue 4).
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;PERSENTIL\n"
        "P0;3504152705060001;A;0\n"
        "P1;3504152705060002;B;1\n"
        "P10;3504152705060003;C;10\n"
        "P10,5;3504152705060004;D;10,5\n"
        "P11;3504152705060005;E;11\n"
        "P40;3504152705060006;F;40\n"
        "P95;3504152705060007;G;95\n"
        "P100;3504152705060008;H;100\n"
        "P101;3504152705060009;I;101\n"
        "PX;3504152705060010;J;tinggi\n"
        "PB;3504152705060011;K;\n",
    )
    got = _by_id(_load(pemda, path))
    assert {k: r.desil for k, r in got.items()} == {
        "P0": 1, "P1": 1, "P10": 1, "P10,5": 2, "P11": 2, "P40": 4, "P95": 10, "P100": 10,
        "P101": None, "PX": None, "PB": None,
    }  # fmt: skip
    assert got["P101"].issues == [
        {
            "field": "desil",
            "code": "desil_invalid",
            "message": "Persentil bukan angka 0–100.",
            "severity": "warning",
        }
    ]
    assert [i["code"] for i in got["PX"].issues] == ["desil_invalid"]
    assert got["PB"].issues == []
    assert got["P40"].raw[3] == "40"
    assert RegisterRecord.objects.filter(desil__gte=4).count() == 3  # stored as numbers


def test_a_desil_column_wins_over_the_percentile(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;PERCENTILE;DESIL\nA;3504152705060001;A;95;3\nB;3504152705060002;B;95;\n",
    )
    got = _by_id(_load(pemda, path))
    assert (got["A"].desil, got["B"].desil) == (3, None)
    assert got["B"].issues == []


# -- deceased --


def test_a_deceased_marker_becomes_an_issue(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;KETERANGAN\n"
        "M1;3504152705060001;A;MENINGGAL\n"
        "M2;3504152705060002;B;Meninggal Dunia\n"
        "M3;3504152705060003;C;WAFAT\n"
        "M4;3504152705060004;D;MD\n"
        "M5;3504152705060005;E;m.d.\n"
        "M6;3504152705060006;F;sudah meninggal (2024)\n"
        "H1;3504152705060007;G;HIDUP\n"
        "H2;3504152705060008;H;\n"
        "H3;3504152705060009;I;PINDAH DOMISILI\n",
    )
    got = _by_id(_load(pemda, path))
    assert got["M2"].issues == [
        {
            "field": "status",
            "code": "register_deceased",
            "message": "Register mencatat orang ini sudah meninggal ('Meninggal Dunia').",
            "severity": "warning",
        }
    ]
    assert got["M2"].raw[3] == "Meninggal Dunia"
    deceased = {
        k for k, r in got.items() if any(i["code"] == "register_deceased" for i in r.issues)
    }
    assert deceased == {"M1", "M2", "M3", "M4", "M5", "M6"}
    assert all(got[k].issues == [] for k in ("H1", "H2", "H3"))


def test_a_deceased_marker_sets_the_record_deceased_column(pemda, tmp_path):
    path = _csv(
        tmp_path,
        "ID DTKS;NIK;NAMA;KETERANGAN\n"
        "M1;3504152705060001;A;MENINGGAL\n"
        "H1;3504152705060007;G;HIDUP\n"
        "H2;3504152705060008;H;\n",
    )
    got = _by_id(_load(pemda, path))
    assert {k: r.deceased for k, r in got.items()} == {"M1": True, "H1": False, "H2": False}


def test_a_status_column_is_read_too_and_joins_other_issues(pemda, tmp_path):
    path = _csv(tmp_path, "ID DTKS;NIK;NAMA;STATUS\nS1;35041527;A;WAFAT\n")
    (record,) = _by_id(_load(pemda, path)).values()
    assert [i["code"] for i in record.issues] == ["nik_length", "register_deceased"]


# -- a whole file, both formats --


def test_an_xlsx_register_with_everything_at_once(pemda, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DATA DTSEN KAB. TULUNGAGUNG"])
    ws.append(
        ["ID DTKS", "NIK", "NAMA", "TGL LAHIR", "JK", "KDKEC", "KDDESA", "KECAMATAN", "DESA",
         "PERSENTIL", "KETERANGAN"]
    )  # fmt: skip
    ws.append(
        ["X1", "3504152705060001", "SITI", 33512, "P", 3504150, 3504150009, "BESUKI",
         "SIYOTOBAGUS", 37, "MENINGGAL DUNIA"]
    )  # fmt: skip
    ws.append(
        ["X2", 3504152705060002, "BUDI", "12 Agt 75", "L", 3504150, 3504150009, None, None,
         8.5, None]
    )  # fmt: skip
    path = tmp_path / "dtsen.xlsx"
    wb.save(path)
    snapshot = snapshot_load(
        actor="cli", pemda=pemda, path=path, filename=path.name, source="dtsen", as_of=AS_OF,
        region_code_style="bps",
    )  # fmt: skip
    got = _by_id(snapshot)
    x1, x2 = got["X1"], got["X2"]
    assert (x1.nik, x1.birth_date, x1.sex, x1.desil) == (
        "3504152705060001", dt.date(1991, 10, 1), "P", 4,
    )  # fmt: skip
    assert (x1.district_id, x1.village_id) == ("35.04.15", "35.04.15.2009")
    assert [i["code"] for i in x1.issues] == ["register_deceased"]
    assert (x2.nik, x2.birth_date, x2.desil) == ("3504152705060002", dt.date(1975, 8, 12), 1)
    assert (x2.district_id, x2.village_id) == (None, None)
    assert [i["code"] for i in x2.issues] == ["region_bps_unmapped"]
    assert x2.raw == [
        "X2", "3504152705060002", "BUDI", "12 Agt 75", "L", "3504150", "3504150009", "", "",
        "8.5", "",
    ]  # fmt: skip


# -- the bulk write --


def test_every_row_is_written_whatever_the_statement_size(pemda, tmp_path):
    # 100 rows go in one INSERT on SQLite; 1, 100 and 250 rows test the full and partial ones.
    for rows in (1, 100, 250):
        lines = "".join(f"R{i};{3504152705060000 + i};NAMA {i}\n" for i in range(rows))
        path = _csv(tmp_path, "ID DTKS;NIK;NAMA\n" + lines)
        snapshot = _load(pemda, path)
        stored = RegisterRecord.objects.filter(snapshot=snapshot).order_by("pk")
        assert stored.count() == rows
        assert [r.register_id for r in stored] == [f"R{i}" for i in range(rows)]  # file order
        assert stored.last().raw == [f"R{rows - 1}", str(3504152705060000 + rows - 1),
                                     f"NAMA {rows - 1}"]  # fmt: skip
    assert _indexes() == INDEXES


@pytest.mark.parametrize("rebuild", [True, False])
def test_with_or_without_rebuilding_the_indexes_the_records_are_the_same(pemda, rebuild):
    table = read.read_table(SAMPLE, kind="csv", limits=services.REGISTER_LIMITS)
    clean = clean_register(
        table, as_of=AS_OF, lookup=lambda d, v: (None, None, []), regency="35.04"
    )
    with transaction.atomic():
        snapshot = RegisterSnapshot.objects.create(
            pemda=pemda, source="dtks", as_of=AS_OF, file_name="x", sha256="", rows=clean.rows
        )
        count = write.insert_records(
            clean, snapshot_id=snapshot.pk, pemda_id=pemda.pk, rebuild_indexes=rebuild
        )
    assert count == clean.rows == RegisterRecord.objects.filter(snapshot=snapshot).count()
    assert _indexes() == INDEXES
    first = RegisterRecord.objects.get(snapshot=snapshot, nik="3504152705063112")
    assert (first.register_id, first.desil, first.birth_date) == (
        "350400000000", 1, dt.date(2006, 5, 27),
    )  # fmt: skip
    assert RegisterRecord.objects.filter(snapshot=snapshot, desil=10).count() == (
        clean.frame.filter(clean.frame["desil"] == 10).height
    )


def test_indexes_are_rebuilt_only_on_sqlite_while_few_rows_are_already_there(pemda):
    new = RegisterSnapshot.objects.create(pemda=pemda, source="dtks", as_of=AS_OF, rows=1_000)
    if connection.vendor != "sqlite":
        # PostgreSQL loads by COPY with its indexes in place and never drops them.
        assert not write.rebuild_indexes_pays(new_rows=1_000, snapshot_id=new.pk)
        return
    assert write.rebuild_indexes_pays(new_rows=1_000, snapshot_id=new.pk)
    RegisterSnapshot.objects.create(pemda=pemda, source="dtks", as_of=AS_OF, rows=2_000)
    assert write.rebuild_indexes_pays(new_rows=1_000, snapshot_id=new.pk)
    RegisterSnapshot.objects.create(pemda=pemda, source="dtks", as_of=AS_OF, rows=1)
    assert not write.rebuild_indexes_pays(new_rows=1_000, snapshot_id=new.pk)


def test_numbers_are_stored_as_numbers(pemda, tmp_path):
    path = _csv(tmp_path, "NIK;NAMA;DESIL;TGL LAHIR\n3504152705060001;A;4;27-05-2006\n")
    snapshot = _load(pemda, path)
    typeof = "typeof" if connection.vendor == "sqlite" else "pg_typeof"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {typeof}(desil)::text, {typeof}(snapshot_id)::text, "  # noqa: S608
            f"{typeof}(pemda_id)::text, {typeof}(birth_date)::text "
            "FROM verification_registerrecord WHERE snapshot_id = %s"
            if connection.vendor != "sqlite"
            else "SELECT typeof(desil), typeof(snapshot_id), typeof(pemda_id), typeof(birth_date) "
            "FROM verification_registerrecord WHERE snapshot_id = %s",
            [snapshot.pk],
        )
        got = cursor.fetchone()
    if connection.vendor == "sqlite":
        assert got == ("integer", "integer", "integer", "text")  # SQLite's storage classes
    else:
        assert got == ("smallint", "bigint", "bigint", "date")


class Killed(Exception):
    """The process dying between the insert and the commit."""


def _nothing_left() -> None:
    assert not RegisterSnapshot.objects.exists()
    assert not RegisterRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="register_snapshot.loaded").exists()
    assert _indexes() == INDEXES


@pytest.mark.parametrize("rebuild", [True, False, None])
def test_a_load_killed_after_the_insert_leaves_nothing_and_the_indexes(pemda, monkeypatch, rebuild):
    real = write.insert_records

    def insert(clean, **kwargs):
        return real(clean, **kwargs | {"rebuild_indexes": rebuild})

    def killed(**kwargs):
        # The insert (and the index rebuild) is done; the process dies before the commit.
        assert RegisterRecord.objects.count() > 20_000
        assert _indexes() == INDEXES
        raise Killed

    monkeypatch.setattr(write, "insert_records", insert)
    monkeypatch.setattr(services, "audit_record", killed)
    with pytest.raises(Killed):
        _load(pemda, SAMPLE)
    _nothing_left()


def test_a_load_killed_while_its_indexes_are_dropped_leaves_them_in_place(pemda, monkeypatch):
    real_insert = write.insert_records
    postgresql = connection.vendor == "postgresql"
    real_writer = bulk._copy if postgresql else bulk._insert_sqlite_frame

    def insert(clean, **kwargs):
        return real_insert(clean, **kwargs | {"rebuild_indexes": True})

    def half(cursor, table, columns, data, *rest):
        assert _indexes() == {}  # dropped, inside the transaction
        part = itertools.islice(data, 150) if postgresql else data.head(150)
        real_writer(cursor, table, columns, part, *rest)
        raise RuntimeError("killed")

    monkeypatch.setattr(write, "insert_records", insert)
    monkeypatch.setattr(bulk, "_copy", half)
    monkeypatch.setattr(bulk, "_insert_sqlite_frame", half)
    with pytest.raises(RuntimeError, match="killed"):
        _load(pemda, SAMPLE)
    _nothing_left()


def test_insert_records_refuses_to_run_outside_a_transaction(pemda):
    clean = clean_register(
        read.read_table(SAMPLE, kind="csv", limits=services.REGISTER_LIMITS),
        as_of=AS_OF,
        lookup=lambda d, v: (None, None, []),
    )
    snapshot = RegisterSnapshot.objects.create(pemda=pemda, source="dtks", as_of=AS_OF)
    # The test itself runs inside a transaction: pretend, for this one call, it does not.
    wrapper = connections[DEFAULT_DB_ALIAS]
    wrapper.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match=r"atomic"):
            write.insert_records(clean, snapshot_id=snapshot.pk, pemda_id=pemda.pk)
    finally:
        wrapper.in_atomic_block = True
    assert not RegisterRecord.objects.exists()

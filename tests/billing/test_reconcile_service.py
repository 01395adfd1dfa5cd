"""Reconciling BPJS's bill with ours: every planted difference found and nothing else, in an
xlsx, a csv and an ods; refusals write nothing; resolutions."""

from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEvent
from lindung.billing.models import Bill, BpjsBill, BpjsBillLine
from lindung.billing.reconciliation import bpjs_bill_reconcile, reconcile_line_resolve
from lindung.common.errors_domain import ConflictError, ServiceError
from tests.billing import reconcile_data as data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "matched": 2,
    "missing_from_bpjs": 1,
    "not_ours": 1,
    "amount_differs": 1,
    "ended_still_billed": 1,
}


@pytest.fixture
def month(program, funding_source):
    return data.make_month(program, funding_source)


def _reconcile(user, program, path):
    return bpjs_bill_reconcile(
        actor=user, program=program, month=data.MONTH, path=path, filename=path.name
    )


def _outcomes(bill):
    return {
        line.name: (line.outcome, line.amount_theirs, line.amount_ours)
        for line in BpjsBillLine.objects.filter(bpjs_bill=bill)
    }


PLANTED = {
    "Ani Lestari": ("matched", 16_800, 16_800),
    "Budi Santoso": ("amount_differs", 8_400, 16_800),
    "Citra Dewi": ("missing_from_bpjs", None, 16_800),
    "Dewi Sartika": ("ended_still_billed", 16_800, None),
    "Eko Prasetyo": ("not_ours", 16_800, None),
    "Fajar Nugroho": ("matched", 16_800, 16_800),
}


@pytest.mark.parametrize("writer", [data.write_xlsx, data.write_csv, data.write_ods])
def test_it_finds_every_planted_difference_and_nothing_else(
    writer, month, program, finance, tmp_path
):
    suffix = {"write_xlsx": "xlsx", "write_csv": "csv", "write_ods": "ods"}[writer.__name__]
    path = writer(tmp_path / f"tagihan-bpjs.{suffix}")

    bill = _reconcile(finance, program, path)

    assert bill.counts == EXPECTED
    assert _outcomes(bill) == PLANTED
    # Theirs: 4 × 16.800 + 8.400 (the TOTAL row is not a line); ours: 4 × 16.800 billed.
    assert bill.total_theirs == 75_600
    assert bill.total_ours == 67_200


def test_it_keeps_their_row_as_it_came_and_links_our_participant(month, program, finance, tmp_path):
    bill = _reconcile(finance, program, data.write_xlsx(tmp_path / "t.xlsx"))

    dewi = BpjsBillLine.objects.get(bpjs_bill=bill, name="Dewi Sartika")
    assert dewi.enrolment == month["dewi"]
    assert dewi.row_number == 7  # title, subtitle, blank, header, Ani, Budi, Dewi
    assert dewi.raw[1] == "3504011208750004"
    fajar = BpjsBillLine.objects.get(bpjs_bill=bill, name="Fajar Nugroho")
    assert fajar.enrolment == month["fajar"]
    citra = BpjsBillLine.objects.get(bpjs_bill=bill, name="Citra Dewi")
    assert citra.row_number is None
    assert citra.enrolment == month["citra"]
    assert bill.layout["header_row"] == 4


def test_a_damaged_nik_without_a_known_kpj_stays_a_problem_line(month, program, finance, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("NIK;KPJ;Nama;Total Iuran\n3,50401E+15;;Tanpa KPJ;16.800\n", encoding="utf-8")

    bill = _reconcile(finance, program, path)

    line = BpjsBillLine.objects.get(bpjs_bill=bill, row_number=2)
    assert (line.outcome, line.nik) == ("not_ours", "3,50401E+15")


def test_it_audits_the_reconciliation_with_its_counts(month, program, finance, tmp_path):
    bill = _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))

    event = AuditEvent.objects.get(action="bpjs_bill.reconciled")
    assert event.object_id == str(bill.pk)
    assert event.changes["counts"] == EXPECTED


def test_it_refuses_an_unrecognisable_file_and_writes_nothing(month, program, finance, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Nomor;Uraian;Harga\n1;Beras;12.000\n", encoding="utf-8")

    with pytest.raises(ServiceError, match="Kolom NIK atau KPJ tidak ditemukan"):
        _reconcile(finance, program, path)

    assert not BpjsBill.objects.exists()
    assert not BpjsBillLine.objects.exists()
    assert not AuditEvent.objects.filter(action="bpjs_bill.reconciled").exists()


def test_it_refuses_a_file_with_no_amount_column(month, program, finance, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("NIK;Nama\n3504011208750001;Ani\n", encoding="utf-8")

    with pytest.raises(ServiceError, match="Kolom iuran tidak ditemukan"):
        _reconcile(finance, program, path)

    assert not BpjsBill.objects.exists()


def test_it_refuses_a_month_we_have_not_billed(month, program, finance, tmp_path):
    with pytest.raises(ServiceError, match="Tagihan bulan ini belum dibuat"):
        bpjs_bill_reconcile(
            actor=finance, program=program, month=dt.date(2025, 4, 1),
            path=data.write_csv(tmp_path / "t.csv"), filename="t.csv",
        )  # fmt: skip

    assert not BpjsBill.objects.exists()


def test_it_refuses_a_verifier(month, program, verifier, tmp_path):
    with pytest.raises(ServiceError, match="Keuangan atau Admin"):
        _reconcile(verifier, program, data.write_csv(tmp_path / "t.csv"))


def test_reconciling_again_replaces_a_comparison_nothing_was_resolved_in(
    month, program, finance, tmp_path
):
    first = _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))
    second = _reconcile(finance, program, data.write_xlsx(tmp_path / "t.xlsx"))

    assert list(BpjsBill.objects.values_list("pk", flat=True)) == [second.pk]
    assert not BpjsBillLine.objects.filter(bpjs_bill_id=first.pk).exists()


def test_reconciling_again_keeps_a_comparison_with_a_resolved_difference(
    month, program, finance, tmp_path
):
    first = _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))
    budi = BpjsBillLine.objects.get(bpjs_bill=first, name="Budi Santoso")
    reconcile_line_resolve(actor=finance, line=budi, resolution="disputed", note="Surat ke BPJS")

    second = _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))

    assert set(BpjsBill.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert BpjsBill.objects.filter(program=program, month=data.MONTH).first() == second


def test_no_bill_means_nothing_to_compare_even_with_enrolments(program, finance, tmp_path):
    assert not Bill.objects.exists()
    with pytest.raises(ServiceError, match="belum dibuat"):
        _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))


# --- resolutions ---------------------------------------------------------------------------


@pytest.fixture
def reconciled(month, program, finance, tmp_path):
    return _reconcile(finance, program, data.write_csv(tmp_path / "t.csv"))


def test_a_difference_is_resolved_with_a_note_and_audited(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Budi Santoso")

    resolved = reconcile_line_resolve(
        actor=finance, line=line, resolution="accepted", note="Relief diterapkan, dikoreksi BPJS"
    )

    assert (resolved.resolution, resolved.resolved_by, resolved.version) == ("accepted", finance, 2)
    event = AuditEvent.objects.get(action="bpjs_bill.line_resolved")
    assert event.changes["resolution"] == ["", "accepted"]


def test_a_matched_line_takes_no_resolution(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Ani Lestari")

    with pytest.raises(ServiceError, match="tidak memerlukan penyelesaian"):
        reconcile_line_resolve(actor=finance, line=line, resolution="accepted", note="ok")


def test_a_resolution_needs_a_note(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")

    with pytest.raises(ServiceError, match="Catatan penyelesaian wajib"):
        reconcile_line_resolve(actor=finance, line=line, resolution="disputed", note="  ")
    line.refresh_from_db()
    assert line.resolution == ""


def test_an_unknown_resolution_is_refused(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")

    with pytest.raises(ServiceError, match="Pilih penyelesaian"):
        reconcile_line_resolve(actor=finance, line=line, resolution="ignored", note="x")


def test_a_resolution_on_a_stale_version_is_refused(reconciled, finance, admin):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Citra Dewi")
    stale = BpjsBillLine.objects.get(pk=line.pk)
    reconcile_line_resolve(actor=admin, line=line, resolution="corrected", note="Didaftarkan")

    with pytest.raises(ConflictError):
        reconcile_line_resolve(actor=finance, line=stale, resolution="accepted", note="x")
    line.refresh_from_db()
    assert (line.resolution, line.version) == ("corrected", 2)


def test_a_leader_cannot_resolve(reconciled, pemda):
    leader = UserFactory(username="bupati", pemda=pemda, role="leader")
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")

    with pytest.raises(ServiceError, match="Keuangan atau Admin"):
        reconcile_line_resolve(actor=leader, line=line, resolution="accepted", note="x")


def test_a_file_of_another_month_is_refused_and_nothing_written(month, program, finance, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "NIK;Periode;Total Iuran\n3504011208750001;Februari 2025;16.800\n", encoding="utf-8"
    )

    with pytest.raises(ServiceError, match="periode 02-2025, bukan 03-2025"):
        _reconcile(finance, program, path)

    assert not BpjsBill.objects.exists()


def test_a_participant_billed_twice_makes_the_repeat_a_difference(
    month, program, finance, tmp_path
):
    path = tmp_path / "t.csv"
    path.write_text(
        "NIK;Total Iuran\n3504011208750001;16.800\n3504011208750001;16.800\n",
        encoding="utf-8",
    )

    bill = _reconcile(finance, program, path)

    lines = BpjsBillLine.objects.filter(bpjs_bill=bill, row_number__isnull=False)
    assert [(x.row_number, x.outcome, x.amount_ours) for x in lines.order_by("row_number")] == [
        (2, "matched", 16_800),
        (3, "amount_differs", 0),
    ]
    # Ours: Ani once; Budi, Citra, Fajar missing. Theirs: Ani twice.
    assert (bill.total_theirs, bill.total_ours) == (33_600, 67_200)

"""What an agency learns about its verified rows: the verdict and findings of each row on its
submission page and in the feedback spreadsheet, its own rows only, register NIKs masked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lindung.audit.models import AuditEvent
from lindung.intake.models import Submission
from lindung.verification.models import VerificationRun
from lindung.verification.services import duplicate_decide, match_decide, run_verification
from tests.conftest import client_for
from tests.verification.test_views import P2_REGISTER_NIK, duplicate_pair, hand_in_lists, probable


@pytest.fixture
def lists(register_snapshot, hand_in, agency, other_agency) -> tuple[Submission, Submission]:
    return hand_in_lists(hand_in, agency, other_agency)


@pytest.fixture
def run(program, lists) -> VerificationRun:
    return run_verification(actor="cli", program=program)


def workbook_rows(response) -> list[dict[str, object]]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(table[0], r, strict=False)) for r in table[1:]]


def test_the_submission_page_shows_each_rows_verdict_and_findings(operator, run, lists):
    bobs, _carols = lists

    response = client_for(operator).get(reverse("intake:detail", args=[bobs.pk]))

    html = response.content.decode()
    verification = response.context["verification"]
    assert dict(verification.counts) == {"eligible": 2, "review": 2, "ineligible": 1}
    assert f"Verifikasi #{run.pk}" in verification.label
    assert "DTKS per 30 Juni 2025" in verification.label
    assert "Hasil verifikasi" in html
    by_name = {row.name: row.verification for row in response.context["rows"]}
    assert by_name["Slamet Siregar"].verdict_label == "Memenuhi syarat"
    assert by_name["Slamet Siregar"].findings == ("Ada di DTKS per 30-06-2025, desil 1.",)
    assert by_name["Budi Santoso"].verdict == "ineligible"
    assert "NIK tidak valid: NIK harus 16 digit" in by_name["Budi Santoso"].findings[0]
    assert "menunggu keputusan pemilik" in by_name["Muhammad Darimin"].findings[0]
    # The register's NIK of a probable link is masked for the agency.
    assert "3504********3342" in by_name["Supriyadi"].register_match
    assert P2_REGISTER_NIK not in html
    assert "Kariman Pangestu" not in html


def test_a_verifier_sees_the_register_niks_in_full(verifier, run, lists):
    response = client_for(verifier).get(reverse("intake:detail", args=[lists[0].pk]))

    assert P2_REGISTER_NIK in response.content.decode()


def test_the_feedback_file_carries_the_verification_columns(operator, run, lists):
    bobs, _carols = lists

    response = client_for(operator).get(reverse("intake:feedback", args=[bobs.pk]))

    rows = workbook_rows(response)
    header = list(rows[0])
    assert header[:7] == [
        "Lembar",
        "Baris",
        "Status",
        "Alasan",
        "Hasil verifikasi",
        "Keterangan verifikasi",
        "Padanan DTKS",
    ]
    assert header[7:] == ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Kecamatan", "Pekerjaan"]
    by_row = {r["Baris"]: r for r in rows}
    assert by_row[2]["Hasil verifikasi"] == "Memenuhi syarat"
    assert by_row[2]["Keterangan verifikasi"] == "Ada di DTKS per 30-06-2025, desil 1."
    assert (
        by_row[2]["Padanan DTKS"]
        == "DTKS per 30 Juni 2025: ID 350400000003, NIK 3504********4767, desil 1"
    )
    assert by_row[3]["Hasil verifikasi"] == "Perlu diperiksa"
    assert "(belum dipastikan pemeriksa)" in by_row[3]["Padanan DTKS"]
    assert by_row[5]["Hasil verifikasi"] == "Tidak memenuhi syarat"
    assert by_row[6]["Padanan DTKS"] is None or by_row[6]["Padanan DTKS"] == ""
    assert by_row[2]["NIK"] == "3504041204864767"  # the agency's own column, as sent
    assert len(rows) == 5
    event = AuditEvent.objects.get(action="submission.feedback_exported")
    assert event.changes["verification"].startswith(f"Verifikasi #{run.pk}")


def test_decisions_show_at_once_on_the_agency_page_and_file(verifier, operator, run, lists):
    bobs, _carols = lists
    match_decide(actor=verifier, verdict=probable(run, lists), accepted=True)
    ours, theirs = duplicate_pair(run, lists)
    duplicate_decide(actor=verifier, verdict=ours, owner=theirs, note="KTP di Dishub")

    rows = {
        r["Baris"]: r
        for r in workbook_rows(client_for(operator).get(reverse("intake:feedback", args=[bobs.pk])))
    }

    assert rows[3]["Hasil verifikasi"] == "Memenuhi syarat"
    assert "diputuskan pemeriksa" in rows[3]["Keterangan verifikasi"]
    assert rows[4]["Hasil verifikasi"] == "Tidak memenuhi syarat"
    assert "Orang yang sama diusulkan oleh Dinas Perhubungan (baris 2)" in str(
        rows[4]["Keterangan verifikasi"]
    )
    assert "Catatan: KTP di Dishub" in str(rows[4]["Keterangan verifikasi"])


def test_before_verification_the_page_and_file_have_no_verification_columns(operator, lists):
    bobs, _carols = lists
    client = client_for(operator)

    page = client.get(reverse("intake:detail", args=[bobs.pk]))
    rows = workbook_rows(client.get(reverse("intake:feedback", args=[bobs.pk])))

    assert page.context["verification"] is None
    assert "Hasil verifikasi" not in page.content.decode()
    assert list(rows[0])[:5] == ["Lembar", "Baris", "Status", "Alasan", "NIK"]


@pytest.mark.parametrize("name", ["intake:detail", "intake:feedback"])
def test_another_agency_and_another_pemda_get_404(other_operator, foreign_admin, run, lists, name):
    url = reverse(name, args=[lists[0].pk])

    assert client_for(other_operator).get(url).status_code == 404
    assert client_for(foreign_admin).get(url).status_code == 404


def test_carol_sees_her_own_rows_verdicts_only(other_operator, run, lists):
    _bobs, carols = lists

    response = client_for(other_operator).get(reverse("intake:detail", args=[carols.pk]))

    names = {row.name for row in response.context["rows"]}
    assert names == {"Muhammad Darimin", "Kariman Pangestu"}
    assert all(row.verification is not None for row in response.context["rows"])
    assert "Supriyadi" not in response.content.decode()

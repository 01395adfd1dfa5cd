"""The reconciliation pages: upload, the months reconciled, a comparison's tabs, resolving a
difference with htmx and without, and who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.billing.models import BpjsBill, BpjsBillLine
from lindung.billing.reconciliation import bpjs_bill_reconcile
from tests.billing import reconcile_data as data
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "billing:reconcile"


@pytest.fixture
def month(program, funding_source):
    return data.make_month(program, funding_source)


@pytest.fixture
def reconciled(month, program, finance, tmp_path):
    path = data.write_xlsx(tmp_path / "tagihan.xlsx")
    return bpjs_bill_reconcile(
        actor=finance, program=program, month=data.MONTH, path=path, filename="tagihan.xlsx"
    )


@pytest.fixture
def leader(pemda):
    return UserFactory(username="bupati", pemda=pemda, role="leader")


def test_finance_uploads_a_bpjs_bill_and_lands_on_its_comparison(month, program, finance, tmp_path):
    path = data.write_csv(tmp_path / "tagihan.csv")
    with path.open("rb") as fh:
        response = client_for(finance).post(
            reverse(INDEX), {"program": program.pk, "month": "2025-03-01", "file": fh}
        )
    bill = BpjsBill.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("billing:reconcile_detail", args=[bill.pk])
    assert bill.counts["amount_differs"] == 1


def test_an_unrecognisable_upload_shows_the_reason_and_writes_nothing(
    month, program, finance, tmp_path
):
    path = tmp_path / "lain.csv"
    path.write_text("Nomor;Uraian\n1;Beras\n", encoding="utf-8")
    with path.open("rb") as fh:
        response = client_for(finance).post(
            reverse(INDEX), {"program": program.pk, "month": "2025-03-01", "file": fh}
        )
    assert response.status_code == 200
    assert "Kolom NIK atau KPJ tidak ditemukan" in response.content.decode()
    assert not BpjsBill.objects.exists()


def test_a_month_not_billed_is_refused_on_the_form(month, program, finance, tmp_path):
    path = data.write_csv(tmp_path / "tagihan.csv")
    with path.open("rb") as fh:
        response = client_for(finance).post(
            reverse(INDEX), {"program": program.pk, "month": "2025-04-01", "file": fh}
        )
    assert "Tagihan bulan ini belum dibuat" in response.content.decode()
    assert not BpjsBill.objects.exists()


def test_the_list_shows_counts_and_totals_theirs_and_ours(reconciled, finance):
    page = client_for(finance).get(reverse(INDEX)).content.decode()
    assert "03-2025" in page
    assert "Rp 75.600" in page
    assert "Rp 67.200" in page


def test_the_detail_opens_on_the_first_difference_with_niks_masked(reconciled, finance):
    page = (
        client_for(finance)
        .get(reverse("billing:reconcile_detail", args=[reconciled.pk]))
        .content.decode()
    )
    assert "Citra Dewi" in page  # missing_from_bpjs comes first
    assert "3504011208750003" not in page
    assert "Ani Lestari" not in page


def test_a_tab_shows_its_outcome(reconciled, finance):
    url = reverse("billing:reconcile_detail", args=[reconciled.pk])
    page = client_for(finance).get(f"{url}?hasil=matched").content.decode()
    assert "Ani Lestari" in page
    assert "Fajar Nugroho" in page
    assert "Budi Santoso" not in page


def test_a_difference_is_resolved_inline_with_htmx(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Budi Santoso")
    response = client_for(finance).post(
        reverse("billing:reconcile_resolve", args=[line.pk]),
        {"resolution": "disputed", "note": "Relief tidak berlaku untuk APBD", "version": 1},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="baris-{line.pk}"')
    assert "Disanggah ke BPJS" in body
    line.refresh_from_db()
    assert line.resolution == "disputed"


def test_without_javascript_a_resolution_redirects_back_to_its_tab(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")
    response = client_for(finance).post(
        reverse("billing:reconcile_resolve", args=[line.pk]),
        {"resolution": "disputed", "note": "Bukan peserta kami", "version": 1},
    )
    assert response.status_code == 302
    assert response.url.endswith("?hasil=not_ours")
    line.refresh_from_db()
    assert line.resolution == "disputed"


def test_a_resolution_without_a_note_is_refused_inline(reconciled, finance):
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")
    response = client_for(finance).post(
        reverse("billing:reconcile_resolve", args=[line.pk]),
        {"resolution": "accepted", "note": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert "Pilih penyelesaian dan isi catatannya" in response.content.decode()
    line.refresh_from_db()
    assert line.resolution == ""


def test_a_leader_reads_but_cannot_upload_or_resolve(reconciled, leader):
    client = client_for(leader)
    page = client.get(reverse(INDEX)).content.decode()
    assert "03-2025" in page
    assert 'type="file"' not in page
    detail = client.get(reverse("billing:reconcile_detail", args=[reconciled.pk]))
    assert "/selesaikan/" not in detail.content.decode()
    line = BpjsBillLine.objects.get(bpjs_bill=reconciled, name="Eko Prasetyo")
    response = client.post(
        reverse("billing:reconcile_resolve", args=[line.pk]),
        {"resolution": "accepted", "note": "x", "version": 1},
    )
    assert response.status_code == 403


def test_a_verifier_is_kept_out(reconciled, verifier):
    assert client_for(verifier).get(reverse(INDEX)).status_code == 403


def test_another_pemda_sees_nothing(reconciled, foreign_admin):
    url = reverse("billing:reconcile_detail", args=[reconciled.pk])
    assert client_for(foreign_admin).get(url).status_code == 404


def test_finance_has_the_rekonsiliasi_menu_entry(finance, program):
    page = client_for(finance).get(reverse(INDEX)).content.decode()
    assert reverse(INDEX) in page
    assert "Rekonsiliasi" in page


def test_the_form_offers_the_newest_billed_month_first(month, finance):
    page = client_for(finance).get(reverse(INDEX)).content.decode()
    assert '<option value="2025-03-01" selected>03-2025</option>' in page

"""The program pages as Alice (admin) uses them: create, edit, and read the budget.

Figures are worked by hand from the national tables: JKK 1 % × Rp 1.000.000 = Rp 10.000 and
JKM flat Rp 6.800 (PP 44/2015 Pasal 20 & Lampiran II; PP 82/2019), so Rp 16.800 per person
per month; the PP 50/2025 relief halves both for non-APBN/APBD payers in its window.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.programs.models import FundingKind, Program
from lindung.programs.services import funding_source_add, program_update
from tests.conftest import client_for
from tests.factories import OccupationFactory, ProgramFactory
from tests.programs.helpers import funding_form_data, program_form_data, row_containing


def test_admin_creates_a_program_and_lands_on_its_page(admin, pemda):
    fisher = OccupationFactory(pemda=pemda, name="Nelayan")
    client = client_for(admin)

    response = client.post(
        reverse("programs:create"), program_form_data(occupations=[fisher.pk]), follow=True
    )

    program = Program.objects.get(pemda=pemda, code="pekerja-rentan-2025")
    assert response.redirect_chain == [(reverse("programs:detail", args=[program.pk]), 302)]
    assert program.start_month == dt.date(2025, 1, 1)
    assert program.benefits == ["JKK", "JKM"]
    assert (program.quota, program.coverage_months, program.declared_income) == (
        37_500,
        12,
        1_000_000,
    )
    assert list(program.occupations.all()) == [fisher]
    assert "Program dibuat." in response.content.decode()


def test_the_program_page_shows_premium_and_full_cost_at_full_quota(admin, pemda):
    client = client_for(admin)
    client.post(reverse("programs:create"), program_form_data())
    program = Program.objects.get(pemda=pemda)

    html = client.get(reverse("programs:detail", args=[program.pk])).content.decode()

    # PP 44/2015 Pasal 20; PP 82/2019: Rp 10.000 JKK + Rp 6.800 JKM = Rp 16.800 per month.
    assert "Rp 16.800" in html
    # 37.500 people × 12 months × Rp 16.800 = Rp 7.560.000.000.
    assert "Rp 7.560.000.000" in html
    assert "PP 44/2015" in html


@pytest.mark.parametrize(
    ("sources", "months", "remainder", "shortfall"),
    [
        # One month of full quota costs 37.500 × Rp 16.800 = Rp 630.000.000.
        # Rp 4.536.000.000 ÷ Rp 630.000.000 = 7 months, Rp 126.000.000 left over;
        # Rp 7.560.000.000 − Rp 4.536.000.000 = Rp 3.024.000.000 missing.
        ([("APBD 2025", "apbd", "4536000000")], 7, "Rp 126.000.000", "Rp 3.024.000.000"),
        # APBD + DBHCHT = Rp 7.560.000.000 = exactly 12 months, nothing left, nothing missing.
        (
            [("APBD 2025", "apbd", "4536000000"), ("DBHCHT 2025", "dbhcht", "3024000000")],
            12,
            "Rp 0",
            None,
        ),
    ],
)
def test_the_funding_sources_decide_how_many_months_are_paid_for(
    admin, program, sources, months, remainder, shortfall
):
    client = client_for(admin)
    for name, kind, amount in sources:
        client.post(
            reverse("programs:funding_add", args=[program.pk]),
            funding_form_data(name=name, kind=kind, amount=amount),
        )

    html = client.get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert program.funding_sources.count() == len(sources)
    assert f"{months} bulan" in html
    assert f"terbiayai untuk kuota penuh, sisa {remainder}" in html
    if shortfall:
        assert f"Dana kurang {shortfall}" in html
    else:
        assert "Dana kurang" not in html


@pytest.mark.parametrize(
    ("start", "kind", "bpjs_code", "relief_excluded", "premium", "relief"),
    [
        # PP 50/2025 Pasal 7: other sectors get 50 % of JKK + JKM for April–December 2026;
        # CSR money is not APBN/APBD (Pasal 3 ayat (5)): Rp 5.000 + Rp 3.400 = Rp 8.400.
        ("2026-04", "csr", "SC", "unknown", "Rp 8.400", True),
        # Paid through the APBD: excluded from the relief, full Rp 16.800.
        ("2026-04", "apbd", "SG", "unknown", "Rp 16.800", False),
        # Before the window opens for other sectors (January 2026): full rate even for CSR.
        ("2026-01", "csr", "SC", "unknown", "Rp 16.800", False),
        # Village funds get the relief by default, unless the source is marked excluded.
        ("2026-04", "add", "SA", "unknown", "Rp 8.400", True),
        ("2026-04", "add", "SA", "true", "Rp 16.800", False),
    ],
)
def test_a_funding_source_shows_the_pp_50_2025_relief_only_inside_its_window(
    admin, pemda, start, kind, bpjs_code, relief_excluded, premium, relief
):
    program = ProgramFactory(
        pemda=pemda, year=2026, start_month=dt.date.fromisoformat(f"{start}-01"), coverage_months=9
    )
    client = client_for(admin)
    client.post(
        reverse("programs:funding_add", args=[program.pk]),
        funding_form_data(
            name="Sumber uji",
            kind=kind,
            amount="1000000000",
            bpjs_code=bpjs_code,
            relief_excluded=relief_excluded,
        ),
    )

    html = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    row = row_containing(html, "Sumber uji")

    assert premium in row
    assert ("keringanan" in row) is relief


def test_a_program_without_jkm_is_refused_in_indonesian(admin, pemda):
    response = client_for(admin).post(
        reverse("programs:create"), program_form_data(benefits=["JKK"])
    )

    assert response.status_code == 200
    assert "Program BPU wajib mencakup JKK dan JKM." in response.content.decode()
    assert not Program.objects.filter(pemda=pemda).exists()


@pytest.mark.parametrize("start_month", ["2024-12", "2026-01"])
def test_a_start_month_outside_the_program_year_is_refused(admin, pemda, start_month):
    response = client_for(admin).post(
        reverse("programs:create"), program_form_data(start_month=start_month)
    )

    assert "Bulan mulai harus di tahun program." in response.content.decode()
    assert not Program.objects.filter(pemda=pemda).exists()


def test_cover_running_past_december_is_refused(admin, pemda):
    # June + 12 months would end in May of the next budget year.
    response = client_for(admin).post(
        reverse("programs:create"), program_form_data(start_month="2025-06", coverage_months="12")
    )

    assert "Masa perlindungan melewati akhir tahun." in response.content.decode()
    assert not Program.objects.filter(pemda=pemda).exists()


def test_a_second_program_with_the_same_code_is_refused(admin, pemda, program):
    response = client_for(admin).post(
        reverse("programs:create"), program_form_data(code=program.code)
    )

    assert "Kode program pekerja-rentan-2025 sudah dipakai." in response.content.decode()
    assert Program.objects.filter(pemda=pemda).count() == 1


def test_admin_edits_a_program_and_its_version_moves_on(admin, program):
    response = client_for(admin).post(
        reverse("programs:edit", args=[program.pk]),
        program_form_data(quota="40000", version=str(program.version)),
    )

    program.refresh_from_db()
    assert response.status_code == 302
    assert (program.quota, program.version) == (40_000, 2)


def test_an_edit_from_a_stale_form_is_refused_and_changes_nothing(admin, program):
    # Someone else saved the program after Alice opened her form at version 1.
    program_update(actor=admin, program=program, version=1, name="Nama baru")

    response = client_for(admin).post(
        reverse("programs:edit", args=[program.pk]),
        program_form_data(quota="40000", name="Nama Alice", version="1"),
    )

    program.refresh_from_db()
    assert response.status_code == 200
    assert "diubah oleh pengguna lain" in response.content.decode()
    assert (program.name, program.quota, program.version) == ("Nama baru", 37_500, 2)
    assert AuditEvent.objects.filter(action="program.updated").count() == 1


def test_operator_sees_the_program_but_not_its_funding(operator, program, admin):
    funding_source_add(
        actor=admin,
        program=program,
        name="APBD Disnakertrans 2025",
        kind=FundingKind.APBD,
        amount=4_536_000_000,
        bpjs_code="SG",
    )

    detail = client_for(operator).get(reverse("programs:detail", args=[program.pk]))
    listing = client_for(operator).get(reverse("programs:list"))

    html = detail.content.decode()
    assert detail.status_code == 200
    assert program.name in html
    assert "Sumber dana" not in html
    assert "Anggaran" not in html
    assert "APBD Disnakertrans" not in html
    assert "4.536.000.000" not in html
    assert "Ubah program" not in html
    assert "Pagu dana" not in listing.content.decode()
    assert "4.536.000.000" not in listing.content.decode()


def test_admin_sees_the_funding_total_on_the_program_list(admin, program):
    funding_source_add(
        actor=admin,
        program=program,
        name="APBD",
        kind=FundingKind.APBD,
        amount=4_536_000_000,
        bpjs_code="SG",
    )

    html = client_for(admin).get(reverse("programs:list")).content.decode()

    assert "Pagu dana" in html
    assert "Rp 4.536.000.000" in row_containing(html, program.code)


def test_the_program_pages_write_the_year_without_a_thousands_separator(admin, program):
    # USE_THOUSAND_SEPARATOR with the Indonesian locale would print 2025 as "2.025".
    detail = client_for(admin).get(reverse("programs:detail", args=[program.pk]))
    listing = client_for(admin).get(reverse("programs:list"))

    assert "Tahun 2025" in detail.content.decode()
    assert "2.025" not in detail.content.decode()
    assert "<td>2025</td>" in row_containing(listing.content.decode(), program.code)

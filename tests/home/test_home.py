"""The home page of each role: what they are there to do, and a menu fitting their rights."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lindung.accounts.models import AgencyKind, Role
from lindung.programs.models import FundingKind
from lindung.programs.services import funding_source_add, quota_set
from tests.conftest import client_for
from tests.factories import AgencyFactory, ProgramFactory, UserFactory

BESUKI_VILLAGE = "35.04.15.2001"  # a desa of Kec. Besuki, Tulungagung

# The phrase that tells each role what the page is for.
KEY_PHRASES = {
    Role.ADMIN: ["Yang perlu dilakukan"],
    Role.AGENCY_OPERATOR: ["atas nama instansi Anda", "Kolom yang diperlukan"],
    Role.VILLAGE_OPERATOR: ["atas nama instansi Anda", "Kolom yang diperlukan"],
    Role.VERIFIER: ["memverifikasi"],
    Role.APPROVER: ["menyetujui"],
    Role.FINANCE: ["tagihan"],
    Role.BPJS_OFFICER: ["KPJ"],
    Role.LEADER: ["Ringkasan"],
}
ADMIN_ONLY_MENU = ("accounts:user_list", "accounts:audit_list")


def _user(role, pemda, agency):
    if role == Role.AGENCY_OPERATOR:
        return UserFactory(pemda=pemda, role=role, agency=agency)
    if role == Role.VILLAGE_OPERATOR:
        village = AgencyFactory(
            pemda=pemda, name="Desa Uji", kind=AgencyKind.VILLAGE, village_id=BESUKI_VILLAGE
        )
        return UserFactory(pemda=pemda, role=role, agency=village)
    return UserFactory(pemda=pemda, role=role)


def _menu(html: str) -> str:
    menus = re.findall(r'<nav class="mainnav".*?</nav>', html, flags=re.S)
    assert len(menus) == 1
    return menus[0]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_home_page(pemda, agency, program, role):
    user = _user(role, pemda, agency)

    response = client_for(user).get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    for phrase in KEY_PHRASES[role]:
        assert phrase in html
    # Nobody else is told to prepare worker lists, nor given the admin's to-do list.
    assert ("Kolom yang diperlukan" in html) is user.is_agency_scoped
    assert ("Yang perlu dilakukan" in html) is (role == Role.ADMIN or user.is_agency_scoped)


@pytest.mark.parametrize("role", list(Role))
def test_only_the_admin_sees_users_and_the_audit_log_in_the_menu(pemda, agency, role):
    user = _user(role, pemda, agency)

    menu = _menu(client_for(user).get(reverse("home")).content.decode())

    for name in ADMIN_ONLY_MENU:
        assert (f'href="{reverse(name)}"' in menu) is (role == Role.ADMIN)
    assert ("Pengguna" in menu) is (role == Role.ADMIN)
    assert ("Log audit" in menu) is (role == Role.ADMIN)
    assert f'href="{reverse("programs:list")}"' in menu


def test_the_admin_home_links_to_the_program_and_counts_what_is_done(admin, agency, program):
    funding_source_add(
        actor=admin, program=program, name="APBD", kind=FundingKind.APBD, amount=1, bpjs_code="SG"
    )
    quota_set(actor=admin, program=program, agency=agency, quota=5_000)

    html = client_for(admin).get(reverse("home")).content.decode()

    assert f'href="{reverse("programs:detail", args=[program.pk])}"' in html
    assert "1 sumber dana tercatat." in html
    assert "Kuota terbagi ke instansi: 5.000 dari 37.500." in html


def test_the_admin_without_a_program_is_asked_to_create_one(admin):
    html = client_for(admin).get(reverse("home")).content.decode()

    assert f'href="{reverse("programs:create")}"' in html
    assert "Buat program tahun ini" in html


def test_the_operator_home_shows_the_agency_quota(admin, operator, agency, program):
    quota_set(actor=admin, program=program, agency=agency, quota=5_000)

    html = client_for(operator).get(reverse("home")).content.decode()

    assert "5.000" in html
    assert "kuota Anda di Pekerja Rentan 2025" in html


def test_a_user_without_a_pemda_is_told_to_ask_the_admin(db):
    orphan = UserFactory(pemda=None, role="")

    response = client_for(orphan).get(reverse("home"))

    assert response.status_code == 403
    assert "belum terhubung ke Pemda" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENCY_OPERATOR, Role.LEADER])
def test_the_home_page_needs_a_bounded_number_of_queries(
    pemda, agency, admin, role, django_assert_max_num_queries
):
    for year in (2024, 2025, 2026):
        program = ProgramFactory(pemda=pemda, year=year, start_month=f"{year}-01-01")
        funding_source_add(
            actor=admin,
            program=program,
            name="APBD",
            kind=FundingKind.APBD,
            amount=630_000_000,
            bpjs_code="SG",
        )
    client = client_for(_user(role, pemda, agency))

    # 19: one for the unpaid-contribution alerts of finance and the Disnaker (issue 12).
    with django_assert_max_num_queries(19):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("programs", [1, 8])
def test_the_program_list_needs_the_same_queries_for_one_program_or_many(
    pemda, admin, programs, django_assert_max_num_queries
):
    for n in range(programs):
        program = ProgramFactory(pemda=pemda)
        funding_source_add(
            actor=admin,
            program=program,
            name=f"APBD {n}",
            kind=FundingKind.APBD,
            amount=1,
            bpjs_code="SG",
        )
    client = client_for(admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("programs:list"))

    assert response.content.decode().count("<tr><td><a href=") == programs


@pytest.mark.parametrize("role", [Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR])
def test_the_operator_home_names_the_agency_once_in_the_top_bar(pemda, agency, program, role):
    user = _user(role, pemda, agency)

    html = client_for(user).get(reverse("home")).content.decode()

    main = html[html.index("<main") :]
    assert user.agency.name in html
    assert user.agency.name not in main

"""The foundation issue's "done when": an agency operator sees nothing of another agency,
and a user of one Pemda nothing of another. Each case is checked with three named users:
alice (admin, may), bob/carol (operators of two agencies) and dave (admin of another Pemda)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lindung.audit.services import audit_record
from lindung.rules.models import RuleVersion
from tests.conftest import client_for
from tests.factories import OccupationFactory, ProgramFactory, UserFactory

# Build one marked Tulungagung record per list page; return the text that shows it.
LIST_PAGES = {
    "programs:list": lambda pemda, admin: (
        ProgramFactory(pemda=pemda, name="Program Nelayan Tulungagung").name
    ),
    "programs:occupation_list": lambda pemda, admin: (
        OccupationFactory(pemda=pemda, name="Penderes Nira Tulungagung").name
    ),
    "accounts:agency_list": lambda pemda, admin: pemda.agencies.first().name,
    "accounts:user_list": lambda pemda, admin: f"<code>{admin.username}</code>",
    "accounts:audit_list": lambda pemda, admin: (
        audit_record(
            actor=admin, action="program.updated", pemda=pemda, label="Jejak Tulungagung"
        ).object_label
    ),
    "rules:list": lambda pemda, admin: (
        RuleVersion.objects.create(
            pemda=pemda,
            kind=RuleVersion.objects.filter(pemda__isnull=True).first().kind,
            version="Perbup Tulungagung 7/2025",
            effective_from="2025-01-01",
            legal_basis="Perbup Tulungagung 7/2025",
            payload=RuleVersion.objects.filter(pemda__isnull=True).first().payload,
        ).version
    ),
}


@pytest.mark.parametrize("url_name", list(LIST_PAGES))
def test_an_admin_of_another_pemda_sees_nothing_of_this_pemda_on_any_list(
    url_name, pemda, admin, agency, foreign_admin
):
    marker = LIST_PAGES[url_name](pemda, admin)

    alices_page = client_for(admin).get(reverse(url_name))
    daves_page = client_for(foreign_admin).get(reverse(url_name))

    assert alices_page.status_code == 200
    assert marker in alices_page.content.decode()
    assert daves_page.status_code == 200
    assert marker not in daves_page.content.decode()


def _edit_urls(pemda, admin, agency):
    return {
        "program": reverse("programs:detail", args=[ProgramFactory(pemda=pemda).pk]),
        "program-edit": reverse("programs:edit", args=[ProgramFactory(pemda=pemda).pk]),
        "occupation": reverse("programs:occupation_edit", args=[OccupationFactory(pemda=pemda).pk]),
        "agency": reverse("accounts:agency_edit", args=[agency.pk]),
        "user": reverse("accounts:user_edit", args=[admin.pk]),
    }


@pytest.mark.parametrize("page", ["program", "program-edit", "occupation", "agency", "user"])
def test_an_admin_of_another_pemda_gets_404_for_each_record_of_this_pemda(
    page, pemda, admin, agency, foreign_admin
):
    url = _edit_urls(pemda, admin, agency)[page]

    assert client_for(admin).get(url).status_code == 200
    response = client_for(foreign_admin).get(url)

    assert response.status_code == 404
    assert "Data tidak ditemukan" in response.content.decode()


def _without_csrf(html: str) -> str:
    # The CSRF token is masked afresh on every render; everything else must be identical.
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', "", html)


def test_a_record_of_another_pemda_looks_exactly_like_one_that_does_not_exist(
    agency, foreign_admin
):
    client = client_for(foreign_admin)

    out_of_scope = client.get(reverse("accounts:agency_edit", args=[agency.pk]))
    missing = client.get(reverse("accounts:agency_edit", args=[agency.pk + 10_000]))

    assert out_of_scope.status_code == missing.status_code == 404
    assert _without_csrf(out_of_scope.content.decode()) == _without_csrf(missing.content.decode())


def test_rules_show_the_national_versions_and_the_own_pemdas_but_never_another_pemdas(
    admin, operator, foreign_admin, other_pemda
):
    national = RuleVersion.objects.filter(pemda__isnull=True).first()
    RuleVersion.objects.create(
        pemda=other_pemda,
        kind=national.kind,
        version="Perbup Trenggalek 3/2025",
        effective_from="2025-01-01",
        legal_basis="Perbup Trenggalek 3/2025",
        payload=national.payload,
    )

    alices_page = client_for(admin).get(reverse("rules:list")).content.decode()
    daves_page = client_for(foreign_admin).get(reverse("rules:list")).content.decode()

    assert national.version in alices_page
    assert "Perbup Trenggalek 3/2025" not in alices_page
    assert national.version in daves_page
    assert "Perbup Trenggalek 3/2025" in daves_page
    assert client_for(operator).get(reverse("rules:list")).status_code == 403


def test_an_operator_sees_only_their_own_agency_in_the_agency_list(
    operator, other_operator, agency, other_agency
):
    bobs_page = client_for(operator).get(reverse("accounts:agency_list")).content.decode()

    assert agency.name in bobs_page
    assert other_agency.name not in bobs_page


ADMIN_ONLY = [
    ("accounts:user_list", []),
    ("accounts:user_create", []),
    ("accounts:audit_list", []),
    ("accounts:agency_create", []),
    ("programs:create", []),
    ("programs:occupation_create", []),
]


@pytest.mark.parametrize(("url_name", "args"), ADMIN_ONLY, ids=[u for u, _ in ADMIN_ONLY])
def test_operators_are_refused_the_admin_pages(url_name, args, admin, operator, other_operator):
    url = reverse(url_name, args=args)

    assert client_for(admin).get(url).status_code == 200
    for user in (operator, other_operator):
        response = client_for(user).get(url)
        assert response.status_code == 403
        assert "bukan untuk peran Anda" in response.content.decode()


def test_an_operator_may_not_open_the_edit_page_of_their_own_agency(operator, agency):
    response = client_for(operator).get(reverse("accounts:agency_edit", args=[agency.pk]))

    assert response.status_code == 403


@pytest.fixture
def drifter(db):
    """Erin has an account but no Pemda yet."""
    return UserFactory(username="erin", pemda=None, role="")


def test_a_user_without_pemda_is_told_the_account_is_not_connected(drifter):
    response = client_for(drifter).get(reverse("home"))

    assert response.status_code == 403
    assert "belum terhubung" in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["programs:list", "workers:list", "accounts:agency_list", "rules:list", "accounts:audit_list"],
)
def test_a_user_without_pemda_sees_no_page_of_any_pemda(url_name, drifter, agency):
    ProgramFactory(pemda=agency.pemda, name="Program Nelayan Tulungagung")

    response = client_for(drifter).get(reverse(url_name))

    assert response.status_code == 403
    assert agency.name not in response.content.decode()
    assert "Program Nelayan Tulungagung" not in response.content.decode()

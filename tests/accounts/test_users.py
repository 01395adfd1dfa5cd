"""The admin's user pages: one account per role, operators tied to an agency, audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import AgencyKind, Role, User
from lindung.audit.models import AuditEvent
from tests.conftest import PASSWORD, client_for
from tests.factories import AgencyFactory

CREATE = reverse("accounts:user_create")


@pytest.fixture
def village(pemda):
    return AgencyFactory(
        pemda=pemda,
        code="besole",
        name="Desa Besole",
        kind=AgencyKind.VILLAGE,
        village_id="35.04.15.2001",
    )


def user_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "rina",
        "first_name": "Rina Wulandari",
        "email": "rina@tulungagung.example",
        "phone": "081234567890",
        "password": PASSWORD,
        "agency": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", Role.values)
def test_an_admin_creates_a_user_of_each_role(role, admin, pemda, agency, village):
    tied_to = {Role.AGENCY_OPERATOR: agency, Role.VILLAGE_OPERATOR: village}.get(role)

    response = client_for(admin).post(
        CREATE, user_data(role=role, agency=tied_to.pk if tied_to else agency.pk)
    )

    assert response.status_code == 302
    user = User.objects.get(username="rina")
    assert (user.pemda, user.role, user.agency) == (pemda, role, tied_to)
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.created")
    assert event.actor == admin
    assert event.pemda == pemda
    assert event.changes["role"] == [None, role]
    assert "password" not in event.changes
    assert PASSWORD not in str(event.changes)


@pytest.mark.parametrize(
    ("role", "agency_fixture", "message"),
    [
        (Role.AGENCY_OPERATOR, None, "Wajib untuk Operator OPD dan Operator Desa"),
        (Role.AGENCY_OPERATOR, "village", "Operator OPD harus terhubung ke sebuah OPD"),
        (Role.VILLAGE_OPERATOR, "agency", "Operator Desa harus terhubung ke sebuah desa"),
    ],
    ids=["opd-without-agency", "opd-tied-to-village", "village-tied-to-opd"],
)
def test_an_operator_must_be_tied_to_an_agency_of_the_right_kind(
    role, agency_fixture, message, request, admin
):
    tied_to = request.getfixturevalue(agency_fixture) if agency_fixture else None

    response = client_for(admin).post(
        CREATE, user_data(role=role, agency=tied_to.pk if tied_to else "")
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="rina").exists()


def test_an_admin_may_not_tie_a_user_to_an_agency_of_another_pemda(admin, other_pemda):
    foreign_agency = AgencyFactory(pemda=other_pemda, name="Dinas Perikanan Trenggalek")

    response = client_for(admin).post(
        CREATE, user_data(role=Role.AGENCY_OPERATOR, agency=foreign_agency.pk)
    )

    assert response.status_code == 200
    assert "pilihan yang valid" in response.content.decode()
    assert not User.objects.filter(username="rina").exists()


def test_a_weak_initial_password_is_refused_in_indonesian(admin):
    response = client_for(admin).post(CREATE, user_data(role=Role.VERIFIER, password="rahasia"))

    assert response.status_code == 200
    assert "terlalu pendek" in response.content.decode()
    assert "Kata sandi harus memuat" in response.content.decode()
    assert not User.objects.filter(username="rina").exists()


def test_an_edit_records_the_old_and_new_values(admin, operator, agency, other_agency):
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.pk]),
        {
            "first_name": "Bob Santoso",
            "role": Role.AGENCY_OPERATOR,
            "agency": other_agency.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.agency == other_agency
    event = AuditEvent.objects.get(action="user.updated")
    assert event.object_id == str(operator.pk)
    assert event.changes["agency"] == [agency.pk, other_agency.pk]
    assert event.changes["first_name"] == ["", "Bob Santoso"]
    assert "username" not in event.changes


def test_an_admin_may_not_demote_themself(admin):
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {"first_name": "Alice", "role": Role.VERIFIER, "is_active": "on"},
    )

    assert response.status_code == 200
    assert "tidak dapat mencabut peran admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN

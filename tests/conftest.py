"""Shared fixtures: the region tree of East Java loaded once per test database, and three
named users per permission test (STYLE §10): one who may, one in another agency, one in
another Pemda."""

from __future__ import annotations

import pytest
from django.test import Client

from lindung.accounts.models import AgencyKind, Role
from lindung.programs.models import Occupation
from lindung.programs.services import occupations_seed_defaults
from lindung.regions.services import regions_load
from tests.factories import (
    AgencyFactory,
    FundingSourceFactory,
    PemdaFactory,
    ProgramFactory,
    UserFactory,
)

PASSWORD = "Rahasia#Uji2025"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Jawa Timur (35) holds Tulungagung and its neighbours; loading all 91k regions for every
    # test database would cost seconds for nothing.
    with django_db_blocker.unblock():
        regions_load(province="35")


@pytest.fixture(autouse=True)
def _register_cache(settings, tmp_path):
    # Each test database numbers its snapshots from 1: keep their caches apart.
    settings.REGISTER_CACHE_DIR = tmp_path / "register-cache"


@pytest.fixture
def pemda(db):
    return PemdaFactory(code="tulungagung", name="Pemkab Tulungagung", region_id="35.04")


@pytest.fixture
def other_pemda(db):
    return PemdaFactory(code="trenggalek", name="Pemkab Trenggalek", region_id="35.03")


@pytest.fixture
def agency(pemda):
    return AgencyFactory(pemda=pemda, code="perikanan", name="Dinas Perikanan")


@pytest.fixture
def other_agency(pemda):
    return AgencyFactory(pemda=pemda, code="dishub", name="Dinas Perhubungan")


@pytest.fixture
def admin(pemda):
    return UserFactory(username="alice", pemda=pemda, role=Role.ADMIN)


@pytest.fixture
def operator(agency):
    """Bob operates for Dinas Perikanan."""
    return UserFactory(username="bob", pemda=agency.pemda, role=Role.AGENCY_OPERATOR, agency=agency)


@pytest.fixture
def other_operator(other_agency):
    """Carol operates for Dinas Perhubungan, same Pemda."""
    return UserFactory(
        username="carol", pemda=other_agency.pemda, role=Role.AGENCY_OPERATOR, agency=other_agency
    )


@pytest.fixture
def foreign_admin(other_pemda):
    """Dave administers another Pemda."""
    return UserFactory(username="dave", pemda=other_pemda, role=Role.ADMIN)


@pytest.fixture
def program(pemda):
    """An open 2025 program of Tulungagung covering the default informal job list."""
    occupations_seed_defaults(actor="test", pemda=pemda)
    program = ProgramFactory(pemda=pemda, code="pekerja-rentan-2025", name="Pekerja Rentan 2025")
    program.occupations.set(Occupation.objects.filter(pemda=pemda))
    return program


@pytest.fixture
def village_agency(pemda):
    """Desa Besole of Kecamatan Besuki (35.04.15), handing in its own list."""
    return AgencyFactory(
        pemda=pemda,
        code="desa-besole",
        name="Desa Besole",
        kind=AgencyKind.VILLAGE,
        village_id="35.04.15.2001",
    )


@pytest.fixture
def verifier(pemda):
    return UserFactory(username="erin", pemda=pemda, role=Role.VERIFIER)


@pytest.fixture
def approver(pemda):
    """The Kepala Dinas: approves or returns allocation proposals."""
    return UserFactory(username="kadis", pemda=pemda, role=Role.APPROVER)


@pytest.fixture
def finance(pemda):
    return UserFactory(username="bpkad", pemda=pemda, role=Role.FINANCE)


@pytest.fixture
def funding_source(program):
    """The program's APBD money (Rp 7,56 miliar, BPJS code SG) paying for every agency."""
    return FundingSourceFactory(program=program, name="APBD Kabupaten", code="apbd")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client

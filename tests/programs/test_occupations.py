"""The informal job list and the spellings agencies use for each job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.programs.models import Occupation
from lindung.programs.services import occupation_update, occupations_seed_defaults
from tests.conftest import client_for
from tests.factories import OccupationFactory
from tests.programs.helpers import messages_of


def _form(**overrides):
    data = {"name": "Pengemudi Ojek Online", "synonyms": "", "risk": "high", "is_active": "on"}
    data.update(overrides)
    return data


def test_admin_adds_an_occupation_and_returns_to_the_list(admin, pemda):
    response = client_for(admin).post(reverse("programs:occupation_create"), _form(), follow=True)

    assert response.redirect_chain == [(reverse("programs:occupation_list"), 302)]
    assert "Jenis pekerjaan ditambahkan." in messages_of(response)
    assert "Pengemudi Ojek Online" in response.content.decode()
    occupation = Occupation.objects.get(pemda=pemda)
    assert (occupation.risk, occupation.is_active) == ("high", True)
    assert AuditEvent.objects.filter(action="occupation.created", actor=admin).count() == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("OJOL, Ojek Online ,  driver ojol", ["driver ojol", "ojek online", "ojol"]),
        ("ojol,,OJOL, ", ["ojol"]),
        ("", []),
    ],
)
def test_synonyms_are_split_on_commas_lower_cased_and_deduplicated(admin, pemda, typed, stored):
    client_for(admin).post(reverse("programs:occupation_create"), _form(synonyms=typed))

    assert Occupation.objects.get(pemda=pemda).synonyms == stored


def test_a_duplicate_occupation_name_is_refused(admin, pemda):
    OccupationFactory(pemda=pemda, name="Nelayan")

    response = client_for(admin).post(reverse("programs:occupation_create"), _form(name="Nelayan"))

    assert response.status_code == 200
    assert "Jenis pekerjaan Nelayan sudah ada." in response.content.decode()
    assert Occupation.objects.filter(pemda=pemda).count() == 1


def test_admin_edits_an_occupation_and_the_change_is_audited(admin, pemda):
    occupation = OccupationFactory(pemda=pemda, name="Ojol", synonyms=["ojol"])

    client_for(admin).post(
        reverse("programs:occupation_edit", args=[occupation.pk]),
        _form(synonyms="Grab, Gojek", version="1"),
    )

    occupation.refresh_from_db()
    assert (occupation.name, occupation.synonyms, occupation.version) == (
        "Pengemudi Ojek Online",
        ["gojek", "grab"],
        2,
    )
    event = AuditEvent.objects.get(action="occupation.updated")
    assert event.changes["name"] == ["Ojol", "Pengemudi Ojek Online"]
    assert event.changes["synonyms"] == [["ojol"], ["gojek", "grab"]]


def test_renaming_to_an_existing_name_is_refused(admin, pemda):
    OccupationFactory(pemda=pemda, name="Nelayan")
    occupation = OccupationFactory(pemda=pemda, name="Petani")

    response = client_for(admin).post(
        reverse("programs:occupation_edit", args=[occupation.pk]),
        _form(name="Nelayan", version="1"),
    )

    occupation.refresh_from_db()
    assert "Jenis pekerjaan Nelayan sudah ada." in response.content.decode()
    assert occupation.name == "Petani"


def test_an_occupation_edit_from_a_stale_form_is_refused(admin, pemda):
    occupation = OccupationFactory(pemda=pemda, name="Petani")
    occupation_update(actor=admin, occupation=occupation, version=1, risk="low")

    response = client_for(admin).post(
        reverse("programs:occupation_edit", args=[occupation.pk]),
        _form(name="Pekebun", version="1"),
    )

    occupation.refresh_from_db()
    assert "diubah oleh pengguna lain" in response.content.decode()
    assert (occupation.name, occupation.risk) == ("Petani", "low")


@pytest.mark.parametrize("url_name", ["programs:occupation_list", "programs:occupation_create"])
def test_operators_get_403_on_the_occupation_pages(operator, url_name):
    assert client_for(operator).get(reverse(url_name)).status_code == 403


def test_another_pemdas_admin_gets_404_on_an_occupation_not_theirs(foreign_admin, pemda):
    occupation = OccupationFactory(pemda=pemda, name="Nelayan")

    response = client_for(foreign_admin).post(
        reverse("programs:occupation_edit", args=[occupation.pk]), _form(version="1")
    )

    occupation.refresh_from_db()
    assert response.status_code == 404
    assert occupation.name == "Nelayan"


def test_the_shipped_occupation_list_is_loaded_once(admin, pemda):
    added = occupations_seed_defaults(actor=admin, pemda=pemda)
    again = occupations_seed_defaults(actor=admin, pemda=pemda)

    ojol = Occupation.objects.get(pemda=pemda, name="Pengemudi Ojek Online")
    assert added >= 40
    assert again == 0
    assert Occupation.objects.filter(pemda=pemda).count() == added
    assert "ojol" in ojol.synonyms
    assert all(s == s.lower() for o in Occupation.objects.all() for s in o.synonyms)
    assert AuditEvent.objects.filter(action="occupation.defaults_loaded").count() == 2


def test_loading_the_shipped_list_keeps_an_occupation_the_pemda_already_has(admin, pemda):
    mine = OccupationFactory(pemda=pemda, name="Nelayan", synonyms=["nelayan kecil"])

    occupations_seed_defaults(actor=admin, pemda=pemda)

    mine.refresh_from_db()
    assert mine.synonyms == ["nelayan kecil"]
    assert Occupation.objects.filter(pemda=pemda, name="Nelayan").count() == 1

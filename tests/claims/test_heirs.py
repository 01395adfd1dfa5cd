"""Heirs of a death claim in the order of PP 44/2015 Pasal 40 ayat (2): the first in order
receives; adding and removing is audited and refused once BPJS has paid."""

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.claims.heirs import heir_add, heir_receiving, heir_remove
from lindung.claims.models import ClaimStatus, Heir
from lindung.claims.services import Incident, claim_report
from lindung.common.errors_domain import ServiceError
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WIFE_NIK = "3504016503780002"
SON_NIK = "3504011001020003"
MOTHER_NIK = "3504014204500004"


def report(enrolment, actor, kind="JKM", **more):
    incident = Incident(
        kind=kind, incident_on=dt.date(2025, 3, 20), place="Desa Sumberdadi",
        reported_by="family", reporter_name="Siti Aminah", **more,
    )  # fmt: skip
    return claim_report(actor=actor, enrolment=enrolment, incident=incident)


@pytest.fixture
def claim(participant, verifier):
    return report(participant, verifier)


def test_the_spouse_receives_before_a_child_and_a_parent_whatever_the_entry_order(claim, verifier):
    heir_add(actor=verifier, claim=claim, name="Sri Wahyuni", relationship="parent",
             nik=MOTHER_NIK)  # fmt: skip
    heir_add(actor=verifier, claim=claim, name="Budi", relationship="child", nik=SON_NIK)
    heir_add(actor=verifier, claim=claim, name="Siti Aminah", relationship="spouse",
             nik=WIFE_NIK, birth_date=dt.date(1978, 3, 25), phone="081234567890")  # fmt: skip
    assert heir_receiving(claim.heirs.all()).name == "Siti Aminah"


def test_within_one_relationship_the_rank_decides(claim, verifier):
    heir_add(actor=verifier, claim=claim, name="Adik", relationship="child", nik=SON_NIK, rank=2)
    heir_add(actor=verifier, claim=claim, name="Sulung", relationship="child",
             nik="3504011505990005", rank=1)  # fmt: skip
    assert heir_receiving(claim.heirs.all()).name == "Sulung"


def test_without_heirs_nobody_is_named(claim):
    assert heir_receiving(claim.heirs.all()) is None


def test_adding_and_removing_is_audited_with_the_nik_masked(claim, verifier):
    heir = heir_add(actor=verifier, claim=claim, name="Budi", relationship="child", nik=SON_NIK)
    heir_remove(actor=verifier, heir=heir)
    events = AuditEvent.objects.filter(action__startswith="claim.heir_").order_by("pk")
    assert [e.action for e in events] == ["claim.heir_added", "claim.heir_removed"]
    assert SON_NIK not in str(events[0].changes)
    assert not Heir.objects.exists()


def test_it_refuses_a_wrong_nik_an_unknown_relationship_and_an_operator(claim, verifier, operator):
    with pytest.raises(ServiceError, match="NIK"):
        heir_add(actor=verifier, claim=claim, name="Budi", relationship="child", nik="12345")
    with pytest.raises(ServiceError):
        heir_add(actor=verifier, claim=claim, name="Budi", relationship="cousin", nik=SON_NIK)
    with pytest.raises(ServiceError):
        heir_add(actor=operator, claim=claim, name="Budi", relationship="child", nik=SON_NIK)
    assert not Heir.objects.exists()


def test_heirs_are_only_for_a_death_and_frozen_once_paid(participant, claim, verifier, admin):
    accident = report(participant, admin, kind="JKK-CTT")
    with pytest.raises(ServiceError, match="kematian"):
        heir_add(actor=verifier, claim=accident, name="Budi", relationship="child", nik=SON_NIK)
    claim.status = ClaimStatus.PAID
    with pytest.raises(ServiceError, match="dibayar"):
        heir_add(actor=verifier, claim=claim, name="Budi", relationship="child", nik=SON_NIK)


def test_the_claim_page_shows_who_receives_and_a_bad_nik_is_a_message(claim, verifier):
    client = client_for(verifier)
    url = reverse("claims:heir_add", args=[claim.pk])
    data = {"name": "Siti Aminah", "relationship": "spouse", "nik": WIFE_NIK, "rank": "1"}
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Ahli waris dicatat." in page
    assert "Penerima manfaat: Siti Aminah" in page
    assert WIFE_NIK not in page  # masked
    bad = client.post(url, {**data, "nik": "99"}, follow=True)
    assert bad.status_code == 200
    assert "NIK ahli waris tidak valid" in bad.content.decode()
    assert Heir.objects.count() == 1

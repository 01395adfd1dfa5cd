"""The allocation page: who may see it, what it shows, what-ifs that write nothing, the
verifier's proposal and the proposal's page; renewal from the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.enrollment.models import Allocation, AllocationStatus
from lindung.intake.models import Submission, SubmissionSource
from lindung.workers.models import EnrolmentStatus
from tests.conftest import client_for
from tests.enrollment.allocation_data import candidates, finished_run
from tests.factories import EnrolmentFactory, FundingSourceFactory, ProgramFactory

URL = reverse("enrollment:allocation")


@pytest.fixture
def ready(program, agency):
    program.quota = 3
    program.save()
    FundingSourceFactory(program=program, name="APBD Kabupaten", code="apbd", amount=10_000_000)
    candidates(finished_run(program), agency, 5)
    return program


@pytest.mark.parametrize(("who", "status"), [
    ("verifier", 200), ("admin", 200), ("approver", 200), ("operator", 403), ("finance", 403),
])  # fmt: skip
def test_verifiers_admins_and_the_kepala_dinas_may_see_it(ready, who, status, request):
    response = client_for(request.getfixturevalue(who)).get(URL, {"program": ready.pk})
    assert response.status_code == status


def test_another_pemdas_program_is_not_found(ready, foreign_admin):
    assert client_for(foreign_admin).get(URL, {"program": ready.pk}).status_code == 404


def test_it_shows_capacity_and_the_simulation_and_writes_nothing(ready, verifier):
    response = client_for(verifier).get(
        URL, {"program": ready.pk, "quota": "4", "start": "2025-12", "benefits": "jht"}
    )
    page = response.content.decode()
    assert "Kapasitas saat ini" in page
    assert "APBD Kabupaten" in page
    # December only with JHT: Rp 36.800 a person; 4 of 5 fit the what-if quota of 4.
    assert response.context["sim"].allocated == 4
    assert "Rp 147.200" in page  # 4 × 36.800
    assert "Kuota program penuh".lower() in page
    assert "Ajukan alokasi" in page
    assert not Allocation.objects.exists()


def test_the_kepala_dinas_sees_no_propose_button(ready, approver):
    page = client_for(approver).get(URL, {"program": ready.pk}).content.decode()
    assert "Ajukan alokasi" not in page


def test_the_verifier_proposes_with_the_real_quota_and_lands_on_the_proposal(ready, verifier):
    client = client_for(verifier)
    response = client.post(
        reverse("enrollment:allocation_propose"), {"program": ready.pk, "start": "2025-12"}
    )
    allocation = Allocation.objects.get()
    assert response.url == reverse("enrollment:allocation_detail", args=[allocation.pk])
    assert (allocation.allocated, allocation.waiting, allocation.status) == (
        3, 2, AllocationStatus.PROPOSED,
    )  # fmt: skip
    page = client.get(response.url).content.decode()
    assert "Usulan #" in page
    assert "Pekerja 1" in page
    assert "3504010101800001" not in page  # NIK masked


def test_the_kepala_dinas_may_not_propose(ready, approver):
    response = client_for(approver).post(
        reverse("enrollment:allocation_propose"), {"program": ready.pk}
    )
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_a_proposal_of_another_pemda_is_not_found(ready, verifier, foreign_admin, other_pemda):
    client_for(verifier).post(
        reverse("enrollment:allocation_propose"), {"program": ready.pk, "start": "2025-12"}
    )
    allocation = Allocation.objects.get()
    url = reverse("enrollment:allocation_detail", args=[allocation.pk])
    assert client_for(foreign_admin).get(url).status_code == 404


def test_renewal_button_hands_last_years_participants_in(program, agency, verifier):
    new = ProgramFactory(pemda=program.pemda, code="rentan-2026", year=2026)
    EnrolmentFactory(program=program, agency=agency, status=EnrolmentStatus.ACTIVE)
    client = client_for(verifier)
    page = client.get(URL, {"program": new.pk}).content.decode()
    assert "Usulkan peserta 2025 untuk perpanjangan" in page

    response = client.post(reverse("enrollment:renewal"), {"program": new.pk}, follow=True)

    assert "1 peserta tahun lalu diserahkan" in response.content.decode()
    assert Submission.objects.get(program=new).source == SubmissionSource.RENEWAL

"""The audit evidence pack: a zip of the period's eligibility basis, proposals and approvers,
bills and payments, reconciliation differences and exclusions with reasons, made in the
background, NIKs masked unless the requester sees them in full, the download audited; a
killed job leaves nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from unittest import mock

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.enrollment.models import (
    Allocation,
    AllocationStatus,
    BpjsImport,
    BpjsImportKind,
    BpjsImportLine,
    ImportLineOutcome,
    LineOutcome,
    WaitReason,
)
from lindung.monitoring import evidence
from lindung.monitoring.evidence import (
    evidence_pack_path,
    evidence_pack_request,
    evidence_pack_run,
)
from lindung.monitoring.models import EvidencePack
from lindung.workers.models import EndReason
from tests.billing.money_rows import bill, pay
from tests.conftest import client_for
from tests.factories import (
    AllocationFactory,
    AllocationLineFactory,
    EnrolmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
NIK = "3504012505800001"


@pytest.fixture
def leader(pemda):
    return UserFactory(username="pimpinan", pemda=pemda, role=Role.LEADER)


@pytest.fixture
def period(program, pemda, agency, funding_source, approver):
    allocation = AllocationFactory(program=program, status=AllocationStatus.APPROVED)
    decided = dt.datetime(2025, 1, 10, 2, 0, tzinfo=dt.UTC)
    type(allocation).objects.filter(pk=allocation.pk).update(
        decided_by=approver, decided_at=decided, proposed_at=decided - dt.timedelta(days=3)
    )
    active = EnrolmentFactory(
        program=program, agency=agency, funding_source=funding_source,
        started_on=dt.date(2025, 1, 1),
    )  # fmt: skip
    ended = EnrolmentFactory(
        program=program, agency=agency, funding_source=funding_source, worker__nik=NIK,
        started_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 3, 14),
        end_reason=EndReason.DECEASED,
    )  # fmt: skip
    bill(funding_source, dt.date(2025, 1, 1), [active, ended], each=16_800)
    pay(funding_source, [dt.date(2025, 1, 1)], paid_on=dt.date(2025, 2, 10), amount=33_600)
    return program


def _made(actor, program):
    pack = evidence_pack_request(actor=actor, program=program, period_start=START, period_end=END)
    return evidence_pack_run(pack_id=pack.pk)


def _rows(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_pack_holds_the_readme_and_every_file_of_the_period(period, leader):
    pack = _made(leader, period)

    assert pack.status == JobStatus.DONE
    with zipfile.ZipFile(evidence_pack_path(pack)) as archive:
        names = archive.namelist()
        assert "README.txt" in names
        assert len(names) == 11
        readme = archive.read("README.txt").decode()
        assert "04-tagihan.csv (1 baris)" in readme
        proposals = _rows(archive, "03-usulan-dan-persetujuan.csv")
        assert proposals[1][2] == "Disetujui"
        assert proposals[1][10]  # the approver is named
        assert _rows(archive, "04-tagihan.csv")[1][4] == "33600"
        assert _rows(archive, "05-pembayaran.csv")[1][4] == "33600"
        ended = _rows(archive, "08-kepesertaan-berakhir.csv")
    assert len(ended) == 2
    assert ended[1][4:6] == ["14-03-2025", "Meninggal dunia"]
    assert pack.files["08-kepesertaan-berakhir.csv"] == 1


def test_a_leader_gets_masked_niks_and_an_admin_full_ones(period, leader, admin):
    for user, shown in ((leader, "3504********0001"), (admin, NIK)):
        pack = _made(user, period)
        with zipfile.ZipFile(evidence_pack_path(pack)) as archive:
            assert _rows(archive, "08-kepesertaan-berakhir.csv")[1][0] == shown


def test_a_killed_job_leaves_no_pack_and_can_be_run_again(period, leader):
    folder = evidence.evidence_pack_folder()
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    pack = evidence_pack_request(actor=leader, program=period, period_start=START, period_end=END)
    with (
        mock.patch.object(evidence._Pack, "payments", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        evidence_pack_run(pack_id=pack.pk)

    pack.refresh_from_db()
    assert pack.status == JobStatus.FAILED
    assert set(folder.iterdir()) == before  # no zip, no part file
    assert evidence_pack_run(pack_id=pack.pk).status == JobStatus.DONE
    assert len(set(folder.iterdir()) - before) == 1


def test_a_verifier_may_not_ask_for_a_pack(period, verifier):
    with pytest.raises(ServiceError):
        evidence_pack_request(actor=verifier, program=period, period_start=START, period_end=END)


def test_a_period_ending_before_it_starts_is_refused(period, leader):
    with pytest.raises(ServiceError):
        evidence_pack_request(actor=leader, program=period, period_start=END, period_end=START)


def test_the_leader_asks_watches_and_downloads_the_pack_and_the_download_is_audited(
    period, leader, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("monitoring:evidence_packs"),
            {"mulai": START.isoformat(), "sampai": END.isoformat()},
        )
    pack = EvidencePack.objects.get()
    assert len(queued) == 1  # the job is queued once the request commits
    assert response.url == reverse("monitoring:evidence_pack", args=[pack.pk])
    waiting = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" in waiting

    evidence_pack_run(pack_id=pack.pk)
    page = client.get(response.url).content.decode()
    assert reverse("monitoring:evidence_pack_file", args=[pack.pk]) in page
    download = client.get(reverse("monitoring:evidence_pack_file", args=[pack.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "README.txt" in archive.namelist()
    assert AuditEvent.objects.filter(action="evidence_pack.requested").count() == 1
    assert AuditEvent.objects.filter(action="evidence_pack.downloaded").count() == 1


def test_another_pemdas_pack_is_not_found(period, leader, other_pemda):
    pack = _made(leader, period)
    stranger = UserFactory(pemda=other_pemda, role=Role.LEADER)

    response = client_for(stranger).get(reverse("monitoring:evidence_pack_file", args=[pack.pk]))

    assert response.status_code == 404


def test_the_exclusions_hold_bpjs_rejections_and_the_waiting_list_with_their_reasons(
    period, leader, pemda, agency
):
    allocation = Allocation.objects.get(program=period)
    AllocationLineFactory(
        allocation=allocation, agency=agency, nik="3504016000000007", name="Sri Wahyuni",
        outcome=LineOutcome.WAITING, wait_reason=WaitReason.BUDGET,
    )  # fmt: skip
    AllocationLineFactory(allocation=allocation, agency=agency)  # allocated: not an exclusion
    source = BpjsImport.objects.create(
        pemda=pemda, program=period, kind=BpjsImportKind.choices[0][0], original_name="hasil.xlsx"
    )
    BpjsImport.objects.filter(pk=source.pk).update(
        created_at=dt.datetime(2025, 2, 1, 3, 0, tzinfo=dt.UTC)  # the file came in February
    )
    BpjsImportLine.objects.create(
        source=source, pemda=pemda, row_number=4, nik="3504016000000009", name="Budi",
        outcome=ImportLineOutcome.REJECTED, reason="NIK tidak terdaftar di Dukcapil",
    )  # fmt: skip
    BpjsImportLine.objects.create(
        source=source, pemda=pemda, row_number=5, nik="3504016000000010", name="Ani",
        outcome=ImportLineOutcome.ACTIVATED,
    )  # fmt: skip

    pack = _made(leader, period)

    with zipfile.ZipFile(evidence_pack_path(pack)) as archive:
        rejected = _rows(archive, "09-ditolak-bpjs.csv")
        waiting = _rows(archive, "10-daftar-tunggu.csv")
    assert [row[2:] for row in rejected[1:]] == [
        ["4", "3504********0009", "Budi", "NIK tidak terdaftar di Dukcapil"]
    ]
    assert [row[2:] for row in waiting[1:]] == [
        ["3504********0007", "Sri Wahyuni", agency.name, "Anggaran tidak cukup"]
    ]

"""Who may do what on a program: Alice (admin) may; Bob (operator, same Pemda) may read but
not write (403); Dave (admin of another Pemda) does not even see it (404, as if it did not
exist). Every write Alice makes leaves an audit event with its dotted action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.programs.models import FundingKind, FundingSource, Program, Quota
from lindung.programs.services import funding_source_add, quota_set
from tests.conftest import client_for
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import funding_form_data, program_form_data


def _writes(program, agency):
    """(method, url, data) of every page that changes a program."""
    return [
        ("get", reverse("programs:create"), None),
        ("post", reverse("programs:create"), program_form_data(code="lain")),
        ("get", reverse("programs:edit", args=[program.pk]), None),
        (
            "post",
            reverse("programs:edit", args=[program.pk]),
            program_form_data(quota="1", version=str(program.version)),
        ),
        ("post", reverse("programs:funding_add", args=[program.pk]), funding_form_data()),
        (
            "post",
            reverse("programs:quota_set", args=[program.pk]),
            {"agency": agency.pk, "quota": "100"},
        ),
    ]


def _state(program):
    program.refresh_from_db()
    return (
        Program.objects.count(),
        FundingSource.objects.count(),
        Quota.objects.count(),
        program.quota,
        program.version,
        AuditEvent.objects.exclude(action="access.denied").count(),  # refusals are audited
    )


@pytest.mark.parametrize("step", range(6))
def test_operator_may_not_change_a_program(operator, agency, program, step):
    method, url, data = _writes(program, agency)[step]
    before = _state(program)

    response = getattr(client_for(operator), method)(url, data)

    assert response.status_code == 403
    assert _state(program) == before


@pytest.mark.parametrize("step", range(2, 6))
def test_another_pemdas_admin_gets_404_on_a_program_not_theirs(
    foreign_admin, agency, program, step
):
    method, url, data = _writes(program, agency)[step]
    before = _state(program)

    response = getattr(client_for(foreign_admin), method)(url, data)

    assert response.status_code == 404
    assert _state(program) == before


def test_another_pemdas_admin_gets_404_on_the_program_page_and_does_not_list_it(
    foreign_admin, program
):
    client = client_for(foreign_admin)

    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404
    assert program.code not in client.get(reverse("programs:list")).content.decode()


def test_another_pemdas_admin_cannot_remove_funding_or_quotas(
    foreign_admin, admin, agency, program
):
    source = funding_source_add(
        actor=admin, program=program, name="APBD", kind=FundingKind.APBD, amount=1, bpjs_code="SG"
    )
    quota = quota_set(actor=admin, program=program, agency=agency, quota=10)
    client = client_for(foreign_admin)

    removing_source = client.post(reverse("programs:funding_remove", args=[program.pk, source.pk]))
    removing_quota = client.post(reverse("programs:quota_remove", args=[program.pk, quota.pk]))

    assert (removing_source.status_code, removing_quota.status_code) == (404, 404)
    assert FundingSource.objects.filter(pk=source.pk).exists()
    assert Quota.objects.filter(pk=quota.pk).exists()


def test_a_source_cannot_be_removed_through_another_program(admin, pemda, program):
    other = ProgramFactory(pemda=pemda, code="lain")
    source = funding_source_add(
        actor=admin, program=other, name="APBD", kind=FundingKind.APBD, amount=1, bpjs_code="SG"
    )

    response = client_for(admin).post(
        reverse("programs:funding_remove", args=[program.pk, source.pk])
    )

    assert response.status_code == 404
    assert FundingSource.objects.filter(pk=source.pk).exists()


def test_verifier_reads_the_budget_but_gets_no_forms(pemda, program):
    verifier = UserFactory(pemda=pemda, role=Role.VERIFIER)

    html = client_for(verifier).get(reverse("programs:detail", args=[program.pk])).content
    html = html.decode()

    assert "Sumber dana" in html
    assert "Rp 16.800" in html
    assert "Tambah sumber dana" not in html
    assert "Ubah program" not in html


def _action_of_each_write(client, program, agency):
    """Run Alice's writes one after another, yielding the action each should record."""
    client.post(reverse("programs:create"), program_form_data(code="baru-2025"))
    yield "program.created", Program.objects.get(code="baru-2025")
    client.post(
        reverse("programs:edit", args=[program.pk]),
        program_form_data(code=program.code, quota="40000", version="1"),
    )
    yield "program.updated", program
    client.post(reverse("programs:funding_add", args=[program.pk]), funding_form_data())
    source = FundingSource.objects.get(program=program)
    yield "funding_source.created", source
    client.post(
        reverse("programs:quota_set", args=[program.pk]), {"agency": agency.pk, "quota": "500"}
    )
    quota = Quota.objects.get(program=program)
    yield "quota.set", quota
    client.post(reverse("programs:quota_remove", args=[program.pk, quota.pk]))
    yield "quota.removed", quota
    client.post(reverse("programs:funding_remove", args=[program.pk, source.pk]))
    yield "funding_source.removed", source


def test_every_write_leaves_an_audit_event_with_its_dotted_action(admin, pemda, agency, program):
    client = client_for(admin)

    for action, obj in _action_of_each_write(client, program, agency):
        event = AuditEvent.objects.get(action=action)
        assert event.actor == admin
        assert event.pemda == pemda
        assert event.object_id == str(obj.pk)


def test_the_update_event_records_old_and_new_values(admin, program):
    client_for(admin).post(
        reverse("programs:edit", args=[program.pk]),
        program_form_data(code=program.code, quota="40000", version="1"),
    )

    event = AuditEvent.objects.get(action="program.updated")
    assert event.changes["quota"] == [37_500, 40_000]

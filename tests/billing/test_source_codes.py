"""Funding sources get a short code for screens, files and the command line: required for a
new source on the program page, unique within the program; old sources without one show
their number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.programs.services import funding_source_add
from tests.conftest import client_for
from tests.programs.helpers import funding_form_data


def test_a_new_source_needs_a_code(admin, program):
    response = client_for(admin).post(
        reverse("programs:funding_add", args=[program.pk]),
        funding_form_data(code=""),
        follow=True,
    )
    assert "Sumber dana belum tersimpan" in response.content.decode()
    assert not program.funding_sources.exists()


def test_the_code_is_kept_in_lower_case_and_audited(admin, program):
    client_for(admin).post(
        reverse("programs:funding_add", args=[program.pk]), funding_form_data(code="APBD")
    )
    assert program.funding_sources.get().code == "apbd"
    assert AuditEvent.objects.get(action="funding_source.created").changes["code"] == "apbd"


def test_a_code_used_in_the_program_is_refused(admin, program):
    funding_source_add(actor=admin, program=program, name="APBD", kind="apbd", amount=1,
                       bpjs_code="SG", code="apbd")  # fmt: skip
    with pytest.raises(ServiceError, match="sudah dipakai"):
        funding_source_add(actor=admin, program=program, name="APBD 2", kind="apbd", amount=1,
                           bpjs_code="SG", code="APBD")  # fmt: skip


def test_the_program_page_shows_the_code_or_the_number(admin, program):
    old = funding_source_add(actor=admin, program=program, name="Dana lama", kind="apbd",
                             amount=1, bpjs_code="SG")  # fmt: skip
    funding_source_add(actor=admin, program=program, name="ADD", kind="add", amount=1,
                       bpjs_code="SG", code="add")  # fmt: skip
    html = client_for(admin).get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "<small>(add)</small>" in html
    assert f"<small>({old.pk})</small>" in html

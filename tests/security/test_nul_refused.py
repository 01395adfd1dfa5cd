"""A NUL character in a request is refused with the Indonesian 400 page before any view reads
it (PostgreSQL refuses NUL in text: a 500; SQLite would store it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_is_refused_with_400(admin):
    response = client_for(admin).get(reverse("intake:list"), {"q": "Budi\x00"})
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()


def test_a_nul_in_a_form_field_is_refused_with_400(admin, program):
    response = client_for(admin).post(reverse("intake:list"), {"q": "a\x00b"})
    assert response.status_code == 400


def test_a_nul_in_the_path_is_refused_with_400(admin):
    response = client_for(admin).get("/klaim/laporan/unduh/x%00/")
    assert response.status_code == 400


def test_ordinary_requests_pass(admin):
    assert client_for(admin).get(reverse("intake:list"), {"q": "Budi"}).status_code == 200

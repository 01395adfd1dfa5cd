"""Point 9 of issue 15: the two 500s found by hand, and the shared parsers that fixed them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.common.params import positive_id, text_param, whole_number
from tests.conftest import client_for
from tests.intake.conftest import csv_bytes, import_bytes
from tests.intake.test_services import WALK_IN


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("1e9", None),
        ("1.5", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("٣", None),  # Arabic-Indic three: int() would read it, ids are ASCII
        ("99999999999999999999999", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("", None),
        (None, None),
    ],
)
def test_positive_id_reads_only_ascii_ids_a_bigint_can_hold(raw, expected):
    assert positive_id(raw) == expected


def test_whole_number_keeps_to_its_maximum():
    assert whole_number("0") == 0
    assert whole_number("2147483647", maximum=2**31 - 1) == 2147483647
    assert whole_number("2147483648", maximum=2**31 - 1) is None


def test_text_param_drops_nul_and_cuts_to_its_limit():
    assert text_param("ab\x00c  ", limit=100) == "abc"
    assert text_param("x" * 200) == "x" * 100
    assert text_param(None) == ""


def test_the_workers_list_ignores_a_huge_agency_id(admin, pemda):
    response = client_for(admin).get(
        reverse("workers:list"), {"instansi": "99999999999999999999999"}
    )

    assert response.status_code == 200


def test_a_row_correction_with_an_exponent_revision_is_refused_as_stale_not_500(
    operator, program, agency
):
    submission = import_bytes(
        actor=operator,
        program=program,
        agency=agency,
        data=csv_bytes([["NIK", "Nama"], ["3504095806010862", "Siti Aminah"]]),
    )
    row = submission.rows.get()

    response = client_for(operator).post(
        reverse("intake:row_edit", args=[row.pk]), {**WALK_IN, "revision": "1e9"}
    )

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.revision == 1  # unchanged: the form was not taken as the current one

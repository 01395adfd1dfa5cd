"""The audit log speaks words: every action code written anywhere has an Indonesian phrase,
and the recorded changes read as labelled lines, old → new, never raw dicts or dotted codes."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

import lindung
from lindung.audit.presentation import ACTION_PHRASES, change_lines, event_summary
from lindung.audit.services import audit_record
from tests.conftest import client_for

# `action="a.b"`, also `action="a.b" if ... else "a.c"` across lines, and helpers taking
# `action="a.b"` as a keyword (programs' _remove, intake's _finish and _transition).
ACTION_CODE = re.compile(
    r'action\s*=\s*"([a-z_]+\.[a-z_]+)"(?:\s+if\b[^"]*?\belse\s+"([a-z_]+\.[a-z_]+)")?'
)


def _action_codes_in_the_code_base() -> set[str]:
    codes: set[str] = set()
    for path in Path(lindung.__file__).parent.rglob("*.py"):
        for match in ACTION_CODE.finditer(path.read_text(encoding="utf-8")):
            codes.update(code for code in match.groups() if code)
    return codes


def test_the_scan_finds_the_action_codes_written_in_the_code_base():
    codes = _action_codes_in_the_code_base()

    assert {"user.login", "quota.removed", "verification.duplicate_separated"} <= codes
    assert len(codes) > 40


def test_every_action_code_in_the_code_base_has_an_indonesian_phrase():
    missing = sorted(_action_codes_in_the_code_base() - set(ACTION_PHRASES))

    assert missing == [], f"add a phrase to lindung/audit/presentation.py for {missing}"


def test_a_resolved_duplicate_names_the_row_kept():
    summary = event_summary(
        "verification.duplicate_resolved", {"group": 4, "owner_row_number": 53, "rows": [1, 2]}
    )

    assert summary == "Duplikat diselesaikan: baris 53 dipilih"


def test_a_change_reads_old_to_new_with_field_labels():
    lines = change_lines("submission.submitted", {"status": ["draft", "submitted"]})

    assert [(line.label, line.text) for line in lines] == [("Status", "Draf → Diserahkan")]


def test_a_creation_shows_only_the_new_values_and_no_python_output():
    lines = change_lines(
        "user.created",
        {"username": [None, "bob"], "is_active": [None, True], "agency": [None, None]},
    )

    assert [(line.label, line.text) for line in lines] == [
        ("Nama pengguna", "bob"),
        ("Aktif", "ya"),
        ("Instansi", "—"),
    ]


def test_the_audit_log_page_shows_actions_and_changes_in_words(admin):
    audit_record(
        actor=admin,
        action="verification.finished",
        label="Verifikasi #3",
        changes={"counts": {"rows": 1200}, "as_of": "2026-12-06", "sheets": ["A", "B"]},
    )
    client = client_for(admin)
    client.post(reverse("accounts:logout"))
    client.force_login(admin)

    page = client.get(reverse("accounts:audit_list")).content.decode()
    rows = page[page.index("<tbody>") :]

    assert "Keluar" in rows
    assert "Verifikasi selesai" in rows
    assert "<strong>Jumlah</strong>: Baris: 1.200" in rows
    assert "6 Desember 2026" in rows
    for raw in ("user.logout", "verification.finished", "{&#x27;", "[&#x27;", "None"):
        assert raw not in rows

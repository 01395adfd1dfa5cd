"""What the program pages post, and small readers of what they return."""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import slugify


def program_form_data(**overrides: Any) -> dict[str, Any]:
    """What the "Buat program" form posts, as a browser sends it."""
    data: dict[str, Any] = {
        "code": "pekerja-rentan-2025",
        "name": "Perlindungan Pekerja Rentan 2025",
        "year": "2025",
        "status": "open",
        "perbup_number": "",
        "mou_number": "",
        "pks_number": "",
        "bpjs_branch": "BPJS Ketenagakerjaan Cabang Tulungagung",
        "start_month": "2025-01",
        "coverage_months": "12",
        "benefits": ["JKK", "JKM"],
        "declared_income": "1000000",
        "quota": "37500",
        "max_desil": "",
        "min_age": "18",
        "max_age": "64",
        "residency_required": "on",
        "priority_policy": ["renewal", "desil"],
        "notes": "",
    }
    data.update(overrides)
    return data


def funding_form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "APBD Disnakertrans 2025",
        "kind": "apbd",
        "amount": "4536000000",
        "bpjs_code": "SG",
        "agency": "",
        "relief_excluded": "unknown",
    }
    data.update(overrides)
    data.setdefault("code", slugify(str(data["name"]))[:20])
    return data


def row_containing(html: str, text: str) -> str:
    """The one table row of a page that mentions ``text``."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows mention {text!r}"
    return rows[0]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]

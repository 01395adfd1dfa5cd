"""The Tarif & manfaat page: national tables with their legal basis, and a Pemda's own dated
versions, which take over for that Pemda (and only that one) from their effective date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.domain.contributions import monthly_premium
from lindung.rules.models import RuleVersion
from lindung.rules.selectors import rulebook_for
from tests.conftest import client_for
from tests.factories import UserFactory


def _initial_data(client, kind: str) -> dict[str, Any]:
    """What the add form shows before the admin types anything, as the browser would post it."""
    form = client.get(reverse("rules:add", args=[kind])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return {k: "" if v is None else v for k, v in data.items()}


def _add(client, kind: str, **changes: Any):
    data = _initial_data(client, kind)
    data.update(changes)
    return client.post(reverse("rules:add", args=[kind]), data)


def test_the_rules_page_lists_the_national_versions_with_their_legal_basis(admin):
    html = client_for(admin).get(reverse("rules:list")).content.decode()

    assert "PP 44/2015 Pasal 20 &amp; Lampiran II; PP 82/2019" in html
    assert "PP 50/2025 Pasal 3–7" in html
    assert "PP82-2019" in html
    assert "nasional" in html


def test_admin_adds_a_contribution_version_that_applies_from_its_date(admin, pemda):
    response = _add(
        client_for(admin),
        "contribution",
        version="uji-2027",
        effective_from="2027-01-01",
        jkm_flat="7000",
    )

    assert response.status_code == 302, response.context["form"].errors
    book = rulebook_for(pemda_id=pemda.pk)
    assert book.contribution_for(dt.date(2026, 12, 1)).jkm_flat == 6_800
    assert book.contribution_for(dt.date(2027, 1, 1)).jkm_flat == 7_000
    # JKK 1 % × Rp 1.000.000 = Rp 10.000, plus the Pemda's JKM Rp 7.000 = Rp 17.000.
    premium = monthly_premium(
        income=1_000_000, benefits=["JKK", "JKM"], month=dt.date(2027, 1, 1), rulebook=book
    )
    assert premium.monthly_total == 17_000
    version = RuleVersion.objects.get(pemda=pemda)
    assert (version.version, version.created_by) == ("uji-2027", admin)
    assert AuditEvent.objects.filter(action="rule_version.created", actor=admin).count() == 1


def test_a_pemdas_version_leaves_other_pemdas_on_the_national_table(admin, pemda, other_pemda):
    _add(
        client_for(admin),
        "contribution",
        version="uji-2027",
        effective_from="2027-01-01",
        jkm_flat="7000",
    )

    january_2027 = dt.date(2027, 1, 1)
    assert rulebook_for(pemda_id=other_pemda.pk).contribution_for(january_2027).jkm_flat == 6_800
    assert rulebook_for(pemda_id=None).contribution_for(january_2027).jkm_flat == 6_800


def test_another_pemdas_version_is_not_listed(admin, foreign_admin):
    _add(
        client_for(foreign_admin),
        "contribution",
        version="trenggalek-2027",
        effective_from="2027-01-01",
    )

    assert "trenggalek-2027" not in client_for(admin).get(reverse("rules:list")).content.decode()
    assert (
        "trenggalek-2027" in client_for(foreign_admin).get(reverse("rules:list")).content.decode()
    )


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        # Same start as the national PP 82/2019 table: "latest wins" would be ambiguous.
        (
            "contribution",
            {"version": "bentrok", "effective_from": "2019-12-02"},
            "Dua versi tabel iuran mulai berlaku pada tanggal yang sama (02-12-2019).",
        ),
        (
            "relief",
            {"version": "json-rusak", "effective_from": "2027-01-01", "periods": "[{"},
            "tidak dapat dibaca: periksa formatnya",
        ),
        (
            "contribution",
            {"version": "negatif", "effective_from": "2027-01-01", "jkm_flat": "-1"},
            "tidak boleh negatif",
        ),
    ],
)
def test_a_faulty_version_is_refused_with_a_message_and_nothing_is_saved(
    admin, pemda, kind, changes, message
):
    response = _add(client_for(admin), kind, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RuleVersion.objects.filter(pemda=pemda).exists()
    assert not AuditEvent.objects.filter(action="rule_version.created").exists()


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.LEADER])
def test_only_the_admin_may_add_a_version(pemda, operator, role):
    for user in (operator, UserFactory(pemda=pemda, role=role)):
        client = client_for(user)
        assert client.get(reverse("rules:add", args=["contribution"])).status_code == 403
        assert client.post(reverse("rules:add", args=["contribution"]), {}).status_code == 403
    assert not RuleVersion.objects.filter(pemda=pemda).exists()


def test_the_rules_page_shows_rates_and_benefits_as_an_officer_reads_them(admin):
    html = client_for(admin).get(reverse("rules:list")).content.decode()

    assert "Iuran JKM per bulan</th><td>Rp 6.800" in html
    assert "Iuran JKK per bulan</th><td>1% dari penghasilan yang dilaporkan" in html
    assert "JKM: santunan sekaligus</th><td>Rp 20.000.000" in html
    assert "JKK: santunan cacat total tetap</th><td>56 × penghasilan sebulan" in html
    assert "Iuran yang dibayar selama keringanan</th><td>50% dari iuran biasa" in html
    assert "Program yang mendapat keringanan</th><td>JKK, JKM" in html
    assert "Sektor transportasi: Januari 2026 sampai Maret 2027" in html
    assert "Tidak berlaku bila iuran dibayar dari</th><td>APBD, APBN" in html
    assert "mulai 2 Desember 2019, berlaku sampai sekarang" in html


def test_the_rules_page_shows_no_developer_output(admin):
    html = client_for(admin).get(reverse("rules:list")).content.decode()
    main = html[html.index("<main") :]

    for raw in ("effective_from", "jkm_flat", "None", "[&#x27;", "{&#x27;", "2019-12-02"):
        assert raw not in main


def test_the_add_version_form_is_labelled_in_indonesian(admin):
    field_names = set()
    labels = set()
    for kind in ("contribution", "relief", "benefit"):
        response = client_for(admin).get(reverse("rules:add", args=[kind]))
        field_names |= set(response.context["form"].fields)
        labels |= {
            label.strip()
            for label in re.findall(r'<label for="[^"]+">([^<]+)', response.content.decode())
        }

    spelled_keys = {name.replace("_", " ") for name in field_names}
    assert not labels & (field_names | spelled_keys)
    assert {"Berlaku mulai", "Iuran JKM per bulan", "Masa keringanan"} <= labels


def test_a_relief_version_is_added_with_its_programmes_typed_comma_separated(admin, pemda):
    response = _add(
        client_for(admin),
        "relief",
        version="Perda-2027",
        effective_from="2027-01-01",
        benefits="JKK, JKM",
        excluded_payers="apbn",
    )

    assert response.status_code == 302
    payload = RuleVersion.objects.get(pemda=pemda, version="Perda-2027").payload
    assert payload["benefits"] == ["JKK", "JKM"]
    assert payload["excluded_payers"] == ["apbn"]

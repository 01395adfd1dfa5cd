"""The workforce page: upload a statistics table (preview, then load; a second load of the
year replaces it) and set the coverage target — what the command line does, for the admin
and the leader."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.monitoring.models import CoverageTarget, Workforce
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.monitoring.test_workforce import BPS_TABLE, write_xlsx

pytestmark = pytest.mark.django_db

PAGE = "/pemantauan/jumlah-pekerja/"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def _upload(client, tmp_path: Path, rows, *, name="bps.xlsx", year="2025", source="BPS"):
    path = write_xlsx(tmp_path / name, rows)
    upload = SimpleUploadedFile(name, path.read_bytes())
    return client.post(
        PAGE, {"langkah": "pratinjau", "berkas": upload, "tahun": year, "sumber": source}
    )


def _kept(settings) -> list[Path]:
    folder = Path(settings.UPLOAD_DIR) / "jumlah-pekerja"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_admin_previews_a_bps_table_then_loads_it_audited(admin, tmp_path, settings):
    client = client_for(admin)

    preview = _upload(client, tmp_path, BPS_TABLE)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "4 wilayah dikenali" in page
    assert "1 baris jumlah diabaikan" in page  # the "Jumlah" row
    assert "Besuki" in page
    assert "21340" in page
    assert not Workforce.objects.exists()  # nothing stored before the load
    assert len(_kept(settings)) == 1

    loaded = client.post(PAGE, {"langkah": "muat"}, follow=True)

    assert "Jumlah pekerja 2025 dimuat: 4 wilayah." in loaded.content.decode()
    assert Workforce.objects.filter(pemda=admin.pemda, year=2025).count() == 4
    assert Workforce.objects.get(region_id="35.04.15").working == 21_340
    event = AuditEvent.objects.get(action="workforce.loaded")
    assert (event.actor, event.changes["filename"]) == (admin, "bps.xlsx")
    assert _kept(settings) == []  # the file is gone once loaded


def test_a_second_load_of_the_same_year_replaces_it(admin, tmp_path):
    client = client_for(admin)
    _upload(client, tmp_path, BPS_TABLE)
    client.post(PAGE, {"langkah": "muat"})

    _upload(client, tmp_path, [["Kecamatan", "Bekerja"], ["Besuki", "22.000"]], name="baru.xlsx")
    loaded = client.post(PAGE, {"langkah": "muat"}, follow=True)

    assert "sebelumnya (4 baris) diganti" in loaded.content.decode()
    assert list(Workforce.objects.values_list("region_id", "working")) == [("35.04.15", 22_000)]


def test_a_table_without_a_workforce_column_is_refused_in_indonesian(admin, tmp_path, settings):
    response = _upload(client_for(admin), tmp_path, [["Kecamatan", "Luas (km2)"], ["Besuki", 82]])

    assert response.status_code == 200
    assert "Baris judul kolom tidak ditemukan" in response.content.decode()
    assert _kept(settings) == []


def test_loading_with_nothing_previewed_says_so(admin):
    response = client_for(admin).post(PAGE, {"langkah": "muat"}, follow=True)

    assert "Tidak ada file yang menunggu dimuat" in response.content.decode()


def test_a_missing_year_or_source_is_asked_for(admin, tmp_path):
    no_year = _upload(client_for(admin), tmp_path, BPS_TABLE, year="dua ribu")
    no_source = _upload(client_for(admin), tmp_path, BPS_TABLE, source=" ")

    assert "Tahun harus berupa angka" in no_year.content.decode()
    assert "Sebutkan sumber data" in no_source.content.decode()


def test_the_leader_sets_the_target_and_the_province_rate_with_a_comma(pemda):
    leader = UserFactory(pemda=pemda, role=Role.LEADER)

    client_for(leader).post(
        reverse("monitoring:target"),
        {"tahun": "2026", "target": "45", "provinsi": "33,4 %", "catatan": "RPJMD"},
    )

    target = CoverageTarget.objects.get(pemda=pemda, year=2026)
    assert (target.target_rate, target.province_rate) == (Decimal(45), Decimal("33.4"))
    assert AuditEvent.objects.filter(action="coverage_target.set", actor=leader).exists()


def test_an_unreadable_percent_is_refused_without_storing(admin):
    response = client_for(admin).post(
        reverse("monitoring:target"), {"tahun": "2026", "target": "empat puluh"}, follow=True
    )

    assert "Persen harus berupa angka" in response.content.decode()
    assert not CoverageTarget.objects.exists()


def test_only_the_admin_and_the_leader_open_it_and_the_dashboard_links_it(pemda, admin):
    finance = UserFactory(pemda=pemda, role=Role.FINANCE)

    assert client_for(finance).get(PAGE).status_code == 403
    assert PAGE not in client_for(finance).get("/pemantauan/").content.decode()
    assert PAGE in client_for(admin).get("/pemantauan/").content.decode()
    assert client_for(admin).get(PAGE).status_code == 200


def test_a_preview_abandoned_for_a_day_is_removed_at_the_next_upload(admin, tmp_path, settings):
    import os
    import time

    client = client_for(admin)
    _upload(client, tmp_path, BPS_TABLE)
    (old,) = _kept(settings)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))

    _upload(client_for(UserFactory(pemda=admin.pemda, role=Role.LEADER)), tmp_path, BPS_TABLE)

    assert old not in _kept(settings)
    assert len(_kept(settings)) == 1

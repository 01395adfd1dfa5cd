"""The public status check `/cek/` (security goal S4): no login, POST only, one identical
answer for an unknown NIK and a wrong name, nothing but the cover and a masked name, and
20 requests a minute / 100 a day per real client address."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lindung.enrollment.models import PublicCheckHit
from lindung.enrollment.services import public_check as public_check_service
from lindung.enrollment.services.public_check import mask_name, public_check_allow
from lindung.programs.models import FundingKind
from lindung.workers.models import EndReason, EnrolmentStatus
from tests.factories import EnrolmentFactory, FundingSourceFactory, WorkerFactory

URL = reverse("cek:check")
NIK = "3504011208750001"
SIXTEEN_DIGITS = re.compile(r"\d{16}")


@pytest.fixture(autouse=True)
def _in_the_program_year():
    """The program of the `program` fixture covers 2025; the checks are made in September."""
    with time_machine.travel(dt.datetime(2025, 9, 1, 2, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def supri(program, agency, funding_source):
    worker = WorkerFactory(
        pemda=program.pemda, name="H. Supriyanto Rahayu", nik=NIK, birth_date=dt.date(1975, 8, 12)
    )
    return EnrolmentFactory(
        program=program, worker=worker, agency=agency, funding_source=funding_source
    )


def _ask(client: Client, nik: str, name: str, **extra):
    return client.post(URL, {"nik": nik, "nama": name}, **extra)


def _answer(response) -> str:
    body = response.content.decode()
    start = body.index('<main id="konten"')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body[start:])


def test_the_page_opens_without_login(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert 'name="nik"' in response.content.decode()


def test_an_active_participant_reads_their_cover_and_who_pays(supri):
    body = _ask(Client(), NIK, "sup").content.decode()
    assert (
        "Terlindungi JKK + JKM sampai 31 Desember 2025, iuran dibayar "
        "Pemerintah Kabupaten Tulungagung." in body
    )
    assert "SU*** RA***" in body
    assert "Supriyanto" not in body


def test_the_name_is_compared_from_its_start_in_any_case_without_titles(supri):
    for typed in ("SUP", "supri", " Su-Pri ", "H. Supriyanto"):
        assert "Terlindungi" in _ask(Client(), NIK, typed).content.decode(), typed


def test_village_funds_are_paid_by_the_village_and_csr_by_its_company(supri, program):
    supri.funding_source = FundingSourceFactory(program=program, kind=FundingKind.ADD)
    supri.village_id = "35.04.15.2001"
    supri.save()
    assert "iuran dibayar Pemerintah Desa Besole" in _ask(Client(), NIK, "sup").content.decode()
    supri.funding_source = FundingSourceFactory(
        program=program, kind=FundingKind.CSR, name="CSR PT Gudang Garam"
    )
    supri.save()
    assert "iuran dibayar CSR PT Gudang Garam" in _ask(Client(), NIK, "sup").content.decode()


def test_an_ended_participant_is_covered_until_the_end_date_no_longer(supri):
    supri.status = EnrolmentStatus.ENDED
    supri.ended_on = dt.date(2025, 8, 14)
    supri.end_reason = EndReason.MOVED
    supri.save()
    body = _ask(Client(), NIK, "sup").content.decode()
    assert "Tidak terdaftar sebagai peserta aktif." in body
    assert "SU***" not in body
    assert "Agustus" not in body


def test_an_end_later_this_year_still_covers_until_that_day(supri):
    supri.status = EnrolmentStatus.ENDED
    supri.ended_on = dt.date(2025, 10, 31)
    supri.end_reason = EndReason.WAGE_EARNER
    supri.save()
    body = _ask(Client(), NIK, "sup").content.decode()
    assert "Terlindungi JKK + JKM sampai 31 Oktober 2025" in body


def test_once_the_program_year_is_over_the_participant_is_no_longer_covered(supri):
    with time_machine.travel(dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC), tick=True):
        body = _ask(Client(), NIK, "sup").content.decode()
    assert "Tidak terdaftar sebagai peserta aktif." in body
    assert "SU***" not in body


def test_cover_starts_on_the_effective_date_bpjs_gave(supri):
    supri.started_on = dt.date(2025, 10, 1)
    supri.save()
    assert "Tidak terdaftar sebagai peserta aktif." in _ask(Client(), NIK, "sup").content.decode()


@pytest.mark.parametrize("status", ["approved", "sent", "rejected"])
def test_a_person_not_yet_covered_is_told_so_without_other_data(supri, status):
    supri.status = status
    supri.save()
    body = _ask(Client(), NIK, "sup").content.decode()
    assert "Tidak terdaftar sebagai peserta aktif." in body
    assert "SU***" not in body
    assert "Tulungagung" not in body.split("<footer")[0].split("</h1>", 1)[1]


def test_an_unknown_nik_and_a_wrong_name_get_one_identical_answer(supri):
    unknown = _answer(_ask(Client(), "3504011208750099", "sup"))
    wrong_name = _answer(_ask(Client(), NIK, "bud"))
    assert unknown == wrong_name
    assert "Data tidak ditemukan" in unknown


def test_unknown_and_known_answers_are_alike_in_length_and_time(supri):
    """S4 (c): existing and non-existing NIKs answer with bodies of the same length class,
    and the median time gap is under 50 ms."""
    client = Client()
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    lengths: dict[str, set[int]] = {"known": set(), "unknown": set()}
    for i in range(8):
        for kind, nik, name in (
            ("known", NIK, "bud"),
            ("unknown", f"35040112087{i:05d}", "bud"),
        ):
            PublicCheckHit.objects.all().delete()
            start = time.perf_counter()
            response = _ask(client, nik, name)
            timings[kind].append(time.perf_counter() - start)
            lengths[kind].add(len(_answer(response)))
    assert lengths["known"] == lengths["unknown"]
    gap = abs(statistics.median(timings["known"]) - statistics.median(timings["unknown"]))
    assert gap < 0.05


def test_no_answer_repeats_a_nik_or_a_birth_date(supri):
    client = Client()
    for nik, name in ((NIK, "sup"), (NIK, "bud"), ("3504011208750099", "sup"), (NIK, "s")):
        body = _ask(client, nik, name).content.decode()
        assert not SIXTEEN_DIGITS.search(body)
        assert "1975" not in body
        assert "12-08" not in body


def test_a_wrong_nik_or_too_short_a_name_is_explained(db):
    response = _ask(Client(), "35040112", "su")
    assert response.status_code == 400
    body = response.content.decode()
    assert "NIK harus 16 angka" in body
    assert "tiga huruf pertama" in body


def test_the_form_works_with_csrf_checks_on(supri):
    client = Client(enforce_csrf_checks=True)
    assert _ask(client, NIK, "sup").status_code == 403
    page = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(URL, {"nik": NIK, "nama": "sup", "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 200
    assert "Terlindungi" in response.content.decode()


def test_requests_21_to_25_in_a_minute_get_429(supri):
    """S4 (a)."""
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [_ask(client, NIK, "sup").status_code for _ in range(25)]
    assert codes[:20] == [200] * 20
    assert codes[20:] == [429] * 5
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        limited = _ask(client, NIK, "sup")
    assert "Terlalu banyak permintaan" in limited.content.decode()
    assert "Terlindungi" not in limited.content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 1, 5, tzinfo=dt.UTC), tick=False):
        assert _ask(client, NIK, "sup").status_code == 200


def test_a_changed_x_forwarded_for_does_not_reset_the_counter(supri, settings):
    """S4 (b): without trusted proxies the header is ignored; behind one proxy only the hop
    the proxy appended counts, whatever the client put before it."""
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [
            _ask(client, NIK, "sup", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
            for i in range(21)
        ]
    assert codes[-1] == 429
    settings.TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [
            _ask(client, NIK, "sup", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.7").status_code
            for i in range(21)
        ]
    assert codes[-1] == 429
    assert PublicCheckHit.objects.filter(client="203.0.113.7").exists()


def test_at_most_100_requests_a_day(db):
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    allowed = [
        public_check_allow(client="198.51.100.9", now=start + dt.timedelta(minutes=10 * i))
        for i in range(101)
    ]
    assert allowed[:100] == [True] * 100
    assert allowed[100] is False
    # Refused requests count too; a day later the earliest ones no longer do: at 08:25 the
    # next day the three of 08:00-08:20 have left the window (98 + this one = 99).
    assert public_check_allow(client="198.51.100.9", now=start + dt.timedelta(days=1, minutes=25))


def test_rows_older_than_a_day_are_pruned(db):
    old = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
    public_check_allow(client="198.51.100.9", now=old)
    public_check_allow(client="198.51.100.10", now=old + dt.timedelta(days=1, hours=2))
    assert list(PublicCheckHit.objects.values_list("client", flat=True)) == ["198.51.100.10"]


def test_a_name_is_masked_to_two_letters_a_word():
    assert mask_name("Supriyanto Rahayu") == "SU*** RA***"
    assert mask_name("Drs. H. Moch. Soebagio") == "MO*** SO***"


def _unknown(i: int) -> str:
    return f"3504011208759{i:03d}"  # never NIK (…0001)


def test_after_five_misses_a_day_the_picture_digits_are_asked_once_per_try(supri):
    """S4: a CAPTCHA after 5 failures; its digits are good for one try only."""
    client = Client()
    for i in range(4):
        assert 'name="kode"' not in _ask(client, _unknown(i), "sup").content.decode()
    assert 'name="kode"' in _ask(client, _unknown(4), "sup").content.decode()
    page = client.get(URL).content.decode()
    assert 'name="kode"' in page
    assert reverse("cek:captcha") in page
    refused = _ask(client, NIK, "sup")
    assert refused.status_code == 400
    assert "Ketik angka yang tampil pada gambar" in refused.content.decode()
    assert "Terlindungi" not in refused.content.decode()
    digits = client.session["captcha"]["digits"]
    answered = client.post(URL, {"nik": NIK, "nama": "sup", "kode": digits})
    assert "Terlindungi" in answered.content.decode()
    again = client.post(URL, {"nik": NIK, "nama": "sup", "kode": digits})
    assert again.status_code == 400  # the digits were used up by the try before


def test_the_captcha_picture_is_a_png_drawn_for_the_session(db):
    client = Client()
    response = client.get(reverse("cek:captcha"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert len(client.session["captcha"]["digits"]) == 5
    assert "no-cache" in response["Cache-Control"]


def test_unknown_niks_from_many_addresses_trip_the_breaker_for_everyone(supri, monkeypatch):
    """S4 (e): sequential NIKs from many simulated addresses (four each, under the CAPTCHA)
    close the check for everyone once the misses in 10 minutes reach the breaker's figure
    (300; 40 here to keep the test quick) and make half the requests; it opens again when
    the window has passed."""
    monkeypatch.setattr(public_check_service, "BREAKER_MISSES", 40)
    client = Client()
    codes = [
        _ask(client, _unknown(i), "sup", REMOTE_ADDR=f"10.1.0.{i // 4}").status_code
        for i in range(45)
    ]
    assert codes[:40] == [200] * 40
    assert set(codes[40:]) == {503}
    closed = _ask(client, NIK, "sup", REMOTE_ADDR="198.51.100.77")
    assert closed.status_code == 503
    assert "sedang dibatasi sementara" in closed.content.decode()
    with time_machine.travel(dt.datetime(2025, 9, 1, 2, 11, tzinfo=dt.UTC), tick=True):
        answer = _ask(client, NIK, "sup", REMOTE_ADDR="198.51.100.77")
    assert "Terlindungi" in answer.content.decode()

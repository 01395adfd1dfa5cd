"""The register page through HTTP: a verifier or the admin uploads a DTKS/DTSEN/P3KE extract,
the background job loads it as a snapshot while the page follows it, bad files get a message
in Bahasa Indonesia, a failed load can be run again. Alice administers Tulungagung, Erin
verifies there, Bob operates for Dinas Perikanan, Dave administers Trenggalek."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lindung.audit.models import AuditEvent
from lindung.common.jobs import JobStatus
from lindung.register import services
from lindung.register.models import RegisterLoadJob, RegisterSnapshot
from lindung.register.services import register_job_run, register_upload
from tests.conftest import client_for
from tests.register.conftest import REGISTER

REGISTER_ROWS = 20_038  # tests/data/register/register.csv without its header
PAGE = reverse("register:index")


def register_lines(n: int) -> list[list[str]]:
    """The sample register's header and its first `n` rows, as cells."""
    with REGISTER.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter=";")
        return [row for _i, row in zip(range(n + 1), reader, strict=False)]


def xlsx_file(tmp_path: Path, rows: list[list[str]], name: str = "dtsen.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DATA DTSEN KABUPATEN TULUNGAGUNG"])  # a title band above the header
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def upload(client, path_or_bytes, *, name: str = "dtks.csv", **fields):
    data = {"source": "dtks", "as_of": "30-06-2025", "region_code_style": "names", **fields}
    if path_or_bytes is not None:
        content = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
        data["file"] = io.BytesIO(content)
        data["file"].name = name
    return client.post(PAGE, data)


def stored_files(settings) -> list[Path]:
    folder = Path(settings.UPLOAD_DIR) / "register"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- Uploading and following the load --------------------------------------------------


def test_the_admin_uploads_the_register_and_the_job_loads_it(
    admin, pemda, settings, django_capture_on_commit_callbacks
):
    client = client_for(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, REGISTER, name="DTKS Tulungagung Juni 2025.csv")

    job = RegisterLoadJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("register:job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.pemda == pemda
    assert job.created_by == admin
    snapshot = job.snapshot
    assert snapshot is not None
    assert snapshot.rows == REGISTER_ROWS
    assert snapshot.records.count() == REGISTER_ROWS
    assert (snapshot.source, snapshot.as_of) == ("dtks", dt.date(2025, 6, 30))
    assert snapshot.file_name == "DTKS Tulungagung Juni 2025.csv"
    assert snapshot.loaded_by == admin
    # Loaded: the rows keep their cells, the stored copy is not kept.
    assert stored_files(settings) == []
    # The finished progress page stops polling and offers plain links, forwarding nowhere:
    # Back from the next page lands on it without being sent on again.
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert "HX-Redirect" not in polled
    assert "every 2s" not in polled.content.decode()
    assert reverse("verification:index") in polled.content.decode()
    # Its facts are dated in words.
    assert "DTKS keadaan per 30 Juni 2025" in client.get(response.url).content.decode()

    actions = list(
        AuditEvent.objects.filter(action__startswith="register")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["register_upload.received", "register_snapshot.loaded"]
    received = AuditEvent.objects.get(action="register_upload.received")
    assert received.actor == admin
    assert received.pemda == pemda
    assert received.changes["file"] == "DTKS Tulungagung Juni 2025.csv"
    assert received.changes["kind"] == "csv"
    assert received.changes["size"] == REGISTER.stat().st_size

    page = client.get(response.url).content.decode()
    assert "Selesai: 20.038 baris dimuat" in page
    assert reverse("verification:index") in page  # run verification with it

    listing = client.get(PAGE).content.decode()
    assert "DTKS Tulungagung Juni 2025.csv" in listing
    assert "30-06-2025" in listing
    assert "20.038" in listing
    assert '<span class="tag accepted">dipakai verifikasi</span>' in listing


def test_a_verifier_uploads_an_xlsx_with_a_title_band(
    verifier, tmp_path, django_capture_on_commit_callbacks
):
    path = xlsx_file(tmp_path, register_lines(25))

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client_for(verifier), path, name="dtsen.xlsx", source="dtsen", as_of="2025-09-01"
        )

    job = RegisterLoadJob.objects.get()
    assert response.status_code == 302
    assert job.status == JobStatus.DONE, job.message
    assert job.snapshot is not None
    assert job.snapshot.rows == 25
    assert (job.snapshot.source, job.snapshot.as_of) == ("dtsen", dt.date(2025, 9, 1))
    assert AuditEvent.objects.get(action="register_upload.received").changes["kind"] == "xlsx"


@pytest.mark.parametrize("typed", ["30-06-2025", "2025-06-30"])
def test_the_date_is_accepted_day_first_or_year_first(
    admin, typed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(admin), REGISTER, as_of=typed)

    assert RegisterSnapshot.objects.get().as_of == dt.date(2025, 6, 30)


def test_the_page_polls_while_the_job_waits_and_shows_the_result_when_done(admin):
    client = client_for(admin)
    response = upload(client, REGISTER)  # on_commit not run: the job stays queued
    job = RegisterLoadJob.objects.get()

    polled = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert polled.lstrip().startswith('<div id="status"')
    assert "hx-trigger" in polled
    assert "Menunggu giliran" in polled
    assert "Menunggu" in client.get(PAGE).content.decode()  # listed among recent uploads

    register_job_run(job_id=job.pk)

    polled = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in polled
    assert "20.038 baris dimuat" in polled


def test_the_same_file_sent_twice_while_waiting_is_one_job(admin, settings):
    client = client_for(admin)
    first = upload(client, REGISTER)
    second = upload(client, REGISTER)

    assert first.url == second.url
    assert RegisterLoadJob.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_a_file_already_loaded_the_same_way_is_refused(
    admin, settings, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, REGISTER)

    response = upload(client, REGISTER)

    assert response.status_code == 200
    assert "File yang sama sudah dimuat sebagai DTKS per 30 Juni 2025" in response.content.decode()
    assert RegisterLoadJob.objects.count() == 1
    assert stored_files(settings) == []


# --- Who may -----------------------------------------------------------------------------


def test_an_operator_is_refused_the_page_the_upload_and_the_jobs(
    operator, admin, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    assert client.get(PAGE).status_code == 403
    assert upload(client, REGISTER).status_code == 403
    assert not RegisterLoadJob.objects.exists()

    upload(client_for(admin), REGISTER)
    job = RegisterLoadJob.objects.get()
    assert client.get(reverse("register:job", args=[job.pk])).status_code == 403
    restart = reverse("register:job_restart", args=[job.pk])
    assert client.post(restart).status_code == 403
    # Nothing was done: the only events are the refusals themselves (issue 15, point 8).
    assert set(AuditEvent.objects.filter(actor=operator).values_list("action", flat=True)) <= {
        "access.denied"
    }


def test_another_pemda_sees_none_of_our_snapshots_or_jobs(
    admin, foreign_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(admin), REGISTER, name="tulungagung-dtks.csv")
    job = RegisterLoadJob.objects.get()
    client = client_for(foreign_admin)

    page = client.get(PAGE)
    assert page.status_code == 200
    assert "tulungagung-dtks.csv" not in page.content.decode()
    assert "Belum ada data DTKS/DTSEN yang dimuat" in page.content.decode()
    assert client.get(reverse("register:job", args=[job.pk])).status_code == 404
    restart = reverse("register:job_restart", args=[job.pk])
    assert client.post(restart).status_code == 404


def test_a_snapshot_loaded_by_another_pemda_is_theirs_only(
    admin, foreign_admin, other_pemda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(foreign_admin), REGISTER, name="trenggalek.csv")

    assert RegisterSnapshot.objects.get().pemda == other_pemda
    assert "trenggalek.csv" not in client_for(admin).get(PAGE).content.decode()


# --- Bad input ---------------------------------------------------------------------------


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d-%m-%Y")


@pytest.mark.parametrize(
    ("content", "name", "fields", "message"),
    [
        (None, "", {}, "Pilih file data yang akan diunggah."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "dtks.csv", {}, "File ini PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "dtks.xlsx", {}, "File ini gambar"),
        (b"", "dtks.csv", {}, "File kosong."),
        (b"NO;NAMA;ALAMAT\r\n1;Painem;Besuki\r\n", "dtks.csv", {}, "Kolom NIK tidak"),
        (b"ID;KECAMATAN;DESA\r\n1;BESUKI;TANGGUL\r\n", "dtks.csv", {}, "Kolom NIK dan NAMA"),
        (b"NOMOR NIK;NAMA;KECAMATAN\r\n", "dtks.csv", {}, "hanya berisi baris judul"),
        (
            b"NIK;NAMA;KECAMATAN;DESA\r\n3504152705063112;AHMAD;BESUKI;SIYOTOBAGUS\r\n",
            "dtks.csv",
            {"region_code_style": "kemendagri"},
            "Kolom kode desa/kelurahan",
        ),
        (REGISTER, "dtks.csv", {"as_of": TOMORROW}, "ada di masa depan"),
        (REGISTER, "dtks.csv", {"as_of": "31-02-2025"}, "Tulis tanggal seperti 30-06-2025"),
        (REGISTER, "dtks.csv", {"as_of": ""}, "Tanggal keadaan data wajib diisi"),
        (REGISTER, "dtks.csv", {"source": "bdt"}, "Pilih DTKS, DTSEN atau P3KE."),
        (REGISTER, "dtks.csv", {"region_code_style": ""}, "Pilih cara penulisan"),
    ],
)
def test_bad_input_gets_a_message_on_the_form_and_nothing_is_queued(
    admin, settings, content, name, fields, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(admin), content, name=name, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegisterLoadJob.objects.exists()
    assert not RegisterSnapshot.objects.exists()
    assert stored_files(settings) == []


def test_a_refused_file_is_audited(admin):
    upload(client_for(admin), b"", name="kosong.csv")

    event = AuditEvent.objects.get(action="register_upload.refused")
    assert event.changes == {"file": "kosong.csv", "code": "empty", "size": 0}
    assert event.actor == admin


def test_a_file_over_the_limit_is_refused_while_it_arrives(admin, pemda, monkeypatch, settings):
    monkeypatch.setattr(
        services, "REGISTER_LIMITS", services.REGISTER_LIMITS.__class__(max_bytes=1_000)
    )

    with pytest.raises(services.ServiceError, match="File lebih besar dari"):
        register_upload(
            actor=admin,
            pemda=pemda,
            stream=[b"x" * 600, b"x" * 600],
            filename="besar.csv",
            source="dtks",
            as_of=dt.date(2025, 6, 30),
        )
    assert stored_files(settings) == []
    assert AuditEvent.objects.get(action="register_upload.refused").changes["code"] == "too_large"


def test_a_workbook_without_nik_or_name_fails_its_job_with_a_message(
    admin, tmp_path, settings, django_capture_on_commit_callbacks
):
    path = xlsx_file(tmp_path, [["NO", "ALAMAT"], ["1", "DUSUN BANARAN"]], name="salah.xlsx")
    client = client_for(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, path, name="salah.xlsx")

    job = RegisterLoadJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Kolom NIK dan NAMA tidak ditemukan" in job.message
    assert not RegisterSnapshot.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Kolom NIK dan NAMA tidak ditemukan" in page
    assert reverse("register:job_restart", args=[job.pk]) in page
    assert "Kolom NIK dan NAMA tidak ditemukan" in client.get(PAGE).content.decode()
    assert len(stored_files(settings)) == 1  # kept for a re-run
    failed = AuditEvent.objects.get(action="register_upload.failed")
    assert failed.changes["message"] == job.message


# --- Running a failed job again ----------------------------------------------------------


def test_a_failed_job_is_run_again_and_loads_everything(
    admin, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(**kwargs):
        raise OSError("disk penuh")

    client = client_for(admin)
    with monkeypatch.context() as patched:
        patched.setattr(services, "snapshot_load", crash)
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, REGISTER)
    job = RegisterLoadJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "tidak ada baris yang tersimpan" in job.message
    assert "Jalankan ulang" in client.get(response.url).content.decode()
    assert not RegisterSnapshot.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("register:job_restart", args=[job.pk]))

    assert again.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.message == ""
    assert job.snapshot is not None
    assert job.snapshot.rows == REGISTER_ROWS
    assert RegisterSnapshot.objects.count() == 1
    assert stored_files(settings) == []
    assert AuditEvent.objects.filter(action="register_upload.restarted", actor=admin).exists()


def test_a_finished_or_running_job_is_not_run_again(admin, django_capture_on_commit_callbacks):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, REGISTER)
    job = RegisterLoadJob.objects.get()
    restart = reverse("register:job_restart", args=[job.pk])

    page = client.post(restart, follow=True).content.decode()
    assert "Data ini sudah selesai dimuat." in page

    RegisterLoadJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    page = client.post(restart, follow=True).content.decode()
    assert "sedang berjalan" in page
    assert RegisterSnapshot.objects.count() == 1
    assert not AuditEvent.objects.filter(action="register_upload.restarted").exists()


def test_a_load_whose_worker_died_after_committing_adopts_its_snapshot(admin):
    upload(client_for(admin), REGISTER)  # queued; the worker "dies" after the snapshot commit
    job = RegisterLoadJob.objects.get()
    register_job_run(job_id=job.pk)
    snapshot = RegisterLoadJob.objects.get().snapshot
    RegisterLoadJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, snapshot=None)

    again = register_job_run(job_id=job.pk)

    assert again.status == JobStatus.DONE
    assert again.snapshot == snapshot
    assert RegisterSnapshot.objects.count() == 1


# --- Where the page is linked from --------------------------------------------------------


def test_the_verification_pages_and_home_link_to_the_register_page(admin, verifier, pemda):
    from tests.factories import ProgramFactory

    program = ProgramFactory(pemda=pemda)
    for user in (admin, verifier):
        client = client_for(user)
        assert PAGE in client.get(reverse("verification:index")).content.decode()
        assert (
            PAGE in client.get(reverse("verification:program", args=[program.pk])).content.decode()
        )
        assert PAGE in client.get("/").content.decode()


def test_the_register_page_takes_a_fixed_number_of_queries(
    admin, pemda, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    for month in (6, 3):
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, REGISTER, as_of=f"2025-0{month}-30", source="p3ke")

    with django_assert_max_num_queries(12):
        page = client.get(PAGE)

    snapshots = page.content.decode().split("Salinan yang tersimpan")[1]
    assert snapshots.count('<span class="tag accepted">dipakai verifikasi</span>') == 1
    # The newest as-of date, not the newest upload, is the one verification uses.
    newest, marked, older = (
        snapshots.index(text) for text in ("30-06-2025", "dipakai verifikasi", "30-03-2025")
    )
    assert marked < newest < older


def test_the_register_pages_keep_the_paths_users_know() -> None:
    assert reverse("register:index") == "/verifikasi/register/"
    assert reverse("register:job", args=[7]) == "/verifikasi/register/proses/7/"
    assert reverse("register:job_restart", args=[7]) == "/verifikasi/register/proses/7/ulang/"

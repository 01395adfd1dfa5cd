from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from lindung.accounts.models import Agency
from lindung.common.commands import LindungCommand, UsageError
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.common.retry import when_locked
from lindung.intake import services
from lindung.intake.models import Submission
from lindung.programs.cli import find_program


class Command(LindungCommand):
    help = "Memasukkan daftar pekerja dari file (xlsx, xls, ods, csv) sebagai usulan instansi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="file daftar pekerja")
        parser.add_argument("--program", required=True, help="kode program")
        parser.add_argument("--agency", required=True, help="kode instansi/desa")
        parser.add_argument("--pemda", help="kode Pemda (bila kode program dipakai >1 Pemda)")
        parser.add_argument("--sheet", help="nama lembar (bawaan: semua lembar bersusunan sama)")
        parser.add_argument("--draft", action="store_true", help="simpan sebagai draf")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise UsageError(f"File {path} tidak ditemukan.")
        # Every statement here may meet SQLite's lock while another import of the same file
        # writes (in shared-cache mode even a read fails at once): each one is repeated.
        program = when_locked(
            lambda: find_program(code=options["program"], pemda_code=options["pemda"])
        )
        agency = when_locked(
            lambda: Agency.objects.filter(pemda_id=program.pemda_id, code=options["agency"]).first()
        )
        if agency is None:
            raise UsageError(f"Instansi dengan kode {options['agency']!r} tidak ditemukan.")
        try:
            submission, duplicate = self._import(path, program, agency, options)
        except ServiceError as exc:
            raise UsageError(exc.message) from exc
        payload = {
            "submission": submission.pk,
            "rows": submission.rows_total,
            "accepted": submission.accepted,
            "accepted_with_warnings": submission.accepted_with_warnings,
            "rejected": submission.rejected,
            "ignored": submission.ignored,
            "status": submission.status,
            "duplicate": duplicate,
        }
        if options["json"]:
            self.write_json(payload)
            return
        prefix = "File ini sudah pernah dimasukkan: " if duplicate else ""
        self.stdout.write(
            f"{prefix}usulan #{submission.pk} ({submission.get_status_display()}): "
            f"{submission.rows_total} baris, {submission.accepted} diterima, "
            f"{submission.accepted_with_warnings} diterima dengan catatan, "
            f"{submission.rejected} ditolak, {submission.ignored} diabaikan."
        )

    def _import(
        self, path: Path, program: Any, agency: Agency, options: dict[str, Any]
    ) -> tuple[Any, bool]:
        def receive() -> tuple[Any, bool]:
            with path.open("rb") as handle:
                return services.upload_receive(
                    actor="cli",
                    program=program,
                    agency=agency,
                    stream=iter(lambda: handle.read(1 << 20), b""),
                    filename=path.name,
                )

        # Another run of the same file may hold SQLite's write lock for a moment.
        uploaded, created = when_locked(receive)

        def discard(reason: str) -> None:
            when_locked(
                lambda: services.upload_discard(actor="cli", uploaded=uploaded, reason=reason)
            )

        handed_in = when_locked(lambda: Submission.objects.filter(file=uploaded).first())
        if handed_in is not None:
            return handed_in, True
        try:
            sheets = services.file_read(uploaded)
            layouts = when_locked(lambda: services.file_analyse(uploaded, sheets))
        except ServiceError as exc:
            if created:
                discard(exc.message)
            raise
        if options["sheet"] is not None:
            layouts = [lay for lay in layouts if lay.name == options["sheet"]]
            if not layouts:
                raise UsageError(
                    f"Lembar {options['sheet']!r} tidak ditemukan atau tidak "
                    "memiliki judul kolom yang dikenali."
                )
        elif layouts:
            layouts = [lay for lay in layouts if lay.signature == layouts[0].signature]
        # Without NIK and name columns every row would be rejected; a smaller guess (say only
        # NIK, Nama and one more column) is fine, since the row checks report the rest.
        unsure = [lay for lay in layouts if not {"nik", "name"} <= set(lay.columns)]
        if unsure:
            # No one is there to confirm a guess: refuse rather than reject every row.
            if created:
                discard("unsure_layout")
            reasons = "; ".join(unsure[0].reasons) or "kolom NIK atau Nama tidak ditemukan"
            raise UsageError(
                f"Kolom lembar {unsure[0].name or '1'!r} belum dapat dikenali dengan yakin "
                f"({reasons}). Konfirmasi pemetaan kolom sekali di aplikasi (Usulan → Unggah "
                "daftar); perintah ini lalu memakai pemetaan yang diingat itu."
            )
        job, made = when_locked(
            lambda: services.job_create_once(
                actor="cli",
                uploaded=uploaded,
                layouts=layouts,
                draft=options["draft"],
                enqueue=False,
                past_failures=False,
            )
        )
        if not made:
            # The same file is being imported by another run at this moment (issue 15, 10).
            raise UsageError(
                f"File yang sama sedang diimpor oleh proses lain (proses #{job.pk}); "
                "tunggu sampai selesai lalu jalankan perintah ini lagi untuk melihat usulannya."
            )
        job = services.job_run(job_id=job.pk, sheets=sheets)  # repeats its own statements
        submission = when_locked(lambda: Submission.objects.filter(pk=job.submission_id).first())
        if job.status != JobStatus.DONE or submission is None:
            raise UsageError(job.message or "Impor gagal.")
        return submission, False

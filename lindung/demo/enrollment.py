"""The demo's program year in progress, through the services a Pemda uses: the roster of
participants BPJS already had when Tulungagung adopted Lindung, an allocation of the verified
candidates approved by the Kepala Dinas (the rest on a waiting list: the APBD money is nearly
all committed), the registration file sent to BPJS and its result file read back (KPJ numbers,
two rejections), and, after a death reported as a claim (`lindung.demo.claims`) ends an
enrolment, a refill proposal from the waiting list awaiting the Kepala Dinas.

The BPJS files are written here as a branch sends them: a title row above the header and
BPJS's own column names."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.common.errors_domain import ServiceError
from lindung.demo.generator import generate_workers
from lindung.domain.allocation import add_months
from lindung.enrollment.approval import (
    allocation_approve,
    allocation_refill_propose,
)
from lindung.enrollment.bpjs.export import bpjs_export_create
from lindung.enrollment.bpjs.results import bpjs_result_import
from lindung.enrollment.bpjs.roster import participants_roster_import
from lindung.enrollment.models import AllocationLine, LineOutcome
from lindung.enrollment.services import allocation_propose
from lindung.programs.models import Program
from lindung.regions.models import Region, RegionLevel
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus
from lindung.workers.restrictions import restriction_place

# Participants BPJS already covered for the Pemda when it adopted Lindung, paid from APBD (SG):
# they take nearly all of the APBD money (22.480 × 12 × Rp 16.800 of Rp 4,536 miliar), so the
# agencies' new candidates wait for money to be freed.
ROSTER_SIZE = 22_480
ROSTER_SEED = 2_024
# BPJS rejects these many of the registration file, with its reason.
REJECTED = 2
REJECTION_REASON = "NIK tidak ditemukan di data Dukcapil"
# Rows of the demo's BPJS files carry KPJ numbers from this block.
KPJ_BASE = 26_040_000_000


def demo_roster(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """The participants BPJS already covered when the Pemda adopted Lindung (before the
    agencies' lists are verified, so that a listed participant is found enrolled)."""
    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as folder:
        roster = _roster_file(program, Path(folder) / "peserta-bpjs-tulungagung.csv", as_of=as_of)
        participants_roster_import(
            actor=users["bpjs"], program=program, path=roster, filename=roster.name
        )


def demo_enrollment(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """The verified candidates allocated, approved, sent to BPJS and read back (steps in the
    module's docstring; the death is a claim, the refill follows it: `demo_refill`)."""
    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as folder:
        work = Path(folder)
        proposal = allocation_propose(
            actor=users["verifikator"],
            program=program,
            as_of=as_of,
            start_month=program.start_month,  # recorded as it happened: from January
        )
        if proposal.allocation is not None and proposal.allocated:
            allocation_approve(actor=users["kadis"], allocation=proposal.allocation)
        _send_and_read_back(program, users, work)


def _roster_file(program: Program, path: Path, *, as_of: dt.date) -> Path:
    """BPJS's list of the Pemda's participants (csv, `;`-separated, a title line first)."""
    regency = program.pemda.region_id
    villages = list(
        Region.objects.filter(
            code__startswith=f"{regency}.", level=RegionLevel.VILLAGE
        ).values_list("code", "name")
    )
    people = generate_workers(
        seed=ROSTER_SEED,
        count=ROSTER_SIZE,
        villages=villages,
        occupations=("Buruh Harian Lepas",),
        as_of=as_of,
    )
    effective = program.start_month.strftime("%d/%m/%Y")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow([f"DAFTAR PESERTA BPU WADAH {program.pemda.name.upper()}"])
        writer.writerow(
            ["No", "NIK", "Nama Peserta", "Kode Wilayah", "No KPJ", "TMT", "Kode Wadah", "Status"]
        )
        for number, person in enumerate(people, start=1):
            kpj = f"{KPJ_BASE - number:011d}"
            village = person.village_code.replace(".", "")  # as a spreadsheet keeps it
            writer.writerow(
                [number, person.nik, person.name, village, kpj, effective, "SG", "AKTIF"]
            )
    return path


def _send_and_read_back(program: Program, users: dict[str, User], work: Path) -> None:
    """The registration file of the approved people, and BPJS's answer to it."""
    if not Enrolment.objects.filter(program=program, status=EnrolmentStatus.APPROVED).exists():
        return
    export, _path = bpjs_export_create(actor=users["bpjs"], program=program, file_format="xlsx")
    sent = list(
        Enrolment.objects.filter(program=program, status=EnrolmentStatus.SENT)
        .select_related("worker")
        .order_by("worker__name", "pk")
    )
    result = _result_file(program, sent, work / f"hasil-pendaftaran-{export.pk}.xlsx")
    bpjs_result_import(actor=users["bpjs"], program=program, path=result, filename=result.name)


def _result_file(program: Program, sent: Sequence[Enrolment], path: Path) -> Path:
    """The branch's result file: a title row, then No. KTP / Nomor Peserta / TMT / Status /
    Keterangan; the last people of the file rejected."""
    book = Workbook()
    sheet = book.active
    sheet.append([f"HASIL PENDAFTARAN PESERTA BPU - {program.bpjs_branch.upper()}"])
    sheet.append([])
    sheet.append(["No", "No. KTP", "Nama Tenaga Kerja", "Nomor Peserta", "TMT", "Status",
                  "Keterangan"])  # fmt: skip
    effective = program.start_month.replace(day=1)
    for number, enrolment in enumerate(sent, start=1):
        rejected = number > len(sent) - REJECTED
        sheet.append(
            [
                number,
                enrolment.worker.nik,
                enrolment.worker.name.upper(),
                "" if rejected else f"{KPJ_BASE + number:011d}",
                None if rejected else (enrolment.start_month or effective),
                "DITOLAK" if rejected else "DITERIMA",
                REJECTION_REASON if rejected else "",
            ]
        )
    book.save(path)
    return path


def demo_refill(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """After a participant's death (reported as a claim, `lindung.demo.claims`), the verifier
    offers the place and money freed to the waiting list, from this month, for the Kepala
    Dinas."""
    died_on = (
        Enrolment.objects.filter(program=program, end_reason=EndReason.DECEASED)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if died_on is None:
        return
    proposed_on = min(max(died_on, add_months(as_of.replace(day=1), -1)), as_of)
    try:
        allocation_refill_propose(actor=users["verifikator"], program=program, as_of=proposed_on)
    except ServiceError:
        # Nobody waiting fits the place and money freed (e.g. the program's last month).
        return


def demo_restriction(*, program: Program, users: dict[str, User], as_of: dt.date) -> None:
    """The last person on the waiting list asked the Pemda to restrict the processing of their
    data (UU PDP Pasal 11): the admin records it, so the privacy page lists a restriction in
    force and the next proposal holds the person out with the reason."""
    line = (
        AllocationLine.objects.filter(allocation__program=program, outcome=LineOutcome.WAITING)
        .order_by("-allocation_id", "-rank")
        .first()
    )
    if line is None:
        return
    restriction_place(
        actor=users["admin"],
        nik=line.nik,
        reason=f"Surat permintaan yang bersangkutan No. 045/17/{as_of.year} (UU PDP Pasal 11)",
    )

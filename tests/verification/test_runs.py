"""Verification runs through the services: which rows are verified, the findings of each,
decisions that outlive a run, re-runs, failures, the CLI and scoping."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import sys
from importlib import import_module

import polars as pl
import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command

from lindung.__main__ import main
from lindung.audit.models import AuditEvent
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import JobStatus
from lindung.intake.models import RowOutcome, SubmissionStatus
from lindung.register import cache
from lindung.register.models import RegisterRecord
from lindung.register.services import snapshot_load
from lindung.verification import second_process, services, verify
from lindung.verification.models import (
    MatchPolicy,
    Outcome,
    ReviewDecision,
    RowVerdict,
    RunCounts,
    Verdict,
    VerificationRun,
)
from lindung.verification.selectors import verdicts_of_user
from lindung.workers.models import EndReason, Enrolment, EnrolmentStatus, Worker
from tests.factories import ProgramFactory, WorkerFactory
from tests.intake.conftest import csv_bytes

REGISTER_HEADER = (
    "ID DTKS;PROVINSI;KABUPATEN/KOTA;KECAMATAN;DESA/KELURAHAN;ALAMAT;RT;RW;NOMOR KK;NOMOR NIK;"
    "NAMA;TEMPAT LAHIR;TANGGAL LAHIR;JENIS KELAMIN;PEKERJAAN;DESIL;KETERANGAN PADAN"
)
REGISTER_LINES = [
    "350400000001;JAWA TIMUR;KAB. TULUNGAGUNG;GONDANG;KENDAL;DUSUN KRAJAN;001;002;"
    "3504091202100007;3504096804874842;SUWARNI;TULUNGAGUNG;28-04-1987;PEREMPUAN;NELAYAN;3;PADAN",
    "350400000002;JAWA TIMUR;KAB. TULUNGAGUNG;SENDANG;KEDOYO;DUSUN BARU;003;001;"
    "3504070101110001;3504074710880241;LESTARI;TULUNGAGUNG;07-10-1988;PEREMPUAN;PETANI;7;PADAN",
    "350400000003;JAWA TIMUR;KAB. TULUNGAGUNG;KEDUNGWARU;PLOSOKANDANG;DUSUN LOR;002;004;"
    "3504030303030003;3504034601761119;SRI WAHYUNI;KEDIRI;06-01-1976;PEREMPUAN;PEDAGANG;2;PADAN",
]
HEADER = ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan", "Desa", "Kecamatan"]
# Dinas Perikanan's list (row numbers as the agency sees them: header on row 1).
PERIKANAN = [
    HEADER,
    ["3504096804874842", "Suwarni", "28-04-1987", "P", "Nelayan", "Kendal", "Gondang"],  # 2
    ["3504074710880249", "Lestari", "07-10-1988", "P", "Nelayan", "Kedoyo", "Sendang"],  # 3
    ["3504095806010862", "Siti Aminah", "18-06-2001", "P", "Nelayan", "Kendal", "Gondang"],  # 4
    ["3504034601761119", "Sri Wahyuni", "06-01-1976", "P", "Nelayan", "Plosokandang",
     "Kedungwaru"],  # 5
    ["3504091203500001", "Karto", "12-03-1950", "L", "Nelayan", "Kendal", "Gondang"],  # 6
]  # fmt: skip
# Dinas Perhubungan hands in two of the same people: Sri Wahyuni with two digits swapped,
# Siti Aminah with a NIK cut short (rejected at intake, still verified).
DISHUB = [
    HEADER,
    ["3504034601761191", "Sri Wahyuni", "06-01-1976", "P", "Tukang ojek", "Plosokandang",
     "Kedungwaru"],  # 2
    ["3504095806010", "Siti Aminah", "18-06-2001", "P", "Tukang ojek", "Kendal", "Gondang"],  # 3
]  # fmt: skip


@pytest.fixture
def small_register(pemda, tmp_path):
    path = tmp_path / "dtks.csv"
    path.write_text("\n".join([REGISTER_HEADER, *REGISTER_LINES]) + "\n", encoding="utf-8")
    return snapshot_load(
        actor="cli", pemda=pemda, path=path, filename=path.name, source="dtks",
        as_of=dt.date(2025, 6, 30),
    )  # fmt: skip


@pytest.fixture
def handed_in(program, agency, other_agency, small_register, hand_in):
    return (
        hand_in(agency, csv_bytes(PERIKANAN)),
        hand_in(other_agency, csv_bytes(DISHUB)),
    )


def verdicts(run: VerificationRun) -> dict[tuple[str, int], RowVerdict]:
    return {
        (v.agency.code, v.row.row_number): v
        for v in RowVerdict.objects.filter(run=run).select_related("row", "agency")
    }


def test_every_handed_in_row_is_verified_rejected_rows_included(
    handed_in, program, agency, operator
):
    perikanan, dishub = handed_in
    assert dishub.rows.get(row_number=3).outcome == RowOutcome.REJECTED
    run = services.run_verification(actor="cli", program=program)
    assert run.status == JobStatus.DONE
    got = verdicts(run)
    assert len(got) == 7
    assert run.rows == 7
    for submission in (perikanan, dishub):
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.IN_VERIFICATION


def test_a_run_keeps_the_evidence_weights_its_scores_rest_on(handed_in, program):
    from lindung.verification.matching import WEIGHTS

    run = services.run_verification(actor="cli", program=program)
    run.refresh_from_db()
    assert run.policy["learn_weights"] is False
    assert run.policy["weights"] == dict(WEIGHTS)
    # The stored policy still gives the run's settings back (the weights are no setting).
    assert services.matching.MatchSettings.from_policy(run.policy).link_accept == 0.99


def test_a_pemda_that_learns_weights_gets_a_run_scored_with_learned_weights(
    handed_in, program, pemda
):
    from lindung.verification.matching import WEIGHTS

    services.policy_update(actor="test", pemda=pemda, learn_weights=True)
    run = services.run_verification(actor="cli", program=program)
    run.refresh_from_db()
    assert run.policy["learn_weights"] is True
    assert set(run.policy["weights"]) == set(WEIGHTS)
    # A handful of rows: each level too rare to move its hand weight, but the prior is the
    # log-odds of the share of matches among this run's candidate pairs.
    assert run.policy["weights"]["name_same"] == WEIGHTS["name_same"]
    assert run.policy["weights"]["prior"] != WEIGHTS["prior"]
    assert run.status == JobStatus.DONE


def test_each_list_a_run_takes_in_leaves_its_own_audit_event(handed_in, program):
    perikanan, dishub = handed_in

    services.run_verification(actor="cli", program=program)

    events = AuditEvent.objects.filter(action="submission.verification_started")
    assert sorted(e.object_id for e in events) == sorted(str(s.pk) for s in (perikanan, dishub))
    assert all(e.changes["status"] == ["submitted", "in_verification"] for e in events)


def test_each_row_gets_its_findings(handed_in, program, agency, other_agency):
    run = services.run_verification(actor="cli", program=program)
    got = verdicts(run)
    a, b = agency.code, other_agency.code

    suwarni = got[(a, 2)]
    assert (suwarni.outcome, suwarni.verdict, suwarni.match) == ("in_register", "eligible", "exact")
    assert (suwarni.register_id, suwarni.register_nik, suwarni.desil) == (
        "350400000001", "3504096804874842", 3,
    )  # fmt: skip
    assert suwarni.findings[0]["message"] == "Ada di DTKS per 30-06-2025, desil 3."

    lestari = got[(a, 3)]  # one digit off her register NIK
    assert (lestari.outcome, lestari.verdict, lestari.match) == (
        "probable_in_register", "review", "probable",
    )  # fmt: skip
    assert lestari.review_match
    assert lestari.register_id == "350400000002"
    assert lestari.reasons[0] == "nik_substituted"

    karto = got[(a, 6)]  # born 12-03-1950: 74 on 01-01-2025, above the factory program's 64
    assert (karto.outcome, karto.verdict) == ("age_out_of_range", "ineligible")
    assert karto.findings[0]["message"] == "Usia 74 tahun pada awal program; batas 15–64 tahun."

    # Sri Wahyuni from two agencies: one exact, one with swapped digits; one group.
    sri_a, sri_b = got[(a, 5)], got[(b, 2)]
    assert sri_a.group == sri_b.group is not None
    assert (sri_a.duplicate_of_id, sri_b.duplicate_of_id) == (sri_b.row_id, sri_a.row_id)
    assert sri_a.outcome == sri_b.outcome == Outcome.DUPLICATE
    assert sri_a.review_duplicate
    assert sri_b.review_duplicate
    assert sri_a.verdict == sri_b.verdict == Verdict.REVIEW
    assert "Dinas" in sri_a.findings[0]["message"]

    # Siti Aminah: not in the register; her second row has a broken NIK and is found anyway.
    siti_a, siti_b = got[(a, 4)], got[(b, 3)]
    assert siti_a.match == siti_b.match == "none"
    assert siti_a.group == siti_b.group is not None
    codes_b = [f["code"] for f in siti_b.findings]
    assert codes_b == ["duplicate", "nik_invalid", "not_in_register"]
    assert siti_b.verdict == Verdict.INELIGIBLE  # broken NIK and no register record to fix it


def test_decisions_are_kept_for_the_next_run(handed_in, program, agency, other_agency, verifier):
    first = services.run_verification(actor="cli", program=program)
    got = verdicts(first)
    a, b = agency.code, other_agency.code
    services.match_decide(actor=verifier, verdict=got[(a, 3)], accepted=True, note="KTP dicek")
    services.duplicate_decide(actor=verifier, verdict=got[(b, 2)], owner=got[(a, 5)], note="")

    # The current run follows at once ...
    lestari = RowVerdict.objects.get(pk=got[(a, 3)].pk)
    assert (lestari.outcome, lestari.verdict, lestari.review_match) == (
        "in_register",
        "eligible",
        False,
    )
    sri_b = RowVerdict.objects.get(pk=got[(b, 2)].pk)
    assert (sri_b.outcome, sri_b.verdict) == ("duplicate", "ineligible")
    assert "tidak diteruskan" in sri_b.findings[0]["message"]

    # ... and a new run applies the same decisions; the first run stays as it was.
    second = services.run_verification(actor="cli", program=program)
    again = verdicts(second)
    assert again[(a, 3)].outcome == "in_register"
    assert again[(a, 3)].verdict == "eligible"
    assert again[(a, 3)].reasons == ["decided"]
    assert again[(a, 5)].verdict == "eligible"
    assert Outcome.DUPLICATE not in {f["code"] for f in again[(a, 5)].findings}
    assert (again[(b, 2)].outcome, again[(b, 2)].verdict) == ("duplicate", "ineligible")
    assert RowVerdict.objects.filter(run=first).count() == 7
    assert ReviewDecision.objects.count() == 3  # one match, two rows of the group
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"verification.match_accepted", "verification.duplicate_resolved"} <= actions


def test_a_rejected_link_stays_rejected(handed_in, program, agency, verifier):
    run = services.run_verification(actor="cli", program=program)
    lestari = verdicts(run)[(agency.code, 3)]
    services.match_decide(actor=verifier, verdict=lestari, accepted=False, note="orang lain")
    lestari.refresh_from_db()
    assert (lestari.outcome, lestari.match, lestari.verdict) == (
        "not_in_register",
        "none",
        "eligible",
    )
    rerun = verdicts(services.run_verification(actor="cli", program=program))
    assert rerun[(agency.code, 3)].match == "none"


def test_the_owner_must_belong_to_the_group(handed_in, program, agency, other_agency, verifier):
    got = verdicts(services.run_verification(actor="cli", program=program))
    with pytest.raises(ServiceError):
        services.duplicate_decide(
            actor=verifier, verdict=got[(other_agency.code, 2)], owner=got[(agency.code, 2)]
        )


def test_program_policy_rules_out_rows(handed_in, program, agency):
    program.max_desil = 2
    program.register_required = True
    program.save()
    got = verdicts(services.run_verification(actor="cli", program=program))
    suwarni = got[(agency.code, 2)]  # desil 3
    assert (suwarni.outcome, suwarni.verdict) == ("desil_too_high", "ineligible")
    assert suwarni.findings[0]["message"] == "Desil 3 di atas batas program (desil 2)."
    siti = got[(agency.code, 4)]  # not in the register, which the program requires
    assert siti.verdict == "ineligible"


def test_enrolled_renewing_and_dead_people_are_recognised(pemda, handed_in, program, agency):
    last_year = ProgramFactory(pemda=pemda, code="pekerja-rentan-2024", year=2024)
    suwarni = WorkerFactory(
        pemda=pemda, nik="3504096804874842", name="SUWARNI", sex="P",
        birth_date=dt.date(1987, 4, 28),
    )  # fmt: skip
    siti = WorkerFactory(
        pemda=pemda, nik="3504095806010862", name="SITI AMINAH", sex="P",
        birth_date=dt.date(2001, 6, 18),
    )  # fmt: skip
    karto = WorkerFactory(
        pemda=pemda, nik="3504091203500001", name="KARTO", sex="L",
        birth_date=dt.date(1950, 3, 12), died_on=dt.date(2025, 2, 1),
    )  # fmt: skip
    Enrolment.objects.create(
        pemda=pemda, program=program, worker=suwarni, status=EnrolmentStatus.ACTIVE
    )
    Enrolment.objects.create(
        pemda=pemda, program=last_year, worker=siti, status=EnrolmentStatus.ENDED,
        end_reason=EndReason.PROGRAM_ENDED,
    )  # fmt: skip
    Enrolment.objects.create(pemda=pemda, program=last_year, worker=karto)
    lestari = WorkerFactory(
        pemda=pemda, nik="3504074710880241", name="LESTARI", sex="P",
        birth_date=dt.date(1988, 10, 7), village_id="35.04.07.2001",
    )  # fmt: skip
    Enrolment.objects.create(pemda=pemda, program=program, worker=lestari)
    got = verdicts(services.run_verification(actor="cli", program=program))
    assert (got[(agency.code, 2)].outcome, got[(agency.code, 2)].verdict) == (
        "already_enrolled", "ineligible",
    )  # fmt: skip
    siti_codes = [f["code"] for f in got[(agency.code, 4)].findings]
    assert siti_codes[-1] == "renewal"
    assert got[(agency.code, 6)].outcome == "deceased"
    # Lestari's row has a digit of her NIK wrong: still recognised as enrolled.
    assert got[(agency.code, 3)].outcome == "already_enrolled"


def test_a_large_run_links_to_the_register_and_assesses_half_its_rows_in_a_second_process_alike(
    pemda, handed_in, program, monkeypatch
):
    # Suwarni is enrolled already; Sri Wahyuni and Siti Aminah are each handed in by both
    # agencies (four rows, each the duplicate of another).
    WorkerFactory(
        pemda=pemda, nik="3504096804874842", name="SUWARNI", sex="P",
        birth_date=dt.date(1987, 4, 28),
    )  # fmt: skip
    Enrolment.objects.create(
        pemda=pemda, program=program, worker=Worker.objects.get(nik="3504096804874842")
    )
    used: list[bool] = []
    original = second_process.SecondProcess.result

    def result(self):
        used.append(self._pool is not None)
        return original(self)

    monkeypatch.setattr(second_process.SecondProcess, "result", result)
    split: list[bool] = []
    original_assess = second_process.SecondProcess.assess

    def assess(self, rows, policy):
        split.append(self._pool is not None and rows.height >= second_process.ASSESS_SPLIT_FROM)
        return original_assess(self, rows, policy)

    monkeypatch.setattr(second_process.SecondProcess, "assess", assess)

    def stored(run: VerificationRun) -> dict[tuple[str, int], tuple[object, ...]]:
        return {
            key: (v.outcome, v.verdict, v.findings, v.match, v.record_id, v.score, v.reasons,
                  v.group, v.duplicate_of_id, v.duplicate_score, v.review_duplicate)
            for key, v in verdicts(run).items()
        }  # fmt: skip

    in_one = stored(services.run_verification(actor="cli", program=program))
    monkeypatch.setattr(second_process, "SIDE_PROCESS_FROM", 1)
    monkeypatch.setattr(second_process, "ASSESS_SPLIT_FROM", 2)
    in_two = stored(services.run_verification(actor="cli", program=program))

    assert used == [False, True]
    assert split == [False, True]
    assert in_two == in_one
    outcomes = sorted(v[0] for v in in_two.values())
    assert outcomes.count("already_enrolled") == 1
    assert outcomes.count("duplicate") == 4


def linked(run: VerificationRun) -> dict[tuple[str, int], tuple[object, ...]]:
    """Each verdict's findings and link, by agency and row."""
    return {
        key: (v.outcome, v.verdict, v.findings, v.match, v.record_id, v.score, v.reasons)
        for key, v in verdicts(run).items()
    }


def test_a_second_process_that_cannot_read_the_prepared_register_leaves_the_link_to_the_run(
    handed_in, program, monkeypatch, tmp_path
):
    in_one = linked(services.run_verification(actor="cli", program=program))
    monkeypatch.setattr(second_process, "SIDE_PROCESS_FROM", 1)
    # The second process is pointed at files that are not there.
    monkeypatch.setattr(
        second_process, "prepared_register_prefix", lambda snapshot: tmp_path / "gone"
    )
    fell_back: list[bool] = []
    original = second_process.SecondProcess.result

    def result(self):
        links = original(self)
        fell_back.append(self._pool is None)  # closed after the second process failed
        return links

    monkeypatch.setattr(second_process.SecondProcess, "result", result)
    in_two = linked(services.run_verification(actor="cli", program=program))

    assert fell_back == [True]
    assert in_two == in_one
    assert any(v[3] == "exact" for v in in_two.values())


def test_a_register_that_cannot_be_stored_prepared_is_handed_to_the_second_process_alike(
    handed_in, program, monkeypatch
):
    in_one = linked(services.run_verification(actor="cli", program=program))
    monkeypatch.setattr(second_process, "SIDE_PROCESS_FROM", 1)
    # A full disk: the prepared register cannot be stored.
    monkeypatch.setattr(second_process, "prepared_register_prefix", lambda snapshot: None)
    handed: list[bool] = []
    original = second_process.SecondProcess.result

    def result(self):
        handed.append(self._pool is not None and self._prefix is None)
        links = original(self)
        handed.append(self._pool is not None)  # the second process did the link
        return links

    monkeypatch.setattr(second_process.SecondProcess, "result", result)
    in_two = linked(services.run_verification(actor="cli", program=program))

    assert handed == [True, True]
    assert in_two == in_one
    assert any(v[3] == "exact" for v in in_two.values())


def test_a_failed_run_leaves_no_verdicts_and_can_be_run_again(handed_in, program, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(verify, "insert_frame", broken)
    with pytest.raises(RuntimeError):
        services.run_verification(actor="cli", program=program)
    failed = VerificationRun.objects.get()
    assert failed.status == JobStatus.FAILED
    assert "jalankan ulang" in failed.message
    assert not RowVerdict.objects.exists()
    monkeypatch.undo()
    run = services.run_verification(actor="cli", program=program)
    assert RowVerdict.objects.filter(run=run).count() == 7


def test_a_program_without_handed_in_lists_cannot_be_verified(program):
    with pytest.raises(ServiceError, match="Belum ada usulan"):
        services.run_verification(actor="cli", program=program)


def test_an_operator_sees_only_the_verdicts_of_their_agency(handed_in, program, operator, admin):
    run = services.run_verification(actor="cli", program=program)
    assert verdicts_of_user(user=operator, run=run).count() == 5
    assert verdicts_of_user(user=admin, run=run).count() == 7


def test_bulk_accept_takes_only_clear_links(handed_in, program, verifier):
    run = services.run_verification(actor="cli", program=program)
    # Lestari: -13 + 7.5 + 7 + 7 + 1 + 1.5 = 11 bits (0,99951); Sri Wahyuni of Dishub, two
    # digits swapped: 12 bits (0,99976).
    assert services.matches_accept_bulk(actor=verifier, run=run, min_score=0.9999) == 0
    assert services.matches_accept_bulk(actor=verifier, run=run, min_score=0.9996) == 1
    assert services.matches_accept_bulk(actor=verifier, run=run, min_score=0.999) == 1
    assert not RowVerdict.objects.filter(run=run, review_match=True).exists()
    with pytest.raises(ServiceError):
        services.matches_accept_bulk(actor=verifier, run=run, min_score=0.2)


def test_thresholds_are_per_pemda_and_checked(pemda, admin):
    policy = services.policy_update(actor=admin, pemda=pemda, link_review=0.7)
    assert (policy.link_review, policy.version) == (0.7, 2)
    assert verify.match_settings(pemda.pk).link_review == 0.7
    with pytest.raises(ServiceError):
        services.policy_update(actor=admin, pemda=pemda, link_review=0.999, link_accept=0.99)
    with pytest.raises(ServiceError):
        services.policy_update(actor=admin, pemda=pemda, link_accept=1.5)
    assert MatchPolicy.objects.get(pemda=pemda).link_review == 0.7
    assert AuditEvent.objects.filter(action="verification.policy_changed").count() == 1


def test_the_cli_prints_counts_per_outcome(handed_in, program):
    out = io.StringIO()
    call_command("verify", "--program", program.code, "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["rows"] == 7
    assert sum(payload["outcomes"].values()) == 7
    assert payload["outcomes"]["in_register"] == 1
    assert payload["outcomes"]["duplicate"] == 4
    # Lestari and Dishub's Sri Wahyuni await a link decision; both groups an owner.
    assert payload["review"] == {"match": 2, "duplicate": 4}
    assert payload["matches"]["exact"] == 2


def test_the_cli_refuses_an_unknown_program_in_one_line(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["lindung", "verify", "--program", "tidak-ada", "--json"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert (
        capsys.readouterr().err.strip()
        == "Kesalahan: Program dengan kode 'tidak-ada' tidak ditemukan."
    )


def test_the_cli_leaves_its_heap_out_of_the_collections_at_exit(
    handed_in, program, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "argv", ["lindung", "verify", "--program", program.code, "--json"])
    gc.unfreeze()  # an earlier test's command may have left its heap frozen
    try:
        main()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert json.loads(capsys.readouterr().out)["rows"] == 7


def test_the_cli_starts_without_django_system_checks(db, capsys, monkeypatch):
    checked = []
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: checked.append(1) or [])
    monkeypatch.setattr(sys, "argv", ["lindung", "verify", "--program", "tidak-ada"])
    with pytest.raises(SystemExit):
        main()
    assert checked == []
    assert "tidak ditemukan" in capsys.readouterr().err


def test_rows_found_to_be_different_people_leave_their_group(handed_in, program, agency, verifier):
    got = verdicts(services.run_verification(actor="cli", program=program))
    siti = got[(agency.code, 4)]
    services.duplicate_decide(actor=verifier, verdict=siti, owner=None, note="beda ibu kandung")
    siti.refresh_from_db()
    assert (siti.outcome, siti.review_duplicate) == ("not_in_register", False)
    assert AuditEvent.objects.filter(action="verification.duplicate_separated").count() == 1
    again = verdicts(services.run_verification(actor="cli", program=program))
    assert again[(agency.code, 4)].group is None
    assert again[(agency.code, 4)].verdict == "eligible"


def test_one_agencys_duplicate_resolves_itself_only_when_sure(
    pemda, program, agency, small_register, hand_in
):
    # Dinas Perikanan hands in Suwarni twice: once on her NIK, once with a digit wrong.
    twice = [
        HEADER,
        ["3504096804874842", "Suwarni", "28-04-1987", "P", "Nelayan", "Kendal", "Gondang"],
        ["3504096804874843", "Suwarni", "28-04-1987", "P", "Nelayan", "Kendal", "Gondang"],
    ]
    hand_in(agency, csv_bytes(twice))
    got = verdicts(services.run_verification(actor="cli", program=program))
    first, second = got[(agency.code, 2)], got[(agency.code, 3)]
    assert first.group == second.group is not None
    # The group rests on both rows linking to Suwarni; its weakest evidence is the probable
    # link (11 bits: 0,99951), above the default duplicate_accept of 0,99, so the group
    # resolves to its first row. With 0,9999 a verifier decides.
    assert (first.review_duplicate, second.review_duplicate) == (False, False)
    assert (first.outcome, second.outcome) == ("in_register", "duplicate")
    services.policy_update(actor="test", pemda=pemda, duplicate_accept=0.9999)
    got = verdicts(services.run_verification(actor="cli", program=program))
    assert got[(agency.code, 2)].review_duplicate
    assert got[(agency.code, 3)].review_duplicate


def test_the_register_is_read_from_its_cache_once_written(
    handed_in, program, small_register, monkeypatch
):
    first = verdicts(services.run_verification(actor="cli", program=program))
    assert cache._cache_file(small_register).exists()

    def no_database(*args, **kwargs):
        raise AssertionError("the register was read from the database")

    monkeypatch.setattr(cache, "read_frame", no_database)
    assert len(cache.read_register(small_register)) == 3
    monkeypatch.undo()
    second = verdicts(services.run_verification(actor="cli", program=program))
    assert {k: (v.outcome, v.register_id) for k, v in first.items()} == {
        k: (v.outcome, v.register_id) for k, v in second.items()
    }


def test_a_cache_that_disagrees_with_the_database_is_ignored(handed_in, program, small_register):
    frame = cache.read_register(small_register)
    cache.register_cache_store(small_register, frame.with_columns(pl.col("record_id") + 1000))
    again = cache.read_register(small_register)
    assert again.get_column("record_id").to_list() == frame.get_column("record_id").to_list()


def test_a_cache_short_of_the_snapshots_records_at_either_end_is_ignored(small_register):
    frame = cache.read_register(small_register)
    assert frame.height == 3
    for short in (frame.slice(1), frame.slice(0, 2)):
        cache.register_cache_store(small_register, short)
        assert cache.read_register(small_register).equals(frame)


def test_a_cache_of_records_deleted_since_is_ignored(small_register):
    assert cache.read_register(small_register).height == 3
    RegisterRecord.objects.filter(snapshot=small_register).delete()
    assert cache.read_register(small_register).height == 0


def test_a_cache_whose_ids_have_gaps_is_checked_by_counting(small_register, monkeypatch):
    middle = RegisterRecord.objects.filter(snapshot=small_register).order_by("pk")[1]
    middle.delete()
    frame = cache.read_register(small_register)  # from the database: ids with a gap
    assert frame.get_column("record_id").to_list() == sorted(
        RegisterRecord.objects.filter(snapshot=small_register).values_list("pk", flat=True)
    )
    with_gap = cache._cache_file(small_register)
    assert with_gap.exists()

    def no_database(*args, **kwargs):
        raise AssertionError("the register was read from the database")

    monkeypatch.setattr(cache, "read_frame", no_database)
    assert cache.read_register(small_register).equals(frame)
    # A record of the gap's snapshot gone: the count tells.
    RegisterRecord.objects.filter(pk=frame.get_column("record_id")[0]).delete()
    monkeypatch.undo()
    assert cache.read_register(small_register).height == 1


@pytest.mark.usefixtures("handed_in")
def test_some_of_the_registers_columns_are_read_alike_from_its_cache_and_the_database(
    small_register,
):
    columns = ["register_id", "desil"]
    whole = cache.read_register(small_register)  # from the database, then cached
    assert cache._cache_file(small_register).exists()
    cached = cache.read_register(small_register, columns)
    cache._cache_file(small_register).unlink()
    uncached = cache.read_register(small_register, columns)
    assert cached.columns == uncached.columns == ["record_id", *columns]
    assert cached.equals(whole.select("record_id", *columns))
    assert uncached.equals(cached)
    assert cache.read_register(None, columns).columns == ["record_id", *columns]


def test_loading_a_snapshot_writes_its_cache(
    pemda, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    path = tmp_path / "dtks.csv"
    path.write_text("\n".join([REGISTER_HEADER, *REGISTER_LINES]) + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        small_register = snapshot_load(
            actor="cli", pemda=pemda, path=path, filename=path.name, source="dtks",
            as_of=dt.date(2025, 6, 30),
        )  # fmt: skip
    assert cache._cache_file(small_register).exists()

    def no_database(*args, **kwargs):
        raise AssertionError("the register was read from the database")

    monkeypatch.setattr(cache, "read_frame", no_database)
    cached = cache.read_register(small_register)
    assert cached.get_column("register_id").to_list() == [
        "350400000001", "350400000002", "350400000003",
    ]  # fmt: skip
    assert cached.row(0, named=True)["birth_date"] == dt.date(1987, 4, 28)
    assert cached.get_column("desil").to_list() == [3, 7, 2]


def test_counts_of_runs_made_before_typed_counts_are_nested_by_the_migration(program):
    migration = import_module("lindung.verification.migrations.0005_run_counts_typed")
    run = VerificationRun.objects.create(
        pemda=program.pemda,
        program=program,
        counts={
            "rows": 5,
            "outcome:in_register": 3,
            "outcome:duplicate": 2,
            "verdict:eligible": 3,
            "verdict:review": 2,
            "match:exact": 3,
            "match:none": 2,
            "review:match": 1,
            "review:duplicate": 2,
            "duplicate_groups": 1,
        },
    )

    migration.nest(apps, None)
    run.refresh_from_db()

    assert run.tally == RunCounts(
        rows=5,
        outcomes={"in_register": 3, "duplicate": 2},
        verdicts={"eligible": 3, "review": 2},
        matches={"exact": 3, "none": 2},
        review_match=1,
        review_duplicate=2,
        duplicate_groups=1,
    )

"""A row's findings in words: the context a run decides in, the domain core's candidate
built from a row of the run's frame, and the messages verifiers and agencies read."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from django.utils.translation import gettext

from lindung.domain import eligibility
from lindung.domain.eligibility import (
    EligibilityPolicy,
    Finding,
    Outcome,
    RowRef,
)
from lindung.programs.models import Program
from lindung.register.models import RegisterSnapshot
from lindung.verification import matching
from lindung.verification.candidates import (  # noqa: F401 - the candidate, as before
    NIK_INCONSISTENT_CODES,
    NIK_INVALID_CODES,
    candidate_of,
)

# Words for the evidence codes of `matching`, shown to verifiers and agencies.
REASON_LABELS: Final[Mapping[str, str]] = {
    "nik_exact": "NIK sama",
    "nik_substituted": "NIK beda satu digit",
    "nik_transposed": "dua digit NIK tertukar",
    "nik_missing_digit": "NIK kurang satu digit",
    "nik_extra_digit": "NIK kelebihan satu digit",
    # No longer found (two edits, not one: issue 10 session 14); verdicts of earlier runs
    # still carry it.
    "nik_moved_digit": "satu digit NIK bergeser",
    "nik_day_plus_40": "tanggal lahir di NIK tanpa/dengan +40",
    "nik_slip_lost_digit": "NIK salah ketik satu digit dan digit terakhirnya hilang",
    "nik_is_kk": "nomor KK tertulis di kolom NIK",
    "same_kk": "nomor KK sama",
    "nik_of_relative": "NIK anggota keluarga lain (KK sama) tertulis di kolom NIK",
    "nik_near": "NIK beda dua digit",
    "nik_cut_short": "NIK terpotong (12-14 digit), awalnya sama",
    "nik_different": "NIK berbeda",
    "nik_unknown": "NIK tidak dapat dibandingkan",
    "name_same": "nama sama",
    "name_close": "nama sangat mirip",
    "name_similar": "nama mirip",
    "name_weak": "nama agak mirip",
    "name_unlike": "nama kurang mirip",
    "name_different": "nama berbeda",
    "name_same_rare": "nama sama, dan jarang dipakai orang lain",
    "name_part": "sebagian nama sama (ada kata yang hilang atau salah ketik)",
    "name_token": "hanya satu kata nama yang sama (atau salah ketik satu huruf)",
    "date_same": "tanggal lahir sama",
    "date_one_digit": "tanggal lahir beda satu digit",
    "date_year_typo": "hari dan bulan lahir sama, tahunnya salah ketik",
    "date_day_month_swapped": "tanggal dan bulan lahir tertukar",
    "date_year_off_by_one": "tanggal dan bulan lahir sama, tahun beda satu",
    "date_same_year": "tahun lahir sama",
    "date_year_only": "hanya tahun lahir, dan sama",
    "date_year_only_near": "hanya tahun lahir, beda satu tahun",
    "date_different": "tanggal lahir berbeda",
    "date_unknown": "tanggal lahir tidak ada",
    "sex_same": "jenis kelamin sama",
    "sex_different": "jenis kelamin berbeda",
    "sex_unknown": "jenis kelamin tidak ada",
    "district_same": "kecamatan sama",
    "district_different": "kecamatan berbeda",
    "district_unknown": "kecamatan tidak ada",
    "ambiguous": "ada calon lain yang hampir sama kuat",
    "same_register_record": "padan dengan orang yang sama di DTKS/DTSEN",
    "decided": "diputuskan pemeriksa",
}

# Findings stored as {"code", "message"}, ordered by code (decisions re-sort them).
ORDER: Final = {outcome.value: index for outcome, index in eligibility.ORDER.items()}


def reasons_text(reasons: list[str] | None) -> str:
    return ", ".join(REASON_LABELS.get(code, code) for code in reasons or [])


@dataclass(frozen=True)
class Context:
    program: Program
    snapshot: RegisterSnapshot | None
    settings: matching.MatchSettings
    regency: str  # the Pemda's region code, "35.04"
    pemda_name: str
    allowed_occupations: frozenset[int]
    agency_names: Mapping[int, str]


def policy_of(context: Context) -> EligibilityPolicy:
    """The program's eligibility rules and the Pemda's link threshold."""
    program = context.program
    return EligibilityPolicy(
        min_age=program.min_age,
        max_age=program.max_age,
        residency_required=program.residency_required,
        register_required=program.register_required,
        occupations=context.allowed_occupations,
        max_desil=program.max_desil,
        link_accept=context.settings.link_accept,
    )


def message_of(
    finding: Finding,
    context: Context,
    _: Callable[[str], str] = gettext,
    *,
    marked: bool = False,
) -> str:
    """What a finding says to verifiers and agencies, in Bahasa Indonesia (``_``: how a
    message template is translated; `Wording` translates each once). ``marked``: with
    marks where the values go that tell rows apart (`MARKS`; `Wording`)."""
    match finding.outcome:
        case Outcome.DECEASED:
            where = _source(context) if finding.in_register else _("data kepesertaan")
            return _("Tercatat meninggal dunia (%s).") % where
        case Outcome.ALREADY_ENROLLED:
            return _("Sudah menjadi peserta program ini.")
        case Outcome.DUPLICATE:
            return _duplicate_message(finding, context, _, marked=marked)
        case Outcome.NIK_INVALID:
            return _("NIK tidak valid: %s") % (NIK_MARK if marked else finding.nik_message)
        case Outcome.NIK_INCONSISTENT:
            return _("Tanggal lahir atau jenis kelamin tidak cocok dengan NIK.")
        case Outcome.AGE_OUT_OF_RANGE:
            low, high = finding.age_range or (None, None)
            return _("Usia %(age)s tahun pada awal program; batas %(min)s–%(max)s tahun.") % {
                "age": AGE_MARK if marked else finding.age,
                "min": low,
                "max": high,
            }
        case Outcome.NOT_RESIDENT:
            return _("Alamat tidak dikenali sebagai wilayah %s.") % context.pemda_name
        case Outcome.OCCUPATION_NOT_ELIGIBLE:
            return _("Pekerjaan belum diisi atau tidak termasuk jenis pekerjaan program.")
        case Outcome.DESIL_TOO_HIGH:
            return _("Desil %(desil)s di atas batas program (desil %(max)s).") % {
                "desil": DESIL_MARK if marked else finding.desil,
                "max": finding.max_desil,
            }
        case Outcome.PROBABLE_IN_REGISTER:
            why = WHY_MARK if marked else reasons_text(list(finding.reasons))
            return _("Kemungkinan ada di %(source)s: %(why)s.") % {
                "source": _source(context),
                "why": why,
            }
        case Outcome.IN_REGISTER:
            text = _("Ada di %(source)s per %(as_of)s") % {
                "source": _source(context),
                "as_of": _as_of(context),
            }
            if finding.desil:
                text += _(", desil %s") % (DESIL_MARK if marked else finding.desil)
            if finding.decided:
                text += _(" (diputuskan pemeriksa)")
            return text + "."
        case Outcome.NOT_IN_REGISTER:
            text = (
                _("Tidak ditemukan di %(source)s per %(as_of)s.")
                % {"source": _source(context), "as_of": _as_of(context)}
                if context.snapshot
                else _("Belum ada data DTKS/DTSEN yang dimuat.")
            )
            if finding.register_required:
                text += " " + _("Program mensyaratkan terdaftar.")
            return text
        case Outcome.RENEWAL:
            year = context.program.year - 1
            return _("Peserta program tahun %s: diperpanjang lebih dahulu.") % year


def _source(context: Context) -> str:
    # Only the findings that name the register ask for it (Django's display of a choice
    # costs tens of microseconds; a run words thousands of duplicate findings).
    return context.snapshot.get_source_display() if context.snapshot else "DTKS/DTSEN"


def _as_of(context: Context) -> str:
    return f"{context.snapshot.as_of:%d-%m-%Y}" if context.snapshot else ""


def _duplicate_message(
    finding: Finding, context: Context, _: Callable[[str], str], *, marked: bool
) -> str:
    """A duplicate's finding names the row chosen to go forward, else the row it repeats."""
    ref = finding.owner if finding.owner is not None else finding.other or RowRef(None, None)
    agency = context.agency_names.get(ref.agency_id, "") if ref.agency_id is not None else ""
    row: object = ref.row_number
    if marked:
        agency, row = AGENCY_MARK, ROW_MARK
    owned = finding.owner is not None
    if not owned:
        who = _("%(agency)s baris %(row)s") % {"agency": agency, "row": row}
        return _("Orang yang sama juga diusulkan oleh %s; menunggu keputusan pemilik.") % who
    return _(
        "Orang yang sama diusulkan oleh %(owner)s (baris %(row)s); usulan ini tidak diteruskan."
    ) % {"owner": agency, "row": row}


# Where the values go that tell rows alike otherwise apart (`Wording`, `named`): the agency
# and row number a duplicate's finding names, the NIK's fault, the age, the decile, the
# link's evidence (private-use characters: no name, message or intake text holds them).
AGENCY_MARK: Final = "\ue000"
ROW_MARK: Final = "\ue001"
NIK_MARK: Final = "\ue002"
AGE_MARK: Final = "\ue003"
DESIL_MARK: Final = "\ue004"
WHY_MARK: Final = "\ue005"


class Wording:
    """Lists of findings in words for one run, as stored: the JSON of
    [{"code": ..., "message": ...}, ...] as `json.dumps` writes it (ensure_ascii off). Each
    message template is translated once (gettext, in the language active when first asked
    for), each distinct finding and list of findings put in words once, with marks where
    the values go that tell rows apart (`message_of`, ``marked``): rows alike but for those
    share their words (`candidates.untold`), and `named` puts each row's own in (JSON
    escapes each character on its own: the result is the JSON of the message as if worded
    with the row's values)."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._translated: dict[str, str] = {}
        self._pieces: dict[Finding, str] = {}
        self._lists: dict[tuple[Finding, ...], str] = {}
        self._quoted = json.JSONEncoder(ensure_ascii=False).encode

    def _(self, message: str) -> str:
        text = self._translated.get(message)
        if text is None:
            text = self._translated[message] = gettext(message)
        return text

    def _piece(self, finding: Finding) -> str:
        text = self._pieces.get(finding)
        if text is None:
            message = message_of(finding, self._context, self._, marked=True)
            code, quoted = self._quoted(finding.outcome.value), self._quoted(message)
            text = self._pieces[finding] = f'{{"code": {code}, "message": {quoted}}}'
        return text

    def of(self, findings: tuple[Finding, ...]) -> str:
        """``findings`` in words, with marks where each row's own values go."""
        text = self._lists.get(findings)
        if text is None:
            text = self._lists[findings] = "[" + ", ".join(map(self._piece, findings)) + "]"
        return text


def named(worded: pl.Expr, frame: pl.DataFrame, context: Context) -> pl.Expr:
    """Findings in words (`Wording.of`) with each row's own values put in where marked, from
    the run's ``frame`` (its columns as `message_of` words them): the row a duplicate's
    finding names (its group's owner when there is one, else the row it repeats), the
    NIK's fault, the age, the decile and the link's evidence."""
    quoted = json.JSONEncoder(ensure_ascii=False).encode
    names = {key: quoted(name)[1:-1] for key, name in context.agency_names.items()}
    faults = frame.get_column("nik_message").unique().to_list()
    evidence = frame.get_column("reasons").unique().to_list()
    owned = pl.col("owner").is_not_null()
    agency = pl.when(owned).then(pl.col("owner_agency")).otherwise(pl.col("duplicate_of_agency"))
    row = pl.when(owned).then(pl.col("owner_row")).otherwise(pl.col("duplicate_of_row"))
    values = {
        # A row has one finding with each mark at most (the decile: two, the same).
        ROW_MARK: row.cast(pl.String).fill_null(str(None)),
        AGE_MARK: pl.col("age").cast(pl.String).fill_null(str(None)),
        DESIL_MARK: pl.col("desil").cast(pl.String).fill_null(str(None)),
        NIK_MARK: _mapped(pl.col("nik_message"), {f: quoted(f)[1:-1] for f in faults}),
        WHY_MARK: _mapped(
            pl.col("reasons").list.join(_SEP),
            {_SEP.join(r or []): quoted(reasons_text(r))[1:-1] for r in evidence},
        ),
        # Last: the text put in before is not searched again.
        AGENCY_MARK: _mapped(agency, names),
    }
    for mark, value in values.items():
        worded = worded.str.replace_all(mark, value, literal=True)
    return worded


_SEP: Final = "\x1f"


def _mapped(keys: pl.Expr, texts: Mapping[Any, str]) -> pl.Expr:
    return keys.replace_strict(texts, default="", return_dtype=pl.String).fill_null("")


def verdict_of(
    findings: list[dict[str, str]],
    *,
    review_match: bool,
    review_duplicate: bool,
    register_required: bool,
) -> str:
    """The verdict of stored findings (a decision changes a verdict without a new run)."""
    return eligibility.verdict_of(
        [Finding(Outcome(f["code"])) for f in findings],
        review_match=review_match,
        review_duplicate=review_duplicate,
        register_required=register_required,
    ).value

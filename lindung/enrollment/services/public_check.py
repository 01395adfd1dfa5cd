"""The public status check `/cek/`: what a worker may learn about their own cover from a NIK
and the first letters of their name, and the limits that keep it from being used to
enumerate NIKs (security goal S4: POST only, NIK plus a factor not derivable from it, one
identical answer for "unknown" and "wrong name", ≤ 20 requests a minute and ≤ 100 a day
per client address, a picture CAPTCHA after 5 misses a day, and a breaker that closes the
check for everyone while misses of all clients together are unusual)."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from lindung.accounts.models import Pemda
from lindung.domain.names import strip_titles
from lindung.enrollment.models import PublicCheckHit
from lindung.programs.models import FundingKind, Program
from lindung.workers.models import Enrolment, EnrolmentStatus

PER_MINUTE = 20
PER_DAY = 100
CAPTCHA_AFTER_MISSES = 5  # a day, per client address (S4)
# The breaker: in the last BREAKER_WINDOW, at least BREAKER_MISSES answers found nothing and
# they were at least half of all requests. Workers checking their own NIK mostly find it; a
# run of unknown NIKs from many addresses is someone walking the NIK space.
BREAKER_WINDOW = dt.timedelta(minutes=10)
BREAKER_MISSES = 300
logger = logging.getLogger("lindung.security")
NAME_MIN_LETTERS = 3
DAY = dt.timedelta(days=1)
_NOT_LETTER = re.compile(r"[^A-Z]")
_VILLAGE_FUNDS = (FundingKind.ADD, FundingKind.APBDES)


class Verdict(enum.Enum):
    COVERED = "covered"
    NOT_COVERED = "not_covered"
    NOT_FOUND = "not_found"  # unknown NIK and known NIK with another name alike


@dataclass(frozen=True)
class PublicAnswer:
    verdict: Verdict
    masked_name: str = ""
    benefits: str = ""  # "JKK + JKM"
    until: dt.date | None = None
    payer: str = ""


def fold_letters(text: str) -> str:
    """Upper-case ASCII letters of a name without its titles, spaces and marks."""
    bare = strip_titles(text)[0] or text
    ascii_text = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode()
    return _NOT_LETTER.sub("", ascii_text.upper())


def name_letters_enough(name: str) -> bool:
    return len(fold_letters(name)) >= NAME_MIN_LETTERS


def mask_name(name: str) -> str:
    """ "SUPRIYANTO RAHAYU" → "SU*** RA***": two letters of each word at most."""
    bare = strip_titles(name)[0] or name
    return " ".join(word[:2].upper() + "***" for word in bare.split())


def program_last_day(program: Program) -> dt.date:
    month = program.start_month.month - 1 + program.coverage_months
    year = program.start_month.year + month // 12
    return dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1)


def pemda_government(pemda: Pemda) -> str:
    """ "Pemerintah Kabupaten Tulungagung" from the Pemda's name, however it is written."""
    name = pemda.name.strip()
    for short, long in (("Pemkab ", "Kabupaten "), ("Pemkot ", "Kota ")):
        if name.startswith(short):
            return "Pemerintah " + long + name[len(short) :]
    return name if name.lower().startswith("pemerintah") else f"Pemerintah {name}"


def payer_of(enrolment: Enrolment) -> str:
    source = enrolment.funding_source
    if source is not None and source.kind in _VILLAGE_FUNDS:
        village = enrolment.village or (source.agency.village if source.agency else None)
        if village is not None:
            return f"Pemerintah {village.kind_label} {village.name.title()}"
    if source is not None and source.kind == FundingKind.CSR:
        return source.name
    return pemda_government(enrolment.program.pemda)


def covered_on(enrolment: Enrolment, day: dt.date) -> dt.date | None:
    """The last day of cover when `enrolment` covers `day` (BPJS's effective date reached,
    not yet ended, the program's year not over); None when it does not."""
    if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED):
        return None
    if enrolment.started_on is None or enrolment.started_on > day:
        return None
    if enrolment.status == EnrolmentStatus.ENDED and enrolment.ended_on is None:
        return None
    until = min(enrolment.ended_on or dt.date.max, program_last_day(enrolment.program))
    return until if day <= until else None


def public_check(*, nik: str, name: str, on: dt.date | None = None) -> PublicAnswer:
    """The answer for a NIK and the first letters of a name on day `on` (today in the
    Pemda's time zone by default). One query whatever the NIK is, so that an unknown NIK and
    a wrong name cannot be told apart by time either."""
    day = on or timezone.localdate()
    typed = fold_letters(name)
    candidates = list(
        Enrolment.objects.filter(worker__nik=nik)
        .select_related("worker", "program__pemda", "funding_source__agency__village", "village")
        .order_by("-program__start_month", "-pk")
    )
    mine = [
        e
        for e in candidates
        if len(typed) >= NAME_MIN_LETTERS and fold_letters(e.worker.name).startswith(typed)
    ]
    if not mine:
        return PublicAnswer(Verdict.NOT_FOUND)
    covering = [(e, until) for e in mine if (until := covered_on(e, day)) is not None]
    if not covering:
        return PublicAnswer(Verdict.NOT_COVERED)
    enrolment, until = covering[0]
    return PublicAnswer(
        Verdict.COVERED,
        masked_name=mask_name(enrolment.worker.name),
        benefits=" + ".join(str(b).upper() for b in enrolment.program.benefits),
        until=until,
        payer=payer_of(enrolment),
    )


def public_check_allow(*, client: str, now: dt.datetime | None = None) -> bool:
    """Count one request of `client` and say whether it is within the limits (the request
    past them counts too, so hammering keeps the door shut). The count is an atomic
    increment of the client's row for this minute, created on first use; rows older than a
    day are pruned when a new minute starts on the hour. Not audited: a counter, not data."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    client = client[:64]
    hits = PublicCheckHit.objects.filter(client=client)
    with transaction.atomic():
        if not hits.filter(minute=minute).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    PublicCheckHit.objects.create(client=client, minute=minute, count=1)
            except IntegrityError:  # a request of the same minute created it first
                hits.filter(minute=minute).update(count=F("count") + 1)
            else:
                if minute.minute == 0:
                    PublicCheckHit.objects.filter(minute__lt=minute - DAY).delete()
        this_minute = hits.filter(minute=minute).values_list("count", flat=True).first() or 0
        today = hits.filter(minute__gt=minute - DAY).aggregate(n=Sum("count"))["n"] or 0
    return this_minute <= PER_MINUTE and today <= PER_DAY


def _minute(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()).replace(second=0, microsecond=0)


def public_check_missed(*, client: str, now: dt.datetime | None = None) -> None:
    """Count an answer that found nothing for `client` (its row of this minute exists:
    `public_check_allow` made it)."""
    PublicCheckHit.objects.filter(client=client[:64], minute=_minute(now)).update(
        failures=F("failures") + 1
    )


def captcha_needed(*, client: str, now: dt.datetime | None = None) -> bool:
    """Whether `client` has missed often enough today to be asked for the picture's digits."""
    since = _minute(now) - DAY
    misses = PublicCheckHit.objects.filter(client=client[:64], minute__gt=since).aggregate(
        n=Sum("failures")
    )["n"]
    return (misses or 0) >= CAPTCHA_AFTER_MISSES


def breaker_open(*, now: dt.datetime | None = None) -> bool:
    """Whether misses of all clients together are unusual now (see BREAKER_*): then the
    check answers no one until they calm down."""
    since = _minute(now) - BREAKER_WINDOW
    totals = PublicCheckHit.objects.filter(minute__gt=since).aggregate(
        requests=Sum("count"), misses=Sum("failures")
    )
    misses, requests = totals["misses"] or 0, totals["requests"] or 0
    tripped = misses >= BREAKER_MISSES and misses * 2 >= requests
    if tripped:
        logger.warning(
            "public check breaker open: %d misses in %d requests since %s",
            misses,
            requests,
            since.isoformat(),
        )
    return tripped

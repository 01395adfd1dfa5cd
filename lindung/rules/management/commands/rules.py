from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from lindung.accounts.models import Pemda
from lindung.common.commands import LindungCommand, UsageError
from lindung.domain import benefits
from lindung.domain.budget import months_fundable, participants_fundable, program_cost
from lindung.domain.contributions import monthly_premium
from lindung.domain.rulebook import Benefit, Payer, RuleBook, RuleError, Sector, format_rupiah
from lindung.rules.management.commands.nik import parse_date_arg
from lindung.rules.selectors import rulebook_for

BENEFIT_KINDS = ("JKM", "JKK-DEATH", "JKK-CTT", "JKK-STMB", "JKK-PARTIAL")


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError as exc:
        raise UsageError(f"--month harus berformat TTTT-BB, tertulis {value!r}.") from exc


class Command(LindungCommand):
    help = "Menghitung iuran, anggaran dan manfaat dari tabel aturan yang berlaku."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subparsers(parser, "what", "premium|budget|benefit")
        premium = sub.add_parser("premium", help="iuran per orang per bulan")
        premium.add_argument("--income", type=int, required=True, help="penghasilan (Rp)")
        premium.add_argument("--benefits", default="JKK,JKM", help="mis. JKK,JKM atau JKK,JKM,JHT")
        premium.add_argument("--month", help="bulan iuran TTTT-BB (bawaan: bulan ini)")
        premium.add_argument("--payer", default="apbd", choices=[p.value for p in Payer])
        premium.add_argument("--sector", default="other", choices=[s.value for s in Sector])
        premium.add_argument("--json", action="store_true")

        budget = sub.add_parser("budget", help="berapa bulan atau berapa orang yang terbiayai")
        budget.add_argument("--budget", type=int, required=True, help="pagu (Rp)")
        budget.add_argument("--participants", type=int, help="jumlah peserta")
        budget.add_argument("--months", type=int, help="jumlah bulan")
        budget.add_argument(
            "--monthly-premium",
            type=int,
            default=None,
            help="iuran per orang per bulan (bawaan: JKK+JKM penghasilan minimum)",
        )
        budget.add_argument("--json", action="store_true")

        benefit = sub.add_parser("benefit", help="manfaat JKM atau JKK")
        benefit.add_argument("kind", choices=BENEFIT_KINDS)
        benefit.add_argument("--income", type=int, default=1_000_000)
        benefit.add_argument(
            "--paid-months",
            type=int,
            default=12,
            help="bulan iuran berturut-turut yang terbayar (JKM)",
        )
        benefit.add_argument(
            "--contribution-months", type=int, default=0, help="masa iur dalam bulan (beasiswa JKM)"
        )
        benefit.add_argument("--arrears-months", type=int, default=0)
        benefit.add_argument("--months-off-work", default="0", help="bulan tidak bekerja (STMB)")
        benefit.add_argument("--percent", default="0", help="persen cacat sebagian (JKK-PARTIAL)")
        benefit.add_argument("--date", help="tanggal kejadian TTTT-BB-HH (bawaan: hari ini)")
        benefit.add_argument("--json", action="store_true")
        for p in (premium, budget, benefit):
            p.add_argument("--pemda", help="kode Pemda (memakai versi aturan Pemda itu)")

    def handle(self, *args: Any, **options: Any) -> None:
        rulebook = self._rulebook(options.get("pemda"))
        try:
            payload, text = {
                "premium": self._premium,
                "budget": self._budget,
                "benefit": self._benefit,
            }[options["what"]](rulebook, options)
        except RuleError as exc:
            raise UsageError(str(exc)) from exc
        if options["json"]:
            self.write_json(payload)
        else:
            self.stdout.write(text)

    def _rulebook(self, pemda_code: str | None) -> RuleBook:
        pemda_id = None
        if pemda_code:
            pemda = Pemda.objects.filter(code=pemda_code).first()
            if pemda is None:
                raise UsageError(f"Pemda dengan kode {pemda_code!r} tidak ditemukan.")
            pemda_id = pemda.pk
        return rulebook_for(pemda_id=pemda_id)

    def _premium(self, rulebook: RuleBook, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        month = _month(options["month"]) if options["month"] else timezone.localdate()
        items = [b.strip() for b in options["benefits"].split(",") if b.strip()]
        premium = monthly_premium(
            income=options["income"],
            benefits=items,
            month=month.replace(day=1),
            payer=options["payer"],
            sector=options["sector"],
            rulebook=rulebook,
        )
        parts = ", ".join(f"{k} {format_rupiah(v)}" for k, v in premium.parts.items())
        text = (
            f"Iuran {format_rupiah(premium.monthly_total)} per bulan ({parts}). "
            f"Dasar: {premium.legal_basis}"
        )
        return premium.to_dict(), text

    def _budget(self, rulebook: RuleBook, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        premium = options["monthly_premium"]
        if premium is None:
            premium = monthly_premium(
                income=rulebook.contribution_for(timezone.localdate()).min_income,
                benefits=[Benefit.JKK, Benefit.JKM],
                month=timezone.localdate().replace(day=1),
                rulebook=rulebook,
            ).monthly_total
        if options["participants"] is None and options["months"] is None:
            raise UsageError("isi --participants dan/atau --months.")
        payload: dict[str, Any] = {"budget": options["budget"], "monthly_premium": premium}
        lines = []
        if options["participants"] is not None:
            fit = months_fundable(
                budget=options["budget"],
                participants=options["participants"],
                monthly_premium=premium,
            )
            payload.update(fit.to_dict(), participants=options["participants"])
            lines.append(
                f"{options['participants']} peserta terbiayai {fit.months_fundable} "
                f"bulan penuh, sisa {format_rupiah(fit.remainder)}."
            )
        if options["months"] is not None:
            people = participants_fundable(
                budget=options["budget"], months=options["months"], monthly_premium=premium
            )
            payload.update(
                months=options["months"],
                participants_fundable=people.participants,
                participants_remainder=people.remainder,
            )
            lines.append(
                f"Selama {options['months']} bulan terbiayai {people.participants} "
                f"peserta, sisa {format_rupiah(people.remainder)}."
            )
        if options["participants"] is not None and options["months"] is not None:
            payload["cost"] = program_cost(
                participants=options["participants"],
                months=options["months"],
                monthly_premium=premium,
            )
        return payload, " ".join(lines)

    def _benefit(self, rulebook: RuleBook, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        on = parse_date_arg(options["date"], "--date") if options["date"] else timezone.localdate()
        common = {"on": on, "rulebook": rulebook, "arrears_months": options["arrears_months"]}
        kind = options["kind"]
        if kind == "JKM":
            result = benefits.jkm_death(
                paid_consecutive_months=options["paid_months"],
                contribution_months=options["contribution_months"],
                **common,
            )
        elif kind == "JKK-DEATH":
            result = benefits.jkk_death(income=options["income"], **common)
        elif kind == "JKK-CTT":
            result = benefits.jkk_permanent_total_disability(income=options["income"], **common)
        elif kind == "JKK-STMB":
            result = benefits.jkk_stmb(
                income=options["income"],
                months_off_work=_decimal(options["months_off_work"], "--months-off-work"),
                **common,
            )
        else:
            result = benefits.jkk_partial_disability(
                income=options["income"],
                percent=_decimal(options["percent"], "--percent"),
                **common,
            )
        parts = ", ".join(f"{k} {format_rupiah(v)}" for k, v in result.parts.items())
        text = (
            f"Manfaat {kind}: {format_rupiah(result.total)} ({parts}). Dasar: {result.legal_basis}"
        )
        return result.to_dict(), text


def _decimal(value: str, label: str) -> int | Decimal:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise UsageError(f"{label} harus berupa angka, tertulis {value!r}.") from exc
    return int(number) if number == number.to_integral_value() else number

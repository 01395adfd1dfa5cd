"""Forms of the money pages: the month to bill and a treasury payment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.billing.models import Payment
from lindung.billing.selectors import source_code
from lindung.domain.billing import program_month_list
from lindung.domain.money import parse_rupiah
from lindung.programs.models import FundingSource, Program


def _month_choices(program: Program) -> list[tuple[str, str]]:
    return [
        (f"{m:%Y-%m}", f"{m:%m-%Y}")
        for m in program_month_list(program.start_month, program.coverage_months)
    ]


class GenerateForm(forms.Form):
    month = forms.ChoiceField(label=_("Bulan iuran"))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(program)

    def chosen_month(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.cleaned_data['month']}-01")


class SourceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: FundingSource) -> str:
        return f"{obj.name} ({source_code(obj)})"


class PaymentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Payment) -> str:
        return f"{obj.sp2d_number} · {obj.paid_on:%d-%m-%Y} · Rp {obj.amount:,}".replace(",", ".")


class PaymentForm(forms.Form):
    funding_source = SourceChoice(label=_("Sumber dana"), queryset=FundingSource.objects.none())
    sp2d_number = forms.CharField(label=_("Nomor SP2D"), max_length=60)
    paid_on = forms.DateField(
        label=_("Tanggal SP2D"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.CharField(
        label=_("Jumlah (Rp)"),
        max_length=30,
        help_text=_("Mis. 16.800.000. Koreksi boleh negatif, mis. -16.800."),
    )
    months = forms.MultipleChoiceField(
        label=_("Bulan yang dibayar"), widget=forms.CheckboxSelectMultiple
    )
    proof = forms.FileField(
        label=_("Bukti (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    corrects = PaymentChoice(
        label=_("Mengoreksi pembayaran"),
        queryset=Payment.objects.none(),
        required=False,
        help_text=_("Isi hanya untuk koreksi: pembayaran lama tidak diubah."),
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.filter(  # type: ignore[attr-defined]
            program=program
        ).order_by("pk")
        self.fields["corrects"].queryset = Payment.objects.filter(program=program)  # type: ignore[attr-defined]
        self.fields["months"].choices = _month_choices(program)

    def clean_amount(self) -> int:
        text = self.cleaned_data["amount"].strip().replace(" ", "")
        negative = text.startswith("-")
        try:
            value = parse_rupiah(text.lstrip("-"))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return -value if negative else value

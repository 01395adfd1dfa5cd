from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.common.errors_domain import ServiceError
from lindung.workers.restrictions import nik_typed


class NikField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("NIK"),
            max_length=40,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,  # type: ignore[arg-type]
        )

    def clean(self, value: object) -> str:
        text = super().clean(value)
        try:
            return nik_typed(text)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from exc


class SubjectForm(forms.Form):
    nik = NikField()
    format = forms.ChoiceField(
        label=_("Bentuk"),
        choices=[("html", _("Tampilkan")), ("pdf", "PDF"), ("xlsx", "xlsx")],
        initial="html",
    )


class RestrictForm(forms.Form):
    nik = NikField()
    reason = forms.CharField(
        label=_("Alasan (misalnya nomor dan tanggal surat permintaan)"), max_length=255
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Shares the page with SubjectForm: its own element ids, the same field names.
        kwargs.setdefault("auto_id", "restrict_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=255)

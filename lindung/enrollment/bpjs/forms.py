"""Forms of the BPJS exchange page and of ending an enrolment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.enrollment.models import BpjsImportKind, FileFormat, ImportLineOutcome
from lindung.workers.models import EndReason


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(choices=FileFormat.choices)


class BpjsUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis file"),
        choices=BpjsImportKind.choices,
        widget=forms.RadioSelect,
        initial=BpjsImportKind.RESULT,
    )
    file = forms.FileField(
        label=_("File dari BPJS"),
        help_text=_("xlsx, xls, ods atau csv, apa adanya dari kantor cabang."),
    )


class LineFilterForm(forms.Form):
    hasil = forms.ChoiceField(
        label=_("Hasil"),
        required=False,
        choices=[("", _("Semua")), *list(ImportLineOutcome.choices)],
    )


# Lapsed (contributions unpaid) is billing's to record, not a person's decision here.
END_REASONS = [(value, label) for value, label in EndReason.choices if value != EndReason.LAPSED]


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan berakhir"), choices=END_REASONS)
    date = forms.DateField(
        label=_("Tanggal berakhir"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Iuran dibayar sampai bulan tanggal ini, tidak sesudahnya."),
    )
    confirm = forms.BooleanField(
        label=_("Saya yakin kepesertaan ini diakhiri. Tindakan ini tidak dapat dibatalkan."),
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = _(
            "Centang konfirmasi untuk mengakhiri kepesertaan."
        )

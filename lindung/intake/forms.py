from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Agency, User
from lindung.intake.recognise import FIELD_LABELS
from lindung.programs.models import Program, ProgramStatus


class UploadForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    agency = forms.ModelChoiceField(
        label=_("Instansi pengusul"), queryset=Agency.objects.none(), required=False
    )
    # Empty files pass the form so our own check refuses them, with its message and audit.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("File daftar pekerja"),
        help_text=_("xlsx, xls, ods atau csv; paling besar 50 MB dan 200.000 baris."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            pemda_id=user.pemda_id, status=ProgramStatus.OPEN
        )
        open_programs = list(self.fields["program"].queryset[:2])
        if len(open_programs) == 1:
            self.fields["program"].initial = open_programs[0].pk
        if user.is_agency_scoped:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(
                pemda_id=user.pemda_id, is_active=True
            )
            self.fields["agency"].required = True


class ReplaceForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,
        label=_("File umpan balik yang sudah diperbaiki"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )


FIELD_CHOICES = [("", _("— abaikan kolom ini —"))] + [
    (field, label) for field, label in FIELD_LABELS.items() if field != "row_no"
]


class RowForm(forms.Form):
    """One worker, as an operator types it (walk-in entry) or corrects it."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nama sesuai KTP"), max_length=200, required=False)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    birth_date = forms.CharField(
        label=_("Tanggal lahir"),
        max_length=40,
        required=False,
        help_text=_("hari-bulan-tahun, mis. 12-08-1975"),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", "—"), ("L", _("Laki-laki")), ("P", _("Perempuan"))],
    )
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    rt = forms.CharField(label=_("RT"), max_length=10, required=False)
    rw = forms.CharField(label=_("RW"), max_length=10, required=False)
    village = forms.CharField(label=_("Desa/Kelurahan"), max_length=100, required=False)
    district = forms.CharField(label=_("Kecamatan"), max_length=100, required=False)
    occupation = forms.CharField(label=_("Jenis pekerjaan"), max_length=100, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, required=False)

    @classmethod
    def initial_from_row(cls, row: Any) -> dict[str, str]:
        # A NIK a spreadsheet damaged must be typed again from the KTP: prefilling the
        # damaged digits would let one click turn a wrong number into an accepted one.
        damaged = any(issue.get("code") == "nik_excel_damaged" for issue in row.issues)
        return {
            "nik": "" if damaged else row.nik,
            "name": row.name,
            "birth_place": row.birth_place,
            "birth_date": row.birth_date.strftime("%d-%m-%Y")
            if row.birth_date
            else _raw_value(row, "birth_date"),
            "sex": row.sex,
            "address": row.address,
            "rt": row.rt,
            "rw": row.rw,
            "village": row.village.name if row.village else _raw_value(row, "village"),
            "district": row.district.name if row.district else _raw_value(row, "district"),
            "occupation": row.occupation.name if row.occupation else _raw_value(row, "occupation"),
            "phone": row.phone,
        }


def _raw_value(row: Any, field: str) -> str:
    """The value as the agency wrote it, for a field we could not resolve."""
    for sheet in row.submission.layout.get("sheets", []):
        if sheet.get("name") == row.sheet:
            column = (sheet.get("columns") or {}).get(field)
            if column is not None and column < len(row.raw):
                return str(row.raw[column] or "")
    return ""

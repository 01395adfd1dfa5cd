"""The register upload form."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.register.models import RegionCodeStyle, RegisterSource


class RegisterUploadForm(forms.Form):
    """A welfare register extract uploaded for loading as a snapshot."""

    # Empty files pass the form so the service refuses them, with its message and audit.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("File data"),
        help_text=_(
            "csv, xlsx, xls atau ods, apa adanya dari SIKS-NG, DTSEN atau P3KE; paling besar "
            "1 GB (jutaan baris boleh). Baris pertama berisi judul kolom, minimal NIK dan NAMA."
        ),
        error_messages={"required": _("Pilih file data yang akan diunggah.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.ods"}),
    )
    source = forms.ChoiceField(
        label=_("Sumber data"),
        choices=RegisterSource.choices,
        help_text=_(
            "DTKS dari SIKS-NG Kemensos, DTSEN (Data Tunggal Sosial dan Ekonomi Nasional), "
            "atau P3KE dari Kemenko PMK."
        ),
        error_messages={
            "required": _("Pilih sumber data."),
            "invalid_choice": _("Pilih DTKS, DTSEN atau P3KE."),
        },
    )
    as_of = forms.DateField(
        label=_("Keadaan data per"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_(
            "Tanggal keadaan data menurut penyedianya (bukan tanggal unggah), misalnya "
            "30-06-2025 atau 2025-06-30. Verifikasi memakai data dengan tanggal keadaan terbaru."
        ),
        error_messages={
            "required": _("Tanggal keadaan data wajib diisi, misalnya 30-06-2025."),
            "invalid": _("Tulis tanggal seperti 30-06-2025 atau 2025-06-30."),
        },
        widget=forms.TextInput(attrs={"placeholder": "30-06-2025", "autocomplete": "off"}),
    )
    region_code_style = forms.ChoiceField(
        label=_("Kecamatan dan desa ditulis sebagai"),
        choices=[
            (RegionCodeStyle.NAMES, _("nama wilayah (mis. BESUKI, SIYOTOBAGUS)")),
            (RegionCodeStyle.KEMENDAGRI, _("kode Kemendagri (mis. 35.04.15.2001 atau 3504152001)")),
            (RegionCodeStyle.BPS, _("kode BPS (mis. 3504150)")),
        ],
        initial=RegionCodeStyle.NAMES,
        widget=forms.RadioSelect,
        help_text=_(
            "Lihat kolom kecamatan dan desa/kelurahan di file. Kode BPS berbeda dari kode "
            "Kemendagri; wilayahnya dicocokkan lewat nama kecamatan dan desa di file."
        ),
        error_messages={"required": _("Pilih cara penulisan kecamatan dan desa.")},
    )

    def clean_as_of(self) -> date:
        as_of: date = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal %s ada di masa depan; tulis tanggal keadaan data yang sebenarnya.")
                % f"{as_of:%d-%m-%Y}"
            )
        return as_of

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.claims.models import ClaimKind, HeirRelationship, Reporter

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis klaim"), choices=ClaimKind.choices)
    incident_on = _date(_("Tanggal kejadian"))
    place = forms.CharField(label=_("Tempat kejadian"), max_length=200)
    description = forms.CharField(
        label=_("Uraian kejadian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_by = forms.ChoiceField(label=_("Dilaporkan oleh"), choices=Reporter.choices)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150)
    months_off_work = forms.DecimalField(
        label=_("Lama tidak mampu bekerja (bulan, untuk STMB)"), required=False,
        min_value=0, max_value=999, decimal_places=2,
    )  # fmt: skip
    percent = forms.DecimalField(
        label=_("Persentase cacat menurut tabel (untuk cacat sebagian)"), required=False,
        min_value=0, max_value=100, decimal_places=2,
    )  # fmt: skip
    transport_land = forms.IntegerField(
        label=_("Biaya transportasi darat (Rp)"), required=False, min_value=0
    )
    transport_sea = forms.IntegerField(
        label=_("Biaya transportasi laut (Rp)"), required=False, min_value=0
    )
    transport_air = forms.IntegerField(
        label=_("Biaya transportasi udara (Rp)"), required=False, min_value=0
    )
    children = forms.IntegerField(
        label=_("Jumlah anak usia sekolah (beasiswa, paling banyak 2)"), required=False,
        min_value=0, max_value=20,
    )  # fmt: skip
    confirm = forms.BooleanField(
        label=_(
            "Saya yakin data kejadian benar. Laporan kematian mengakhiri kepesertaan pada "
            "tanggal kejadian dan tidak dapat dibatalkan."
        ),
    )


class PaidForm(forms.Form):
    paid_amount = forms.IntegerField(label=_("Jumlah dibayar BPJS (Rp)"), min_value=1)
    paid_on = _date(_("Tanggal dibayar"))


class HandOverForm(forms.Form):
    handed_over_on = _date(_("Tanggal penyerahan"))
    handed_over_place = forms.CharField(label=_("Tempat penyerahan"), max_length=200)
    handed_over_by = forms.CharField(label=_("Diserahkan oleh"), max_length=150)


class RejectForm(forms.Form):
    rejected_reason = forms.CharField(
        label=_("Alasan ditolak"), widget=forms.Textarea(attrs={"rows": 2})
    )


class HeirForm(forms.Form):
    name = forms.CharField(label=_("Nama ahli waris"), max_length=150)
    relationship = forms.ChoiceField(
        label=_("Hubungan dengan peserta"), choices=HeirRelationship.choices
    )
    nik = forms.CharField(label=_("NIK ahli waris"), max_length=24)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    phone = forms.CharField(label=_("Nomor telepon"), max_length=20, required=False)
    rank = forms.IntegerField(
        label=_("Urutan dalam hubungan yang sama (mis. anak sulung = 1)"), min_value=1,
        max_value=20, initial=1,
    )  # fmt: skip


class DocumentForm(forms.Form):
    item = forms.ChoiceField(label=_("Dokumen"))
    file = forms.FileField(
        label=_("File (PDF, JPG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, items: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items


class WaiveForm(forms.Form):
    item = forms.ChoiceField(label=_("Dokumen"))
    reason = forms.CharField(
        label=_("Alasan tidak diperlukan"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, items: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items

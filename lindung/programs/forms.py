from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Agency
from lindung.domain.rulebook import Benefit
from lindung.programs.models import (
    FundingSource,
    Occupation,
    PriorityCriterion,
    Program,
    RiskLevel,
)
from lindung.regions.models import Region

BENEFIT_CHOICES = [
    (Benefit.JKK.value, _("JKK – Jaminan Kecelakaan Kerja")),
    (Benefit.JKM.value, _("JKM – Jaminan Kematian")),
    (Benefit.JHT.value, _("JHT – Jaminan Hari Tua (opsional)")),
]


class ProgramForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    benefits = forms.MultipleChoiceField(
        label=_("Program jaminan"),
        choices=BENEFIT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[Benefit.JKK.value, Benefit.JKM.value],
    )
    priority_policy = forms.MultipleChoiceField(
        label=_("Kriteria prioritas (urutan sesuai daftar)"),
        choices=PriorityCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_month = forms.DateField(
        label=_("Bulan mulai"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d", "%d-%m-%Y"],
    )

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "year",
            "status",
            "perbup_number",
            "mou_number",
            "pks_number",
            "bpjs_branch",
            "start_month",
            "coverage_months",
            "benefits",
            "declared_income",
            "quota",
            "register_required",
            "max_desil",
            "min_age",
            "max_age",
            "residency_required",
            "occupations",
            "priority_policy",
            "notes",
            "letterhead",
            "signatory_name",
            "signatory_title",
            "signatory_nip",
        ]
        widgets = {
            "occupations": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "letterhead": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupations"].queryset = Occupation.objects.filter(pemda=pemda, is_active=True)
        self.fields["occupations"].help_text = _(
            "Kosongkan bila semua jenis pekerjaan aktif boleh diusulkan."
        )
        self.fields["start_month"].widget.format = "%Y-%m"
        self.fields["declared_income"].initial = 1_000_000
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("max_desil") is not None and not 1 <= data["max_desil"] <= 10:
            self.add_error("max_desil", _("Desil antara 1 dan 10."))
        start = data.get("start_month")
        year = data.get("year")
        if start and year and start.year != year:
            self.add_error("start_month", _("Bulan mulai harus di tahun program."))
        months = data.get("coverage_months")
        if start and months and start.month + months - 1 > 12:
            self.add_error("coverage_months", _("Masa perlindungan melewati akhir tahun."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class FundingSourceForm(forms.ModelForm):
    relief_excluded = forms.NullBooleanField(
        label=_("Keringanan PP 50/2025"),
        widget=forms.Select(
            choices=[
                ("unknown", _("Ikuti jenis dana (APBD/APBN dikecualikan)")),
                ("true", _("Dikecualikan: bayar tarif penuh")),
                ("false", _("Mendapat keringanan 50 %")),
            ]
        ),
        required=False,
    )

    class Meta:
        model = FundingSource
        fields = ["name", "code", "kind", "amount", "bpjs_code", "agency", "relief_excluded"]

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pemda=pemda, is_active=True)
        # Old sources may have none; every new one gets the short code bills and the
        # command line use.
        self.fields["code"].required = True

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().lower()


class QuotaForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Instansi"), queryset=Agency.objects.none(), required=False
    )
    region_code = forms.CharField(label=_("atau kode kecamatan/desa"), required=False)
    quota = forms.IntegerField(label=_("Kuota"), min_value=0)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        self.fields["agency"].queryset = Agency.objects.filter(pemda=pemda, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = (data.get("region_code") or "").strip()
        data["region"] = None
        if code:
            data["region"] = Region.objects.filter(
                code=code, code__startswith=self.pemda.region_id + ".", level__gte=3
            ).first()
            if data["region"] is None:
                self.add_error("region_code", _("Kecamatan/desa tidak ditemukan di Pemda ini."))
        if bool(data.get("agency")) == bool(code):
            raise forms.ValidationError(_("Pilih salah satu: instansi atau wilayah."))
        return data


class OccupationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    synonyms = forms.CharField(
        label=_("Sinonim"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pisahkan dengan koma, mis.: ojol, ojek online, driver ojol"),
    )
    risk = forms.ChoiceField(label=_("Risiko kerja"), choices=RiskLevel.choices)

    class Meta:
        model = Occupation
        fields = ["name", "synonyms", "risk", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["synonyms"] = ", ".join(self.instance.synonyms)

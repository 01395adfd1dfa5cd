from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import AGENCY_SCOPED_ROLES, Agency, AgencyKind, Role, User
from lindung.regions.models import Region, RegionLevel


class AgencyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    village_code = forms.CharField(
        label=_("Kode desa/kelurahan"),
        required=False,
        help_text=_("Untuk jenis Desa/Kelurahan, mis. 35.04.15.2001. Cari di menu Wilayah."),
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "sector", "is_active"]

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.village_id:
                self.fields["village_code"].initial = self.instance.village_id

    def clean_village_code(self) -> Region | None:
        code = self.cleaned_data["village_code"].strip()
        if not code:
            return None
        village = Region.objects.filter(
            code=code, level=RegionLevel.VILLAGE, code__startswith=self.pemda.region_id + "."
        ).first()
        if village is None:
            raise forms.ValidationError(_("Kode desa tidak ditemukan di wilayah Pemda ini."))
        return village

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == AgencyKind.VILLAGE and not data.get("village_code"):
            self.add_error("village_code", _("Wajib diisi untuk jenis Desa/Kelurahan."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "kind": data["kind"],
            "sector": data["sector"],
            "is_active": data["is_active"],
            "village": data.get("village_code"),
        }


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Kata sandi awal"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Minimal 12 karakter dengan huruf besar, huruf kecil, angka dan simbol."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "email", "phone", "role", "agency", "is_active"]
        labels = {"first_name": _("Nama lengkap"), "username": _("Nama pengguna")}

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pemda=pemda, is_active=True)
        self.fields["agency"].help_text = _("Wajib untuk Operator OPD dan Operator Desa.")
        self.fields["role"].choices = Role.choices
        if "username" in self.fields:
            # Django's stock text reads "150 karakter atau sedikit" in Indonesian.
            self.fields["username"].help_text = _(
                "Paling banyak 150 karakter: huruf, angka dan tanda @ . + - _ saja, tanpa spasi."
            )
        self.fields["role"].required = True
        if not self.instance.pk:
            self.fields["password"].required = True
            del self.fields["is_active"]
        else:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Said here in words: otherwise the model's check constraint answers with its
        # internal name ("Batasan user_operator_has_agency dilanggar").
        if data.get("role") in AGENCY_SCOPED_ROLES and not data.get("agency"):
            self.add_error("agency", _("Wajib untuk Operator OPD dan Operator Desa."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("6 angka dari aplikasi autentikator, atau satu kode pemulihan."),
    )

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.domain.rulebook import RuleTable
from lindung.rules.presentation import FIELDS, SHARE, label_for

META_FIELDS = ("version", "effective_from", "effective_to", "legal_basis", "notes")

HELP_TEXTS = {
    "version": _("Nama singkat versi, mis. nomor peraturannya: PP82-2019."),
    "effective_to": _("Kosongkan bila berlaku sampai ada peraturan baru."),
    "benefits": _("Pisahkan dengan koma, mis. JKK, JKM."),
    "excluded_payers": _("Pisahkan dengan koma: apbd, apbn, apbdes, self (pekerja), csr."),
    "periods": _(
        "Satu baris per sektor dalam format JSON: sector (transport atau other), first_month "
        "dan last_month (tanggal 1 bulan pertama dan terakhir, tahun-bulan-tanggal)."
    ),
}
SHARE_HELP = _("Ditulis sebagai pecahan: 0.01 berarti 1%, 0.5 berarti 50%.")


class RuleVersionForm(forms.Form):
    """One field per entry of the table, started from the version in force, labelled in
    Indonesian; lists of codes are typed comma-separated, sector periods as JSON. The domain
    core validates the result."""

    def __init__(self, *args: Any, template: RuleTable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, value in template.to_dict().items():
            label = label_for(key)
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                field: forms.Field = forms.CharField(
                    label=label, initial=", ".join(value), required=False
                )
                field.codes = True  # type: ignore[attr-defined]
            elif isinstance(value, dict | list):
                field = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=json.dumps(value, ensure_ascii=False, indent=2),
                )
            elif key in ("legal_basis", "notes"):
                field = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=value,
                    required=key == "legal_basis",
                )
            elif key in ("effective_from", "effective_to"):
                field = forms.DateField(
                    label=label,
                    initial=value,
                    required=key == "effective_from",
                    widget=forms.DateInput(attrs={"type": "date"}),
                )
            elif isinstance(value, int) and not isinstance(value, bool):
                # Rupiah, months and multipliers: the domain refuses them as text.
                field = forms.IntegerField(label=label, initial=value)
            else:
                field = forms.CharField(
                    label=label, initial="" if value is None else value, required=value is not None
                )
            field.nested = isinstance(value, dict | list) and not getattr(  # type: ignore[attr-defined]
                field, "codes", False
            )
            help_text = HELP_TEXTS.get(key) or (
                SHARE_HELP if FIELDS.get(key, ("", ""))[1] == SHARE else ""
            )
            if help_text:
                field.help_text = help_text
            self.fields[key] = field
        self.fields["version"].initial = ""

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = self.cleaned_data.get(key)
            if getattr(field, "codes", False):
                value = [code.strip() for code in (value or "").split(",") if code.strip()]
            elif getattr(field, "nested", False):
                try:
                    value = json.loads(value)
                except (TypeError, json.JSONDecodeError) as exc:
                    raise forms.ValidationError(
                        _("Isian “%(field)s” tidak dapat dibaca: periksa formatnya.")
                        % {"field": field.label}
                    ) from exc
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            data[key] = value
        return data

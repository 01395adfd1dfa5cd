from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.domain.rulebook import RuleTable

META_FIELDS = ("version", "effective_from", "effective_to", "legal_basis", "notes")

FIELD_LABELS = {
    "version": _("Versi"),
    "effective_from": _("Berlaku mulai"),
    "effective_to": _("Berlaku sampai (kosongkan bila belum ditentukan)"),
    "legal_basis": _("Dasar hukum"),
    "notes": _("Catatan"),
}


class RuleVersionForm(forms.Form):
    """One field per entry of the table, started from the version in force; nested entries
    (periods, caps) are edited as JSON. The domain core validates the result."""

    def __init__(self, *args: Any, template: RuleTable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, value in template.to_dict().items():
            label = FIELD_LABELS.get(key, key.replace("_", " "))
            if isinstance(value, dict | list):
                field: forms.Field = forms.CharField(
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
            field.nested = isinstance(value, dict | list)  # type: ignore[attr-defined]
            self.fields[key] = field
        self.fields["version"].initial = ""

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = self.cleaned_data.get(key)
            if getattr(field, "nested", False):
                try:
                    value = json.loads(value)
                except (TypeError, json.JSONDecodeError) as exc:
                    raise forms.ValidationError(
                        _("Isian %(field)s bukan JSON yang benar.") % {"field": field.label}
                    ) from exc
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            data[key] = value
        return data

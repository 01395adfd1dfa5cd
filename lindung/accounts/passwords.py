"""Password composition rule of Peraturan BSSN 4/2021 (standard teknis keamanan aplikasi
berbasis web): upper and lower case, a digit and a symbol. Length is Django's
MinimumLengthValidator (12). See docs/decisions/0003-password-policy.md."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CompositionValidator:
    def validate(self, password: str, user: Any = None) -> None:
        missing = []
        if not any(c.islower() for c in password):
            missing.append(_("huruf kecil"))
        if not any(c.isupper() for c in password):
            missing.append(_("huruf besar"))
        if not any(c.isdigit() for c in password):
            missing.append(_("angka"))
        if all(c.isalnum() for c in password):
            missing.append(_("simbol"))
        if missing:
            raise ValidationError(
                _("Kata sandi harus memuat %(missing)s.") % {"missing": ", ".join(missing)},
                code="password_composition",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi memuat huruf besar, huruf kecil, angka dan simbol.")

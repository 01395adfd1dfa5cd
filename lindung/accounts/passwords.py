"""Password rules. Composition per Peraturan BSSN 4/2021 (standard teknis keamanan aplikasi
berbasis web): upper and lower case, a digit and a symbol, no repeated characters, no reuse.
Length is Django's MinimumLengthValidator (12), common passwords Django's
CommonPasswordValidator plus a short Indonesian list here. See
docs/decisions/0003-password-policy.md."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HISTORY_SIZE = 5
MAX_RUN = 3  # a character 4 times in a row is refused
MIN_DISTINCT = 6

# Words Indonesian users build passwords from, checked after removing digits and symbols
# ("Bismillah#2025" is "bismillah"). Django's list (20,000 English-centred passwords) misses
# them.
INDONESIAN_COMMON = frozenset(
    {
        "admin",
        "administrator",
        "akusayangkamu",
        "alhamdulillah",
        "anakku",
        "bismillah",
        "bpjs",
        "bpjsketenagakerjaan",
        "cinta",
        "cintaku",
        "disnaker",
        "garuda",
        "indonesia",
        "indonesiaraya",
        "jakarta",
        "jatim",
        "katasandi",
        "kantor",
        "kerja",
        "lindung",
        "masuk",
        "merahputih",
        "merdeka",
        "pancasila",
        "pass",
        "password",
        "pemda",
        "rahasia",
        "rahasiaku",
        "sandi",
        "sayang",
        "sayangku",
        "selamat",
        "tulungagung",
        "qwerty",
        "asdfgh",
    }
)


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


class RepetitionValidator:
    """BSSN's "tidak ada karakter berulang": no character four or more times in a row
    ("aaaa", "1111"), and at least six different characters."""

    def validate(self, password: str, user: Any = None) -> None:
        if re.search(rf"(.)\1{{{MAX_RUN},}}", password):
            raise ValidationError(
                _("Kata sandi tidak boleh memuat karakter yang sama %(n)s kali berturut-turut.")
                % {"n": MAX_RUN + 1},
                code="password_repeated",
            )
        if len(set(password)) < MIN_DISTINCT:
            raise ValidationError(
                _("Kata sandi harus memuat paling sedikit %(n)s karakter yang berbeda.")
                % {"n": MIN_DISTINCT},
                code="password_repeated",
            )

    def get_help_text(self) -> str:
        return _("Tidak ada karakter yang sama 4 kali berturut-turut.")


class IndonesianCommonPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        letters = "".join(c for c in password.lower() if c.isalpha())
        if letters in INDONESIAN_COMMON:
            raise ValidationError(
                _("Kata sandi ini terlalu umum. Pilih kata sandi lain."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Bukan kata sandi yang umum dipakai.")


class HistoryValidator:
    """None of the user's last HISTORY_SIZE passwords again. The hashes are kept by
    `password_changed`, which Django calls after every save of a new password."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from lindung.accounts.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                :HISTORY_SIZE
            ]
        )
        if not hashes and user.password:
            hashes = [user.password]  # set before the history existed
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _(
                    "Kata sandi ini pernah Anda pakai. Pilih yang belum pernah dipakai dalam "
                    "%(n)s kata sandi terakhir."
                )
                % {"n": HISTORY_SIZE},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.password:
            return
        from lindung.accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:HISTORY_SIZE]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("Bukan salah satu dari %(n)s kata sandi terakhir Anda.") % {"n": HISTORY_SIZE}

"""Error reporting that keeps personal data out of error e-mails and logs."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

from lindung.domain.nik import mask_nik_runs

# A NIK or KK number: 16 digits, possibly written with separators.
_SIXTEEN_DIGITS = re.compile(r"\d{16}")


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Hide every POST value and mask 16-digit runs in local variables (UU PDP Ps. 35-39)."""

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        value = super().cleanse_setting(key, value)
        if isinstance(value, str):
            return _SIXTEEN_DIGITS.sub("****************", value)
        return value


def mask_niks(text: str) -> str:
    """Every NIK-shaped run (16 digits not inside a longer number) masked."""
    return mask_nik_runs(text)


class NikScrubbingFormatter(logging.Formatter):
    """Log lines (message, arguments and traceback) with NIK-shaped runs masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_niks(super().format(record))

"""Error reporting that keeps personal data out of error e-mails and logs."""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

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

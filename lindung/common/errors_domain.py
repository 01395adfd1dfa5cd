"""Errors services raise for a user's mistake; views turn them into a message, never a 500."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A request the rules refuse; the message (Bahasa Indonesia) is shown to the user."""

    default_message = _("Permintaan tidak dapat diproses.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str(message or self.default_message))
        self.message = str(message or self.default_message)


class ConflictError(ServiceError):
    default_message = _(
        "Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman lalu ulangi."
    )

from typing import Any

from django.apps import AppConfig


def on_locked_out(sender: Any, **kwargs: Any) -> None:
    """django-axes' user_locked_out signal, handled by `mfa_views.on_locked_out`: imported
    only when someone is locked out, not by every process's start-up (the views and the QR
    code library they use cost a batch command tens of milliseconds)."""
    from lindung.accounts.mfa_views import on_locked_out as handle

    handle(sender, **kwargs)


class AccountsConfig(AppConfig):
    name = "lindung.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Pemda"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from lindung.accounts.middleware import note_second_factor

        user_locked_out.connect(on_locked_out, dispatch_uid="lindung.accounts.locked_out")
        user_logged_in.connect(note_second_factor, dispatch_uid="lindung.accounts.second_factor")

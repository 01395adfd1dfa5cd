from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lindung.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Pemda"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from lindung.accounts.mfa_views import on_locked_out
        from lindung.accounts.middleware import note_second_factor

        user_locked_out.connect(on_locked_out, dispatch_uid="lindung.accounts.locked_out")
        user_logged_in.connect(note_second_factor, dispatch_uid="lindung.accounts.second_factor")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lindung.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Pemda"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from lindung.accounts.mfa_views import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="lindung.accounts.locked_out")

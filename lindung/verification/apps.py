from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "lindung.verification"
    label = "verification"
    verbose_name = "Verifikasi"

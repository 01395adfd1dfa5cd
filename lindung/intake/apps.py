from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lindung.intake"
    label = "intake"
    verbose_name = "Usulan instansi"

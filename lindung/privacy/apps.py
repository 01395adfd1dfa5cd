from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lindung.privacy"
    label = "privacy"
    verbose_name = "Hak subjek data dan masa simpan"

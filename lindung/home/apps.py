from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "lindung.home"
    label = "home"
    verbose_name = "Beranda"

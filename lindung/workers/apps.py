from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "lindung.workers"
    label = "workers"
    verbose_name = "Pekerja"

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "lindung.programs"
    label = "programs"
    verbose_name = "Program perlindungan"

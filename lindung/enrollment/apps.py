from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "lindung.enrollment"
    label = "enrollment"
    verbose_name = "Kepesertaan"

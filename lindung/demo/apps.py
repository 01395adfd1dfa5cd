from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lindung.demo"
    label = "demo"
    verbose_name = "Data demo"

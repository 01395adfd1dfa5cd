from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "lindung.rules"
    label = "rules"
    verbose_name = "Tarif dan manfaat"

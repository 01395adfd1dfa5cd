from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "lindung.register"
    label = "register"
    verbose_name = "Data kesejahteraan"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lindung.audit"
    label = "audit"
    verbose_name = "Log audit"

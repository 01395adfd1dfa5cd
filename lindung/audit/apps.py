from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lindung.audit"
    label = "audit"
    verbose_name = "Log audit"

    def ready(self) -> None:
        from lindung.audit import receivers  # noqa: F401 - connects the signal receivers

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lindung.monitoring"
    label = "monitoring"
    verbose_name = "Pemantauan cakupan"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lindung.audit.models import AuditEvent
        from lindung.monitoring.participation import on_audit_event

        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="monitoring-refresh")

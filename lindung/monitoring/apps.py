from typing import Any

from django.apps import AppConfig

from lindung.monitoring.actions import counts_action


def on_audit_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """`participation.on_audit_event` for the audited actions that change the figures only:
    `participation` (and the enrolment and program code it imports) is imported by the first
    such event, not by every process's start-up (a batch command that never counts)."""
    if created and instance.pemda_id and counts_action(instance.action):
        from lindung.monitoring.participation import on_audit_event as queue_refresh

        queue_refresh(sender, instance=instance, created=created, **kwargs)


class MonitoringConfig(AppConfig):
    name = "lindung.monitoring"
    label = "monitoring"
    verbose_name = "Pemantauan cakupan"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lindung.audit.models import AuditEvent

        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="monitoring-refresh")

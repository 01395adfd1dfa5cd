from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change, export or security event: who, what (old -> new), when, from where.

    Append-only: database triggers refuse UPDATE and DELETE (migration 0002), so the trail
    stays trustworthy (UU PDP Ps. 31, 47). Written only through `lindung.audit.services`.
    """

    # Set before the insert (not auto_now_add) so the chained hash can cover it.
    created_at = models.DateTimeField(
        _("waktu"), default=timezone.now, editable=False, db_index=True
    )
    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("pelaku"), max_length=150, blank=True)
    action = models.CharField(_("aksi"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    request_id = models.CharField(_("ID permintaan"), max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    channel = models.CharField(_("saluran"), max_length=10, default="web")
    # Tamper evidence (S12): SHA-256 over this event's canonical JSON and the previous
    # event's hash in the same chain (one chain per Pemda, one for events without a Pemda).
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pemda", "-created_at"])]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("log audit")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"


class AuditChain(models.Model):
    """The head of one hash chain: the lock writers take, and the last hash and count, so a
    removed newest event is detected too. `key` is `pemda-<id>` or `global`."""

    key = models.CharField(max_length=40, unique=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    last_event_id = models.BigIntegerField(null=True, blank=True)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"

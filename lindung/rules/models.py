from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Tarif iuran BPU")
    RELIEF = "relief", _("Keringanan iuran")
    BENEFIT = "benefit", _("Manfaat JKK dan JKM")


class RuleVersion(models.Model):
    """A dated, cited rate or benefit table (a domain table serialised as JSON).

    Versions with no Pemda are the national tables shipped with Lindung (seeded by migration);
    a Pemda's admin adds versions of its own, which take precedence for that Pemda from
    their effective date. Versions are never edited: a change is a new version.
    """

    pemda = models.ForeignKey(
        "accounts.Pemda", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=RuleKind.choices)
    version = models.CharField(_("versi"), max_length=60)
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    legal_basis = models.TextField(_("dasar hukum"))
    payload = models.JSONField(_("isi tabel"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "kind", "version"], name="rule_version_unique"
            ),
        ]
        verbose_name = _("versi aturan")
        verbose_name_plural = _("versi aturan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

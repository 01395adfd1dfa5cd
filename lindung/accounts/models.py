from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pemda(models.Model):
    """The tenant: a regency or city government. Every record belongs to one Pemda."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah kabupaten/kota"),
    )
    timezone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Jakarta")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    OPD = "opd", _("OPD / instansi")
    VILLAGE = "village", _("Desa/Kelurahan")


class Agency(models.Model):
    """Who hands in worker lists: an OPD (Dinas Perikanan, Satpol PP...) or a village."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(
        _("jenis"), max_length=10, choices=AgencyKind.choices, default=AgencyKind.OPD
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        help_text=_("Wajib untuk jenis Desa/Kelurahan."),
    )
    sector = models.CharField(_("sektor"), max_length=150, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="agency_code_unique_in_pemda"),
            models.CheckConstraint(
                condition=~models.Q(kind="village") | models.Q(village__isnull=False),
                name="agency_village_has_region",
            ),
        ]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """One role per account (decision 0001); a person with two jobs gets two accounts, so every
    action is attributable to one hat (maker-checker stays meaningful)."""

    ADMIN = "admin", _("Admin Disnaker")
    AGENCY_OPERATOR = "agency_operator", _("Operator OPD")
    VILLAGE_OPERATOR = "village_operator", _("Operator Desa")
    VERIFIER = "verifier", _("Verifikator")
    APPROVER = "approver", _("Kepala Dinas")
    FINANCE = "finance", _("Keuangan (BPKAD)")
    BPJS_OFFICER = "bpjs_officer", _("Petugas BPJS")
    LEADER = "leader", _("Pimpinan")


AGENCY_SCOPED_ROLES = frozenset({Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR})


class User(AbstractUser):
    pemda = models.ForeignKey(
        Pemda,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Pemda"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("instansi/desa"),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            # Operators must be tied to their agency or village: their scope comes from it.
            models.CheckConstraint(
                condition=~models.Q(role__in=["agency_operator", "village_operator"])
                | models.Q(agency__isnull=False),
                name="user_operator_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_agency_scoped(self) -> bool:
        return self.role in AGENCY_SCOPED_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


# Who does something: a signed-in user, or a named part of the system ("cli", "demo",
# "sistem") for the audit log.
Actor = User | str


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords, so none of them is chosen again
    (BSSN 4/2021; `accounts.passwords.HistoryValidator` keeps the last five)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("riwayat kata sandi")
        verbose_name_plural = _("riwayat kata sandi")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"

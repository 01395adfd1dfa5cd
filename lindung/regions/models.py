from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """A Kemendagri administrative region (Kepmendagri 300.2.2-2430/2025), a tree to village.

    Shared reference data, not owned by a Pemda: every Pemda sees the same codes.
    """

    code = models.CharField(_("kode"), max_length=13, primary_key=True)  # "35.04.02.2001"
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # Folded name without the administrative prefix ("Desa", "Kel.", "Kabupaten"...), the
    # key name searches match on.
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "search_key"])]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kind_label(self) -> str:
        """Kelurahan/Desa/Desa adat for villages (first digit of the 4-digit part), Kota or
        Kabupaten for regencies (71-99 are cities): Permendagri 58/2021 numbering."""
        if self.level == RegionLevel.VILLAGE:
            return {"1": "Kelurahan", "2": "Desa", "3": "Desa adat"}.get(self.code[9], "Desa")
        if self.level == RegionLevel.REGENCY:
            return "Kota" if int(self.code[3:5]) >= 71 else "Kabupaten"
        return self.get_level_display()

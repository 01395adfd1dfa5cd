from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lindung.accounts.access import PEMDA_WIDE
from lindung.accounts.models import Role, User

# (label, url name, roles that see it). Order is the order in the menu.
NAV_ITEMS = (
    (_("Beranda"), "home", None),
    (_("Program"), "programs:list", None),
    (_("Usulan"), "intake:list", None),
    (_("Verifikasi"), "verification:index", (Role.ADMIN, Role.VERIFIER)),
    (_("Alokasi"), "enrollment:allocation", (Role.ADMIN, Role.VERIFIER, Role.APPROVER)),
    (
        _("Penetapan peserta"),
        "enrollment:proposal_list",
        (Role.ADMIN, Role.VERIFIER, Role.APPROVER, Role.LEADER),
    ),
    (_("BPJS"), "enrollment:bpjs", (Role.ADMIN, Role.VERIFIER, Role.BPJS_OFFICER)),
    (_("Iuran"), "billing:bills", (Role.FINANCE, Role.ADMIN, Role.LEADER)),
    (_("Anggaran"), "billing:budget", (Role.FINANCE, Role.ADMIN, Role.LEADER, Role.APPROVER)),
    (_("Rekonsiliasi"), "billing:reconcile", (Role.ADMIN, Role.FINANCE, Role.LEADER)),
    (_("Pekerja"), "workers:list", None),
    (_("Peserta"), "enrollment:participant_list", None),
    (_("Klaim"), "claims:list", (Role.ADMIN, Role.VERIFIER)),
    (_("Manfaat klaim"), "claims:benefits", (Role.APPROVER, Role.LEADER, Role.FINANCE)),
    (
        _("Pemantauan"),
        "monitoring:dashboard",
        (Role.LEADER, Role.ADMIN, Role.APPROVER, Role.FINANCE),
    ),
    (_("Instansi"), "accounts:agency_list", PEMDA_WIDE),
    (_("Jenis pekerjaan"), "programs:occupation_list", PEMDA_WIDE),
    (_("Tarif & manfaat"), "rules:list", PEMDA_WIDE),
    (_("Wilayah"), "regions:search", None),
    (_("Pengguna"), "accounts:user_list", (Role.ADMIN,)),
    (_("Log audit"), "accounts:audit_list", (Role.ADMIN,)),
    (_("Hak subjek data"), "privacy:index", (Role.ADMIN,)),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or user.pemda_id is None:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name), "active": False}
        for label, name, roles in NAV_ITEMS
        if roles is None or user.role in roles
    ]
    # The item with the longest URL that prefixes the path is the current section.
    matches = [i for i in items if request.path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}

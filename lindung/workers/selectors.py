from __future__ import annotations

from django.db.models import Q, QuerySet

from lindung.accounts.access import scope_to_user
from lindung.accounts.models import User
from lindung.workers.models import Worker


def worker_list(*, user: User, query: str = "", agency_id: int | None = None) -> QuerySet[Worker]:
    """Workers the user may see: the Pemda's, or only those their agency proposed."""
    qs = scope_to_user(
        Worker.objects.select_related("village", "occupation", "agency"),
        user,
        agency_field="agency",
    )
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    query = query.strip()
    if query.isdigit():
        qs = qs.filter(nik__startswith=query)
    elif query:
        qs = qs.filter(Q(name__icontains=query) | Q(village__name__icontains=query))
    return qs.order_by("name", "pk")

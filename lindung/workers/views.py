from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import PEMDA_WIDE, require_roles
from lindung.accounts.models import Role, User
from lindung.accounts.selectors import agency_list
from lindung.common.params import positive_id
from lindung.common.search import kept_filters, kept_redirect
from lindung.workers.selectors import worker_list


@require_roles(*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
def worker_list_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    filters = kept_filters(request, "workers", ("q", "instansi"))
    if request.method == "POST":
        return kept_redirect(request, filters, shown=("instansi",))
    query = filters["q"]
    agency_id = positive_id(filters["instansi"])
    workers = worker_list(user=user, query=query, agency_id=agency_id)
    page = Paginator(workers, 50).get_page(request.GET.get("hal"))
    context = {
        "page": page,
        "workers": page.object_list,
        "query": query,
        "agency_id": agency_id,
        "agencies": agency_list(user=user) if not user.is_agency_scoped else None,
    }
    template = "workers/worker_list.html#rows" if request.htmx else "workers/worker_list.html"
    return render(request, template, context)

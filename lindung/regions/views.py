from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.regions.models import RegionLevel
from lindung.regions.selectors import region_search


def search(request: HttpRequest) -> HttpResponse:
    """Search by code or name; htmx asks for the results fragment as the user types."""
    query = request.GET.get("q", "")[:100]
    scope = request.GET.get("lingkup", "pemda")
    pemda = getattr(request.user, "pemda", None)
    within = pemda.region_id if pemda is not None and scope == "pemda" else None
    level_raw = request.GET.get("tingkat", "")
    level = RegionLevel(int(level_raw)) if level_raw in {"1", "2", "3", "4"} else None
    results = region_search(query=query, within=within, level=level) if query.strip() else []
    context = {
        "query": query,
        "scope": scope,
        "level": level_raw,
        "results": results,
        "levels": RegionLevel.choices,
    }
    template = "regions/search.html#results" if request.htmx else "regions/search.html"
    return render(request, template, context)

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from lindung.regions.models import Region, RegionLevel
from lindung.regions.naming import region_key


def region_get(*, code: str) -> Region | None:
    """A region by code, dotted ("35.04.01") or bare ("350401")."""
    code = code.strip()
    if code.isdigit():
        parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
        code = ".".join(p for p in parts if p)
    return Region.objects.filter(code=code).select_related("parent").first()


def region_search(
    *,
    query: str,
    within: str | None = None,
    level: RegionLevel | None = None,
    limit: int = 20,
) -> list[Region]:
    """Regions whose code starts with `query` or whose name contains it (prefix-, case- and
    punctuation-insensitive). `within` ("35.04") keeps the search inside one subtree."""
    query = query.strip()
    qs: QuerySet[Region] = Region.objects.all()
    if within:
        qs = qs.filter(code__startswith=within)
    if level is not None:
        qs = qs.filter(level=level)
    digits = query.replace(".", "")
    if digits.isdigit():
        found = region_get(code=digits)
        prefix = found.code if found else query
        return list(qs.filter(code__startswith=prefix).select_related("parent")[:limit])
    key = region_key(query)
    if not key:
        return []
    # Exact names first, then by level (a district before its villages), then by code. Ranked
    # in the database: sorting a code-ordered slice in Python dropped exact names that sat
    # past the slice ("Sumber" has 296 partial matches in East Java alone).
    matches = (
        qs.filter(search_key__contains=key)
        .annotate(inexact=Case(When(search_key=key, then=Value(0)), default=Value(1)))
        .order_by("inexact", "level", "code")
        .select_related("parent")
    )
    return list(matches[:limit])


def region_ancestors(region: Region) -> list[Region]:
    chain: list[Region] = []
    node = region.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))

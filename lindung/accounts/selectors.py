from __future__ import annotations

from django.db.models import Count, QuerySet

from lindung.accounts.access import get_scoped_or_404, scope_to_pemda, scope_to_user
from lindung.accounts.models import Agency, User


def agency_list(*, user: User) -> QuerySet[Agency]:
    """Agencies the user may see: all of the Pemda, or only their own for an operator."""
    qs = scope_to_pemda(Agency.objects.select_related("village"), user)
    if user.is_agency_scoped:
        qs = qs.filter(pk=user.agency_id) if user.agency_id else qs.none()
    return qs


def agency_get(*, user: User, pk: int) -> Agency:
    return get_scoped_or_404(agency_list(user=user), pk=pk)


def user_list(*, user: User) -> QuerySet[User]:
    return scope_to_user(
        User.objects.select_related("agency").order_by("role", "username"),
        user,
        agency_field="agency",
    )


def user_get(*, user: User, pk: int) -> User:
    return get_scoped_or_404(user_list(user=user), pk=pk)


def agency_counts(*, user: User) -> dict[str, int]:
    """The Pemda's agencies by kind (OPD, village)."""
    agencies = scope_to_pemda(Agency.objects.all(), user)
    return dict(agencies.values_list("kind").annotate(n=Count("pk")).order_by())


def active_agency_count(*, user: User) -> int:
    return scope_to_pemda(Agency.objects.filter(is_active=True), user).count()


def active_user_count(*, user: User) -> int:
    return scope_to_pemda(User.objects.filter(is_active=True), user).count()

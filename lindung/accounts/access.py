"""Scoping: every read goes through these, so an agency operator sees only their agency and
a user of one Pemda nothing of another. Not found and not allowed look the same (404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from lindung.accounts.models import Role, User

M = TypeVar("M", bound=Model)
ViewFunc = Callable[..., HttpResponse]

# Roles that manage a Pemda's set-up (programs, agencies, users, rules).
MANAGERS = (Role.ADMIN,)
# Roles that verify lists: run verification, decide on matches and duplicates, and see
# register NIKs in full.
VERIFIERS = (Role.VERIFIER, Role.ADMIN)
# Roles that handle claims (report, advance, see heirs' and medical data).
CLAIM_HANDLERS = (Role.ADMIN, Role.VERIFIER)
# Roles that read every agency's data of their Pemda.
PEMDA_WIDE = (
    Role.ADMIN,
    Role.VERIFIER,
    Role.APPROVER,
    Role.FINANCE,
    Role.BPJS_OFFICER,
    Role.LEADER,
)

# Need-to-know (issue 15, point 2): the roles that act on a person's NIK see it in full — the
# verifier and admin (matching, corrections), the BPJS officer (registration). The agency's
# own operators see their own rows' NIKs in full. The Kepala Dinas, Keuangan and Pimpinan
# see masked NIKs on pages and in exports.
FULL_NIK_ROLES = (Role.ADMIN, Role.VERIFIER, Role.BPJS_OFFICER)


def sees_full_nik(user: Any, agency_id: int | None = None) -> bool:
    """Whether `user` may see full NIKs of rows owned by `agency_id` (None: no agency's own)."""
    if not isinstance(user, User) or not user.is_active or user.pemda_id is None:
        return False
    if user.role in FULL_NIK_ROLES:
        return True
    return bool(user.is_agency_scoped and agency_id is not None and agency_id == user.agency_id)


def scope_to_pemda(qs: QuerySet[M], user: User, *, field: str = "pemda") -> QuerySet[M]:
    """Rows of the user's Pemda only; none at all for a user with no Pemda (fail closed)."""
    if not user.is_authenticated or user.pemda_id is None or not user.is_active:
        return qs.none()
    return qs.filter(**{f"{field}_id": user.pemda_id})


def scope_to_user(
    qs: QuerySet[M], user: User, *, pemda_field: str = "pemda", agency_field: str | None
) -> QuerySet[M]:
    """Pemda scope, narrowed to the user's own agency or village for operators.

    `agency_field=None` means the rows are not agency-owned: operators then see none."""
    qs = scope_to_pemda(qs, user, field=pemda_field)
    if user.is_agency_scoped:
        if agency_field is None:
            return qs.none()
        return qs.filter(**{f"{agency_field}_id": user.agency_id})
    return qs


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request to a view behind `require_roles` (or login)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles / login ran first
    return user


def get_scoped_or_404(qs: QuerySet[M], **lookup: Any) -> M:
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, OverflowError) as exc:
        raise Http404 from exc


def require_roles(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Function-level access: the view runs only for active users holding one of `roles`."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or user.pemda_id is None or not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

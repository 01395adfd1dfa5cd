"""What every intake page shares: who may submit, who may read, the signed-in user."""

from django.http import HttpRequest

from lindung.accounts.access import PEMDA_WIDE
from lindung.accounts.models import Role, User

SUBMITTERS = (Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR, Role.ADMIN)
READERS = (*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_roles ran first
    return user

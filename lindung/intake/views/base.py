"""What every intake page shares: who may submit, who may read, the signed-in user."""

from lindung.accounts.access import PEMDA_WIDE
from lindung.accounts.models import Role

SUBMITTERS = (Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR, Role.ADMIN)
READERS = (*PEMDA_WIDE, Role.AGENCY_OPERATOR, Role.VILLAGE_OPERATOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

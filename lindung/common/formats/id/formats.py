"""Indonesian date formats as officers write them: "6 Desember 2026" where people read a
date, "06-12-2026" in tables, times in WIB (settings.TIME_ZONE is Asia/Jakarta). Django's own
`id` formats abbreviate the month ("6 Des. 2026"); everything else is taken from them."""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y, H.i \W\I\B"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = r"d-m-Y H.i \W\I\B"
TIME_FORMAT = r"H.i \W\I\B"
YEAR_MONTH_FORMAT = "F Y"

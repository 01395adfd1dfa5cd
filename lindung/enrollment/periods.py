"""A program's months: the last month it pays for and the last day it covers."""

from __future__ import annotations

import calendar
import datetime as dt

from lindung.programs.models import Program


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def program_last_month(program: Program) -> dt.date:
    """The first day of the program's last month (start month + coverage months - 1)."""
    return add_months(program.start_month.replace(day=1), program.coverage_months - 1)


def program_end(program: Program) -> dt.date:
    """The last day the program covers."""
    last = program_last_month(program)
    return last.replace(day=calendar.monthrange(last.year, last.month)[1])

"""Files in: the one way Lindung takes the spreadsheets and tables people hand in (agency
lists, welfare-register extracts, and the BPJS and statistics files to come).

- ``inspect_file`` decides what a file really is from its bytes and refuses what could hurt
  the server (``inspect``);
- ``read_workbook`` returns every sheet's cell values, calamine isolated in a child process
  (``read``);
- every refusal is a ``FileRejected`` with a stable code and an Indonesian message (``base``).

Pure Python: no Django (an import-linter contract keeps it so).
"""

from lindung.common.tabular.base import (
    GIB,
    HEADER_ALLOWANCE,
    KINDS,
    MIB,
    REJECTION_CODES,
    FileRejected,
    Limits,
    Sheet,
)
from lindung.common.tabular.inspect import inspect_file
from lindung.common.tabular.read import read_workbook

__all__ = [
    "GIB",
    "HEADER_ALLOWANCE",
    "KINDS",
    "MIB",
    "REJECTION_CODES",
    "FileRejected",
    "Limits",
    "Sheet",
    "inspect_file",
    "read_workbook",
]

#!/usr/bin/env python3
"""Add up the JUnit reports of the test legs and print one closing line:
`total: N passed, M failed, K skipped` (the legs: SQLite, PostgreSQL, browser)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(paths: list[str]) -> int:
    tests = failed = skipped = 0
    for name in paths:
        path = Path(name)
        if not path.exists():
            print(f"missing test report: {path}", file=sys.stderr)
            return 1
        root = ET.parse(path).getroot()  # noqa: S314 - our own pytest output
        for suite in root.iter("testsuite"):
            tests += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
        print(f"{path.stem}: {tests} tests so far")
    passed = tests - failed - skipped
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not tests else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The demo is built once per module for the tests that read it, not once per test: a module
fixture builds it inside an outer transaction; each test runs in a savepoint of it (pytest-
django's `db`), so what a test changes is undone, and the outer transaction is rolled back
after the module's last test, leaving the database as the other packages expect it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from tests.demo.test_demo_command import _demo


@pytest.fixture(scope="module")
def demo_built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(UPLOAD_DIR=root / "uploads", REGISTER_CACHE_DIR=root / "register-cache"),
        transaction.atomic(),
    ):
        output = _demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_built, db) -> str:
    return demo_built

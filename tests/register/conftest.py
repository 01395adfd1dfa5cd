"""Fixtures for the welfare register: register loads run inline, uploads go to a temporary
folder, and the sample register extract of Tulungagung."""

from __future__ import annotations

from pathlib import Path

import pytest

REGISTER = Path(__file__).resolve().parents[1] / "data" / "register" / "register.csv"


@pytest.fixture(autouse=True)
def _inline_jobs(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"

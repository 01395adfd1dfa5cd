"""`lindung serve` runs like the product: its gunicorn keeps its control socket inside the
instance's var directory, so two instances run side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from lindung.home.management.commands import serve


class _FinishedProcess:
    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        self.argv = argv
        self.returncode = 0

    def poll(self) -> int:
        return 0

    def terminate(self) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return 0


def test_gunicorn_keeps_its_control_socket_in_the_var_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[_FinishedProcess] = []

    def popen(argv: list[str], **kwargs: Any) -> _FinishedProcess:
        started.append(_FinishedProcess(argv, **kwargs))
        return started[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)

    call_command("serve", "--bind", "127.0.0.1:8123")

    web = next(p.argv for p in started if "gunicorn" in p.argv)
    socket = Path(web[web.index("--control-socket") + 1])
    assert socket.is_relative_to(Path(settings.VAR_DIR))
    assert socket.parent.is_dir()


def test_two_addresses_get_two_control_sockets() -> None:
    assert serve.control_socket_path("127.0.0.1:8000") != serve.control_socket_path(
        "127.0.0.1:8001"
    )

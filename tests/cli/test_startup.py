"""A process's start-up imports only what every process needs: the receivers and the port
the apps connect when Django starts import their modules when first called. `lindung
verify` (a batch command timed as a whole) and cheap commands do not pay for the web views'
QR code library, the participation figures or, before a run, the matching engine."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Loaded by django.setup() before, and by no start-up that does not call them.
NOT_AT_START = (
    "lindung.accounts.mfa_views",
    "qrcode",
    "lindung.monitoring.participation",
    "lindung.enrollment.capacity",
)
NOT_AT_SETUP = (
    *NOT_AT_START,
    "lindung.verification.register_side",
    "lindung.verification.matching",
    "lindung.register.cache",
    "lindung.intake.exports",
    "polars",
    "numpy",
)

SETUP = "import django; django.setup()"
# What `lindung verify` loads before its run: Django, then the command's module.
VERIFY = (
    SETUP
    + "; from django.core.management import load_command_class as c"
    + ("; c('lindung.verification', 'verify')")
)


def _loaded(code: str, tmp_path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        LINDUNG_ENV="test", LINDUNG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="lindung.settings"
    )
    script = f"{code}; import sys; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


@pytest.mark.parametrize(("code", "absent"), [(SETUP, NOT_AT_SETUP), (VERIFY, NOT_AT_START)])
def test_start_up_does_not_import_what_it_does_not_call(tmp_path, code, absent):
    loaded = _loaded(code, tmp_path)

    assert not loaded & set(absent)


def test_the_lazy_receivers_still_reach_their_modules():
    from axes.signals import user_locked_out
    from django.db.models.signals import post_save

    from lindung.audit.models import AuditEvent
    from lindung.intake import ports
    from lindung.register.signals import register_cached

    assert user_locked_out.has_listeners()
    assert post_save.has_listeners(AuditEvent)
    assert register_cached.has_listeners()
    assert "verification" in ports.providers


def test_the_cli_pauses_the_cycle_collector_until_its_command_is_found(monkeypatch, capsys):
    import gc

    import django

    from lindung.__main__ import main
    from lindung.common.commands import UsageError
    from lindung.verification.management.commands import verify

    seen: dict[str, object] = {}
    setup = django.setup

    def watched_setup(*args: object, **kwargs: object) -> None:
        seen["setup"] = gc.isenabled()
        setup(*args, **kwargs)

    def find_program(**kwargs: object) -> None:
        seen["command"] = (gc.isenabled(), gc.get_freeze_count() > 0)
        raise UsageError("tidak ada")

    monkeypatch.setattr(django, "setup", watched_setup)
    monkeypatch.setattr(verify, "find_program", find_program)
    monkeypatch.setattr(sys, "argv", ["lindung", "verify", "--program", "x"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit):
            main()
    finally:
        gc.unfreeze()
    assert seen == {"setup": False, "command": (True, True)}
    assert gc.isenabled()
    assert "tidak ada" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("variable", "own", "default"),
    [
        ("_RJEM_MALLOC_CONF", None, "dirty_decay_ms:10000,muzzy_decay_ms:10000,narenas:1"),
        ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0", None),
        ("OPENBLAS_NUM_THREADS", None, "1"),
        ("OPENBLAS_NUM_THREADS", "4", None),
    ],
)
def test_the_command_sets_polars_allocator_and_numpy_threads_unless_the_operator_did(
    tmp_path, variable, own, default
):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.pop(variable, None)
    if own is not None:
        env[variable] = own
    env.update(LINDUNG_ENV="test", LINDUNG_VAR_DIR=str(tmp_path))
    # What a process the command spawns inherits (a run's second process reads polars' and
    # numpy's then).
    script = (
        "import os, sys; from lindung import __main__ as m; sys.argv = ['lindung', 'help'];"
        f" m.main(); print(os.environ[{variable!r}], file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (own or default)

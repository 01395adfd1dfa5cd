"""gunicorn's access log with NIK-shaped runs masked in every field (request line, query,
referer), for `lindung serve` and the systemd unit (`--logger-class`)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from lindung.domain.nik import mask_nik_runs


class NikScrubbingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: mask_nik_runs(v) if isinstance(v, str) else v for k, v in atoms.items()}

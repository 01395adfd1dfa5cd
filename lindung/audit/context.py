"""Who is acting and in which request: set by the middleware, read by the audit service.

Kept in context variables so services called from views, commands and background tasks
record the same fields without threading the request through every call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    channel: str = "web"  # web, cli, task


_current: ContextVar[RequestContext | None] = ContextVar("lindung_request", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        # Outside a request (a management command, a shell): one id per process call.
        ctx = RequestContext(request_id=new_request_id(), channel="cli")
        _current.set(ctx)
    return ctx


@contextmanager
def bound(ctx: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)

"""Files people hand in, stored the one way: streamed to a temporary file under a size cap,
hashed, checked by content (`common.tabular.inspect_file`) before anything parses them, and
kept under a name of the server's own. Intake's agency lists and the register's extracts use
it; the BPJS and statistics files to come will too.

What a refusal means for the caller (its audit event, its message to the person) stays with
the caller: a refusal is a `FileRejected` carrying the size received so far.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from lindung.common.files import private_dir, private_file
from lindung.common.tabular import FileRejected, Limits, inspect_file


class UploadRefused(FileRejected):
    """A file refused while it was received or inspected; `size` is what had arrived."""

    def __init__(self, code: str, message: str, *, size: int) -> None:
        super().__init__(code, message)
        self.size = size


@dataclass
class ReceivedUpload:
    """A file received and checked, still at its temporary place until `keep`."""

    path: Path
    sha256: str
    size: int
    kind: str  # "xlsx", "xls", "ods" or "csv" (a document: "pdf", "jpg", "png"), by content

    def keep(self, *, folder: str = "") -> str:
        """Move the file under a server-generated name; its path relative to UPLOAD_DIR."""
        name = f"{uuid.uuid4().hex}.{self.kind}"
        stored = f"{folder}/{name}" if folder else name
        target = upload_path(stored)
        private_dir(target.parent)
        self.path.rename(target)
        self.path = target
        return stored


def upload_path(stored: str) -> Path:
    """Where a stored upload lives (its name relative to UPLOAD_DIR)."""
    return Path(settings.UPLOAD_DIR) / stored


@contextmanager
def upload_received(
    stream: IO[bytes] | Iterable[bytes],
    *,
    filename: str,
    limits: Limits,
    too_large: str,
    folder: str = "tmp",
) -> Iterator[ReceivedUpload]:
    """Receive `stream` (a Django upload or any iterable of bytes) into a temporary file under
    UPLOAD_DIR/`folder`, at most `limits.max_bytes` (`too_large` is the message past that),
    and check it by content. The temporary file is gone when the block ends, unless the
    caller kept it (`ReceivedUpload.keep`). Raises `UploadRefused`."""
    directory = private_dir(upload_path(folder))
    tmp = private_file(directory / f"{uuid.uuid4().hex}.part")
    try:
        digest = hashlib.sha256()
        size = 0
        with tmp.open("wb") as out:
            chunks = stream.chunks() if hasattr(stream, "chunks") else stream
            for chunk in chunks:
                size += len(chunk)
                if size > limits.max_bytes:
                    raise UploadRefused("too_large", too_large, size=size)
                digest.update(chunk)
                out.write(chunk)
        try:
            kind = inspect_file(tmp, filename=filename, limits=limits)
        except FileRejected as exc:
            raise UploadRefused(exc.code, exc.message, size=size) from exc
        received = ReceivedUpload(path=tmp, sha256=digest.hexdigest(), size=size, kind=kind)
        yield received
    finally:
        tmp.unlink(missing_ok=True)


# A document kept as evidence (a payment's SP2D scan): checked by its first bytes, never parsed.
DOCUMENT_KINDS = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@contextmanager
def document_received(
    stream: IO[bytes] | Iterable[bytes],
    *,
    max_bytes: int | None = None,
    folder: str = "tmp",
) -> Iterator[ReceivedUpload]:
    """Receive a PDF, JPEG or PNG (by content, whatever its name says) of at most `max_bytes`
    (default `DOCUMENT_MAX_BYTES`) into a temporary file, as `upload_received` does for
    tables. Raises `UploadRefused`."""
    max_bytes = max_bytes or DOCUMENT_MAX_BYTES
    directory = private_dir(upload_path(folder))
    tmp = private_file(directory / f"{uuid.uuid4().hex}.part")
    try:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with tmp.open("wb") as out:
            for chunk in stream.chunks() if hasattr(stream, "chunks") else stream:
                size += len(chunk)
                if size > max_bytes:
                    limit = f"{max_bytes // (1024 * 1024)} MB"
                    raise UploadRefused("too_large", f"File bukti lebih dari {limit}.", size=size)
                if len(head) < 8:
                    head += chunk[:8]
                digest.update(chunk)
                out.write(chunk)
        kind = next((k for magic, k in DOCUMENT_KINDS if head.startswith(magic)), None)
        if size == 0 or kind is None:
            raise UploadRefused("unsupported", "File bukti harus PDF, JPG atau PNG.", size=size)
        yield ReceivedUpload(path=tmp, sha256=digest.hexdigest(), size=size, kind=kind)
    finally:
        tmp.unlink(missing_ok=True)

"""Owner-only files (issue 15, point 4): what Lindung writes holds personal data, so no other
account on the server may read it.

- `lindung` (every command, `serve` and its worker) and the WSGI application start with
  umask 027: nothing they create is readable by other users.
- The upload directory (agency lists, proofs, exports) is 0700, each stored upload 0600.
- The bulk writer's scratch folder (`staging`: rows being loaded, for a moment) is 0700.
- The SQLite database (and its -wal/-shm files) is 0600, set whenever a connection opens.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

UMASK: Final = 0o027
PRIVATE_DIR: Final = 0o700
PRIVATE_FILE: Final = 0o600


def private_umask() -> None:
    """Files and directories created from now on are not readable by other users."""
    os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """`path` as an owner-only directory, created when missing."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty (or keep it) as an owner-only file, before anything is written."""
    path.touch(mode=PRIVATE_FILE, exist_ok=True)
    path.chmod(PRIVATE_FILE)
    return path


def sqlite_file_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: the SQLite database file and its companions, 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)

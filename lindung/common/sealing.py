"""Files sealed with a key file, for backups that leave the server (goal R5: "backups are
encrypted"). AES-256-GCM from `cryptography`, streamed in chunks of 1 MiB so a database of
any size is never held in memory: each chunk is sealed with the file's random nonce prefix
and the chunk's number, and the last chunk is marked as last in its associated data, so a
chunk changed, dropped, reordered or cut off at the end fails to open (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015).

A sealed file: MAGIC, an 8-byte nonce prefix, then for each chunk its sealed length (4 bytes,
big-endian) and the sealed bytes (the plain chunk + a 16-byte tag). A key file holds 32
random bytes in URL-safe base64 on one line, owner-only."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LINDUNG-SEALED-1\n"
CHUNK = 1 << 20
TAG = 16
KEY_BYTES = 32


class SealError(Exception):
    """A key or a sealed file that cannot be used; the message says why (Indonesian)."""


def key_create(path: Path) -> None:
    """Write a new random key to `path` (owner-only); never over an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise SealError(f"Berkas kunci {path} sudah ada: tidak ditimpa.") from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n")


def key_read(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = base64.urlsafe_b64decode(text)
    except (OSError, UnicodeDecodeError, ValueError, binascii.Error) as exc:
        raise SealError(f"Berkas kunci {path} tidak terbaca.") from exc
    if len(key) != KEY_BYTES:
        raise SealError(f"Berkas kunci {path} bukan kunci Lindung (harus {KEY_BYTES} bita).")
    return key


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">Q?", index, last)


def seal(source: Path, target: Path, key: bytes) -> None:
    """Write `source` sealed with `key` to `target` (owner-only)."""
    aead, prefix = AESGCM(key), secrets.token_bytes(8)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with source.open("rb") as plain, os.fdopen(fd, "wb") as out:
        out.write(MAGIC + prefix)
        index, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            sealed = aead.encrypt(prefix + struct.pack(">I", index), chunk, _aad(index, last))
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                return
            index, chunk = index + 1, following


def unseal(source: Path, target: Path, key: bytes) -> None:
    """Write the plain content of sealed `source` to `target` (owner-only), or refuse when
    the key is another one or the file was changed; a refused file leaves no `target`."""
    aead = AESGCM(key)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with source.open("rb") as handle, os.fdopen(fd, "wb") as out:
            if handle.read(len(MAGIC)) != MAGIC:
                raise SealError(f"{source.name} bukan berkas tersegel Lindung.")
            prefix, index, last = handle.read(8), 0, False
            while not last:
                header = handle.read(4)
                if len(header) != 4:
                    raise SealError(f"{source.name} terpotong.")
                sealed = handle.read(struct.unpack(">I", header)[0])
                nonce = prefix + struct.pack(">I", index)
                try:
                    plain = aead.decrypt(nonce, sealed, _aad(index, False))
                except InvalidTag:
                    try:
                        plain = aead.decrypt(nonce, sealed, _aad(index, True))
                    except InvalidTag as exc:
                        raise SealError(
                            f"{source.name}: kunci tidak cocok atau berkas berubah."
                        ) from exc
                    last = True
                out.write(plain)
                index += 1
            if handle.read(1):
                raise SealError(f"{source.name}: ada data sesudah bagian terakhir.")
    except BaseException:
        target.unlink(missing_ok=True)
        raise

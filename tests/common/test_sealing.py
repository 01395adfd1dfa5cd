"""Files sealed with a key file (`common/sealing.py`): what goes in comes out with the key,
and a wrong key, a changed byte, a dropped, swapped or cut-off chunk are refused, leaving no
plain file behind."""

from __future__ import annotations

import struct

import pytest

from lindung.common import sealing
from lindung.common.sealing import SealError, key_create, key_read, seal, unseal


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK", 16)


@pytest.fixture
def key(tmp_path):
    key_create(tmp_path / "kunci")
    return key_read(tmp_path / "kunci")


def _roundtrip(tmp_path, key, data: bytes) -> bytes:
    (tmp_path / "plain").write_bytes(data)
    seal(tmp_path / "plain", tmp_path / "sealed", key)
    unseal(tmp_path / "sealed", tmp_path / "opened", key)
    return (tmp_path / "opened").read_bytes()


@pytest.mark.parametrize("size", [0, 1, 16, 17, 50])
def test_what_is_sealed_opens_the_same_whatever_its_size(tmp_path, key, small_chunks, size):
    data = (b"3504011208750001" * 4)[:size]
    assert _roundtrip(tmp_path, key, data) == data
    if size >= 16:  # a NIK written in it is not found in the sealed file
        assert b"3504011208750001" not in (tmp_path / "sealed").read_bytes()


def _chunks(path) -> tuple[bytes, list[bytes]]:
    raw = path.read_bytes()
    head, rest = raw[: len(sealing.MAGIC) + 8], raw[len(sealing.MAGIC) + 8 :]
    chunks = []
    while rest:
        (size,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[: 4 + size])
        rest = rest[4 + size :]
    return head, chunks


@pytest.mark.parametrize("damage", ["byte", "drop_last", "swap", "drop_first", "extra"])
def test_a_changed_sealed_file_is_refused_and_leaves_nothing(tmp_path, key, small_chunks, damage):
    (tmp_path / "plain").write_bytes(b"3504011208750001;SUPRIYANTO;1975-08-12\n" * 2)
    seal(tmp_path / "plain", tmp_path / "sealed", key)
    head, chunks = _chunks(tmp_path / "sealed")
    assert len(chunks) == 5  # 78 bytes in chunks of 16
    if damage == "byte":
        chunks[2] = chunks[2][:-1] + bytes([chunks[2][-1] ^ 1])
    elif damage == "drop_last":
        chunks = chunks[:-1]
    elif damage == "swap":
        chunks[1], chunks[2] = chunks[2], chunks[1]
    elif damage == "drop_first":
        chunks = chunks[1:]
    else:
        chunks.append(chunks[-1])
    (tmp_path / "sealed").write_bytes(head + b"".join(chunks))
    with pytest.raises(SealError):
        unseal(tmp_path / "sealed", tmp_path / "opened", key)
    assert not (tmp_path / "opened").exists()


def test_another_key_does_not_open_it(tmp_path, key):
    (tmp_path / "plain").write_bytes(b"rahasia")
    seal(tmp_path / "plain", tmp_path / "sealed", key)
    key_create(tmp_path / "lain")
    with pytest.raises(SealError, match="kunci tidak cocok"):
        unseal(tmp_path / "sealed", tmp_path / "opened", key_read(tmp_path / "lain"))


def test_a_key_file_is_owner_only_never_overwritten_and_checked(tmp_path):
    path = tmp_path / "kunci"
    key_create(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(key_read(path)) == 32
    with pytest.raises(SealError, match="sudah ada"):
        key_create(path)
    (tmp_path / "pendek").write_text("YWJj\n")
    with pytest.raises(SealError, match="bukan kunci"):
        key_read(tmp_path / "pendek")
    with pytest.raises(SealError, match="tidak terbaca"):
        key_read(tmp_path / "tidak-ada")

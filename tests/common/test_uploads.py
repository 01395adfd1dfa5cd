"""Uploads are stored one way (`lindung.common.uploads`): under a size cap, hashed, checked by
content, kept under a name of the server's own, and nothing left behind otherwise."""

from __future__ import annotations

import hashlib

import pytest

from lindung.common.tabular import Limits
from lindung.common.uploads import UploadRefused, upload_path, upload_received

CSV = b"NIK;Nama\n3504011208750001;Slamet\n3504015506800002;Sutini\n"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def _files(folder: str) -> list[str]:
    directory = upload_path(folder)
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_a_kept_upload_has_a_server_generated_name_its_hash_and_kind():
    with upload_received(
        [CSV], filename="../../etc/daftar.csv", limits=Limits(), too_large="besar"
    ) as received:
        stored = received.keep(folder="register")

    assert (received.sha256, received.size, received.kind) == (
        hashlib.sha256(CSV).hexdigest(),
        len(CSV),
        "csv",
    )
    assert stored.startswith("register/")
    assert stored.endswith(".csv")
    assert "daftar" not in stored
    assert upload_path(stored).read_bytes() == CSV
    assert _files("tmp") == []


def test_an_upload_not_kept_leaves_nothing():
    with upload_received([CSV], filename="a.csv", limits=Limits(), too_large="besar"):
        assert len(_files("tmp")) == 1

    assert _files("tmp") == []


def test_a_file_over_the_cap_is_refused_with_the_callers_message_and_the_size_so_far():
    with (
        pytest.raises(UploadRefused) as caught,
        upload_received(
            [CSV, CSV], filename="a.csv", limits=Limits(max_bytes=len(CSV) + 1), too_large="besar"
        ),
    ):
        pass

    assert (caught.value.code, caught.value.message, caught.value.size) == (
        "too_large",
        "besar",
        2 * len(CSV),
    )
    assert _files("tmp") == []


def test_a_file_refused_by_its_content_says_why():
    with (
        pytest.raises(UploadRefused) as caught,
        upload_received([b"MZ\x90\x00 program"], filename="a.xlsx", limits=Limits(), too_large="x"),
    ):
        pass

    assert caught.value.code == "executable"
    assert _files("tmp") == []

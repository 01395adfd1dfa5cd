"""Name keys for region search: case-, spacing- and punctuation-insensitive, tolerant of the
administrative prefixes agencies type ("Desa", "Ds.", "Kel.", "Kec.", "Kab.")."""

from __future__ import annotations

from lindung.common.text import fold

# Folded prefixes, longest first so "kelurahan" wins over "kel".
_PREFIXES = (
    "kabupaten administrasi",
    "kota administrasi",
    "desa adat",
    "kelurahan",
    "kecamatan",
    "kabupaten",
    "provinsi",
    "kota",
    "desa",
    "prov",
    "kab",
    "kec",
    "kel",
    "ds",
)


def region_key(name: str) -> str:
    """`"Ds. Wajak  Kidul"` and `"WAJAKKIDUL"`-free spacing both fold to `"wajak kidul"`;
    the key keeps spaces so word-order-free matching stays possible later."""
    key = fold(name)
    for prefix in _PREFIXES:
        if key == prefix:
            break
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1 :]
            break
    return key


def compact_key(name: str) -> str:
    """The key without spaces: "Wajak Kidul" = "Wajakkidul" = "WAJAK-KIDUL"."""
    return region_key(name).replace(" ", "")

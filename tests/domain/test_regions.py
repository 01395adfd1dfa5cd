import pytest

from lindung.domain.regions import dotted, load_region_codes


def test_it_loads_the_packaged_kemendagri_tables():
    # Row counts stated in lindung/data/wilayah/README.md (Kepmendagri 300.2.2-2430/2025).
    regions = load_region_codes()

    assert len(regions.provinces) == 38
    assert len(regions.regencies) == 514
    assert len(regions.districts) == 7_285
    assert regions.provinces["35"] == "Jawa Timur"
    assert regions.regencies["35.04"] == "Kabupaten Tulungagung"
    assert regions.districts["35.04.15"] == "Besuki"


def test_it_reads_the_packaged_tables_once():
    assert load_region_codes() is load_region_codes()


def test_it_maps_each_retired_papua_code_to_one_current_regency():
    # Table "Papua split of 2022" in lindung/data/wilayah/README.md: 26 retired codes.
    regions = load_region_codes()
    retired = regions.retired_regencies

    assert len(retired) == 26
    assert retired["91.01"] == "93.01"  # Kabupaten Merauke
    assert retired["92.71"] == "96.71"  # Kota Sorong
    assert len(set(retired.values())) == 26
    for old, current in retired.items():
        assert old[:2] in {"91", "92"}
        assert old not in regions.regencies, f"{old} is retired, not reused"
        assert current in regions.regencies


def test_it_reads_tables_from_another_directory(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n35,Jawa Timur\n", encoding="utf-8")
    (tmp_path / "regencies.csv").write_text(
        "code,province_code,name\n35.04,35,Kabupaten Tulungagung\n", encoding="utf-8"
    )
    (tmp_path / "districts.csv").write_text(
        "code,regency_code,name\n35.04.01,35.04,Tulungagung\n", encoding="utf-8"
    )
    (tmp_path / "retired_regencies.csv").write_text(
        "old_code,current_code,note\n", encoding="utf-8"
    )

    regions = load_region_codes(tmp_path)

    assert dict(regions.regencies) == {"35.04": "Kabupaten Tulungagung"}
    assert dict(regions.retired_regencies) == {}


def test_it_keeps_the_tables_read_only():
    with pytest.raises(TypeError):
        load_region_codes().provinces["99"] = "Provinsi Baru"


# Permendagri 58/2021 code shape: 2 / 2 / 2 / 4 digits.
DOTTED = [
    pytest.param("35", "35", id="province"),
    pytest.param("3504", "35.04", id="regency"),
    pytest.param("350401", "35.04.01", id="district"),
    pytest.param("3504022001", "35.04.02.2001", id="village"),
    pytest.param("35.04.01", "35.04.01", id="already-dotted"),
]


@pytest.mark.parametrize(("code", "expected"), DOTTED)
def test_it_writes_region_codes_with_dots(code, expected):
    assert dotted(code) == expected


@pytest.mark.parametrize("code", ["", "3", "350", "35040", "35a4", "350401200"])
def test_it_refuses_what_is_not_a_region_code(code):
    with pytest.raises(ValueError, match="region code"):
        dotted(code)

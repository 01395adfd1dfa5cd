"""Region loading and search: codes dotted or bare, names as agencies type them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.regions.models import Region, RegionLevel
from lindung.regions.selectors import region_search
from lindung.regions.services import regions_load
from tests.conftest import client_for


def test_loading_the_regions_twice_adds_nothing(db):
    before = Region.objects.count()

    counts = regions_load(province="35")

    assert before > 8000  # the East Java tree, villages included
    assert set(counts.values()) == {0}
    assert Region.objects.count() == before


def test_loading_again_restores_a_renamed_region(db):
    Region.objects.filter(code="35.04.15.2003").update(name="Besuky", search_key="besuky")

    counts = regions_load(province="35")

    village = Region.objects.get(code="35.04.15.2003")
    assert (village.name, village.search_key) == ("Besuki", "besuki")
    assert counts[RegionLevel.VILLAGE.label] == 1


@pytest.mark.parametrize("query", ["35.04.15", "350415", " 35.04.15 "])
def test_a_code_finds_the_region_and_its_subtree(query, db):
    results = region_search(query=query, limit=50)

    assert results[0].code == "35.04.15"
    assert results[0].name == "Besuki"
    assert all(r.code.startswith("35.04.15") for r in results)
    assert {"35.04.15.2001", "35.04.15.2003"} <= {r.code for r in results}


@pytest.mark.parametrize("query", ["35.04.15.2001", "3504152001"])
def test_a_village_code_finds_that_village(query, db):
    assert [r.code for r in region_search(query=query)] == ["35.04.15.2001"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Ds. Besuki", "35.04.15"),
        ("DESA BESUKI", "35.04.15"),
        ("Kec.  Besuki", "35.04.15"),
        ("besuki", "35.04.15"),
        ("kel. kenayan", "35.04.01.1008"),
        ("KENAYAN", "35.04.01.1008"),
        ("Kab. Tulungagung", "35.04"),
    ],
)
def test_a_name_is_found_whatever_the_case_spacing_punctuation_or_prefix(query, first, db):
    results = region_search(query=query, within="35.04")

    assert results[0].code == first


def test_within_keeps_the_search_inside_tulungagung(db):
    everywhere = region_search(query="besuki")
    tulungagung = region_search(query="besuki", within="35.04")

    assert [r.code for r in tulungagung] == ["35.04.15", "35.04.15.2003"]
    assert {r.code[:5] for r in everywhere} > {"35.04"}


@pytest.mark.parametrize("query", ["besuki", "sumber", "jati"])
def test_exact_names_rank_before_names_that_only_contain_the_query(query, db):
    exact = set(Region.objects.filter(search_key=query).values_list("code", flat=True))
    results = region_search(query=query, limit=len(exact) + 5)

    assert len(exact) >= 2
    assert {r.code for r in results[: len(exact)]} == exact
    assert all(r.search_key != query for r in results[len(exact) :])


@pytest.mark.parametrize("query", ["", "   ", "Ds.", "zzzz"])
def test_a_query_with_nothing_to_match_finds_nothing(query, db):
    assert region_search(query=query) == []


def test_the_page_searches_the_users_own_regency_by_default(admin):
    client = client_for(admin)
    url = reverse("regions:search")

    own = client.get(url, {"q": "Besuki"}).content.decode()
    everywhere = client.get(url, {"q": "Besuki", "lingkup": "semua"}).content.decode()

    assert "<html" in own
    assert "35.04.15.2003" in own
    assert "35.12.02" not in own
    assert "35.12.02" in everywhere


def test_the_htmx_request_gets_the_results_only(admin):
    response = client_for(admin).get(
        reverse("regions:search"), {"q": "350415"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "35.04.15.2001" in html
    assert "Besole" in html
    assert "<html" not in html
    assert "<form" not in html

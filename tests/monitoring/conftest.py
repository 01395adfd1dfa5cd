import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard is cached per program and fingerprint; tests start without it."""
    cache.clear()
    yield
    cache.clear()

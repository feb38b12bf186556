import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The help form's hourly count lives in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()

import pytest

from tests.builders.indicators import indicator_lists


@pytest.fixture
def indicators(db):
    """The ILO/EC lists, as the data migration loads them (test databases may be flushed)."""
    return indicator_lists()

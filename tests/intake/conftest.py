import pytest
from django.core.management import call_command


@pytest.fixture
def indicators(db):
    """The ILO/EC lists, as the data migration loads them (test databases may be flushed)."""
    from approdi.intake.models import IndicatorList

    if not IndicatorList.objects.exists():
        call_command("migrate", "intake", "0001", verbosity=0)
        call_command("migrate", "intake", verbosity=0)
    return IndicatorList.objects.filter(is_current=True)

import pytest


@pytest.fixture
def indicators(db):
    """The ILO/EC lists, as the data migration loads them (test databases may be flushed)."""
    from approdi.intake.models import IndicatorList

    if not IndicatorList.objects.exists():  # a transactional test flushed the data migration's rows
        from importlib import import_module

        from django.apps import apps

        import_module("approdi.intake.migrations.0002_ilo_ec_indicators").load(apps, None)
    return IndicatorList.objects.filter(is_current=True)

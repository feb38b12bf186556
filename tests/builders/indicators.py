"""The ILO/EC indicator lists as the data migration loads them: a transactional test before may have flushed them."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.db.models import QuerySet

from approdi.intake.models import IndicatorList


def indicator_lists() -> QuerySet[IndicatorList]:
    """The current lists, loaded again with the data migration's own function when a flush removed them."""
    if not IndicatorList.objects.filter(is_current=True).exists():
        import_module("approdi.intake.migrations.0002_ilo_ec_indicators").load(apps, None)
    return IndicatorList.objects.filter(is_current=True)

"""Quantities of services in words, plural as the language wants them (issue #19: "2 ora" for "2 ore")."""

from decimal import Decimal

import pytest
from django.utils import translation

from approdi.cases.templatetags.case_paths import quantity_of


@pytest.mark.parametrize(
    ("quantity", "unit", "italian", "english"),
    [
        (Decimal(2), "hour", "2 ore", "2 hours"),
        (Decimal(1), "hour", "1 ora", "1 hour"),
        (Decimal("1.5"), "hour", "1,5 ore", "1.5 hours"),
        (Decimal(3), "session", "3 sedute", "3 sessions"),
        (Decimal(1), "month", "1 mese", "1 month"),
        (Decimal(10), "day", "10 giorni", "10 days"),
    ],
)
def test_a_quantity_takes_the_plural_of_its_language(quantity, unit, italian, english):
    with translation.override("it"):
        assert quantity_of(quantity, unit) == italian
    with translation.override("en"):
        assert quantity_of(quantity, unit) == english

"""The dashboard benchmark cannot rot: at a tiny size of the funder summary's world, on the suite's own database,
its hand-written SQL floor gives the dashboard's and the occupancy page's figures (what bench/dashboard_scale.py
checks before it times them)."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from approdi.accounts.scoping import membership_scope
from approdi.shelter.models import CapacityChange, Structure
from bench import _dashboard_floor, dashboard_scale, summary_scale

pytestmark = pytest.mark.django_db


def test_the_benchmark_floor_gives_the_dashboard_and_occupancy_figures():
    built = summary_scale.build(contacts=2_000, people=200, seed=11, fast=False)
    with scopes_disabled():  # a capacity change inside the year (a tiny build may draw none)
        structure = Structure.objects.filter(programmes=built.programme).order_by("pk").first()
        CapacityChange.objects.create(structure=structure, date=date(2023, 6, 1), beds=structure.beds + 2)
    actor, membership = dashboard_scale._coordinator(built.programme)
    _label, start, end = dashboard_scale.YEAR
    with membership_scope(membership):
        results = {name: call() for name, call in dashboard_scale._calls(actor, built.programme, start, end).items()}
    for page in ("dashboard", "occupancy"):
        assert _dashboard_floor.shape(page, results[page]) == results[f"{page} floor"]
    assert results["dashboard floor"]["totals"]["contacts"] > 0
    assert results["occupancy floor"]["by_type"]

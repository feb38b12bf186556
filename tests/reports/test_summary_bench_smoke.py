"""The funder-summary benchmark cannot rot: its data builder and its hand-written floor, at a tiny size, on the
suite's own database (SQLite, or PostgreSQL when DATABASE_URL names it), agree with the summary for every period."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from approdi.shelter.models import CapacityChange, Structure
from bench import summary_scale

pytestmark = pytest.mark.django_db


def test_the_benchmark_data_and_its_sql_floor_give_the_summary_figures():
    # CHECK constraints stay on (fast=False): the generated rows must be rows the application could have stored.
    built = summary_scale.build(contacts=2_000, people=200, seed=7, fast=False)
    assert (built.contacts, built.people) == (2_000, 200)
    assert built.referrals > 200 and built.placements > 20 and built.structures >= 6
    with scopes_disabled():  # capacity changes around the periods' last days (a tiny build may draw none)
        grown, shut = Structure.objects.filter(programmes=built.programme).order_by("pk")[:2]
        CapacityChange.objects.create(structure=grown, date=date(2023, 6, 1), beds=grown.beds + 2)
        CapacityChange.objects.create(structure=shut, date=date(2024, 6, 1), beds=0)
        CapacityChange.objects.create(structure=shut, date=date(2024, 9, 1), beds=shut.beds)

    for _label, start, end in summary_scale.PERIODS:
        figures = summary_scale.summary(built.programme, start, end)
        assert figures == summary_scale.floor(built.programme, start, end)

    whole = summary_scale.summary(built.programme, summary_scale.START, summary_scale.END)
    outreach, reception = whole["outreach"], whole["reception"]
    # Headcounts of groups count as that many contacts; the other programme's rows are left out.
    assert outreach["street_contacts"] + outreach["indoor_contacts"] + outreach["low_threshold_accesses"] > 2_000
    assert 0 < outreach["persons_referred_by_bodies"] < built.referrals
    assert 0 < reception["women"] < reception["total"] <= built.placements
    assert whole["capacity_total"]["beds"] > 0

"""Occupancy and alerts give the same answers as their day-by-day rule, in a number of steps that does not grow
with the days of the period or the stages of a path (issue #20)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from approdi.accounts.scoping import membership_scope
from approdi.shelter import services
from approdi.shelter.beds import beds_on, capacity_nights
from approdi.shelter.models import CapacityChange, Structure
from tests.builders import verified_client

FIRST, LAST = date(2019, 1, 1), date(2021, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)


@given(
    beds=st.integers(0, 40),
    open_from=st.none() | days,
    open_to=st.none() | days,
    changes=st.lists(st.tuples(days, st.integers(0, 40)), max_size=6),
    period=st.tuples(days, days).map(sorted),
)
def test_capacity_nights_is_beds_on_summed_day_by_day(beds, open_from, open_to, changes, period):
    structure = Structure(beds=beds, open_from=open_from, open_to=open_to)
    listed = [CapacityChange(date=day, beds=n) for day, n in changes]  # same-day changes included
    start, end = period
    by_day = sum(beds_on(structure, start + timedelta(n), listed) for n in range((end - start).days + 1))
    assert capacity_nights(structure, start, end, listed) == by_day


@pytest.mark.django_db
def test_alerts_read_paths_in_a_constant_number_of_queries(beds, filtro, make_person, max_queries):
    """A path's first day is found whatever its number of stages, and no identity is decrypted for the page."""
    filtro.active_membership = filtro.memberships.get()
    today = timezone.localdate()

    def path(code: str, stages: int):
        with membership_scope(filtro.active_membership):
            placement = services.place(
                actor=filtro,
                person=make_person(code),
                structure=beds.structure,
                stage="first",
                start=today - timedelta(days=540),
            )
            for n in range(stages - 1):
                placement = services.move_to_next_stage(
                    actor=filtro, placement=placement, day=today - timedelta(days=400 - 100 * n)
                )

    client = verified_client(filtro)
    path("AP-KKKKK-KKKK1", 1)
    client.get(reverse("shelter:alerts"))
    with max_queries(30) as few:
        page = client.get(reverse("shelter:alerts"))
    # 540 days ≈ 17.7 months: inside the month before 18, counted from the first stage, not the current one.
    assert [(a.kind, a.placement.person.code) for a in page.context["alerts"] if a.kind.startswith("path")] == [
        ("path_18", "AP-KKKKK-KKKK1")
    ]
    path("AP-KKKKK-KKKK2", 2)
    with max_queries(few.count):
        page = client.get(reverse("shelter:alerts"))
    assert sorted(a.placement.person.code for a in page.context["alerts"] if a.kind == "path_18") == [
        "AP-KKKKK-KKKK1",
        "AP-KKKKK-KKKK2",
    ]
    assert "given_name" not in page.context["alerts"][0].placement.person.__dict__

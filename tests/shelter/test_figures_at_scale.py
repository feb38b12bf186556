"""Occupancy and alerts give the same answers as their day-by-day rule, in a number of steps that does not grow
with the days of the period or the stages of a path (issue #20)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from approdi.accounts.scoping import membership_scope
from approdi.shelter import services
from approdi.shelter.beds import beds_on, capacity_nights
from approdi.shelter.models import Bed, CapacityChange, Placement, Structure
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
    assert [(a.kind, a.person_code) for a in page.context["alerts"] if a.kind.startswith("path")] == [
        ("path_18", "AP-KKKKK-KKKK1")
    ]
    path("AP-KKKKK-KKKK2", 2)
    with max_queries(few.count):
        page = client.get(reverse("shelter:alerts"))
    assert sorted(a.person_code for a in page.context["alerts"] if a.kind == "path_18") == [
        "AP-KKKKK-KKKK1",
        "AP-KKKKK-KKKK2",
    ]
    assert "AP-KKKKK-KKKK2" in page.content.decode()  # the page lists codes, from plain values: nothing to decrypt


JANUARY = {"start": "2024-01-01", "end": "2024-01-31"}


def _stay(structure, person, first_day: date, last_day: date | None, label: str, stage: str = "first") -> None:
    with scopes_disabled():
        Placement.objects.create(
            programme=structure.programmes.get(),
            person=person,
            structure=structure,
            bed=Bed.objects.create(structure=structure, label=label, in_use=False),
            stage=stage,
            start=first_day,
            end=last_day,
            exit_reason="autonomy" if last_day else "",
        )


@pytest.mark.django_db
def test_occupancy_page_counts_nights_at_the_period_edges_in_a_constant_number_of_queries(
    network, filtro, make_person, max_queries
):
    """Stays crossing the period's first and last day, an open stay, a capacity change mid-period and a structure
    that closes: the figures of the night-by-night rule, and as many queries for many stays as for a few."""
    alfa, beta = network.structure, network.other_structure  # women, 4 beds; men, 3 beds
    with scopes_disabled():
        CapacityChange.objects.create(structure=alfa, date=date(2024, 1, 16), beds=2)
        Structure.objects.filter(pk=beta.pk).update(open_to=date(2024, 1, 20))
    _stay(alfa, make_person("AP-EDGEA-0001"), date(2023, 12, 20), date(2024, 1, 5), "a")  # nights 1-4 Jan
    _stay(alfa, make_person("AP-EDGEB-0002"), date(2024, 1, 10), None, "b")  # 10-31 Jan, still there
    _stay(beta, make_person("AP-EDGEC-0003", "man"), date(2024, 1, 31), date(2024, 2, 10), "c", "second")  # 31 Jan
    client = verified_client(filtro)
    client.get(reverse("shelter:occupancy"), JANUARY)  # warm the session
    with max_queries(11) as few:  # 11: the header's bell counts what needs the Filtro
        page = client.get(reverse("shelter:occupancy"), JANUARY)
    result = page.context["result"]
    by_type = {r["type"]: (r["bed_nights"], r["capacity_nights"]) for r in result["by_type"]}
    # Alfa: 4 beds for 15 days, then 2 for 16; Beta: 3 beds until it closes on the 20th.
    assert by_type == {"women": (4 + 22, 4 * 15 + 2 * 16), "men": (1, 3 * 20)}
    # A stay's length runs to the day she leaves, or to the day after the period while it goes on.
    assert result["average_stay"] == {"first": round((16 + 22) / 2, 1), "second": 10.0}
    assert result["people_by_gender"] == {"man": 1, "woman": 2}

    with scopes_disabled():
        third = Structure.objects.create(
            code="S-GAMMA", name="Casa Gamma", organisation=network.partner, type="autonomy", area=network.area, beds=5
        )
        third.programmes.set([network.programme])
        for n in range(4):
            CapacityChange.objects.create(structure=third, date=date(2024, 1, 2 + n), beds=5 - n)
    for n in range(12):
        _stay(third, make_person(f"AP-MORE{n:01d}-{n:04d}"), date(2024, 1, 1 + n), date(2024, 1, 3 + n), f"m{n}")
    with max_queries(few.count):
        page = client.get(reverse("shelter:occupancy"), JANUARY)
    assert {r["type"]: r["bed_nights"] for r in page.context["result"]["by_type"]}["autonomy"] == 12 * 2

"""The bed board counted grouped by structure gives the figures of its per-structure rule; the board and the
structures come a page at a time, the board under the totals of every page.

``board_figures`` (two grouped statements) replaced, for the board, the waiting list and the API, the five
correlated counts per structure of ``board_counts`` (issue #20): the rule as it was is written out here and both
must agree, figure by figure, on random worlds of beds, reserved beds, beds out of use, current and ended stays,
departures and night entries.
"""

import random
from datetime import timedelta

import pytest
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.scoping import membership_scope
from approdi.shelter import beds, selectors, views
from approdi.shelter.models import Bed, NightEntry, Placement, Structure
from approdi.shelter.services import sync_beds
from tests.builders import registered_person, verified_client

pytestmark = pytest.mark.django_db
NAMES = ("beds_in_use", "occupied", "reserved_free", "departures", "night", "free")


def _as_it_was(structures, today):
    """``board_counts`` before issue #20, verbatim: one correlated count per figure and structure."""

    def count(rows):
        counted = rows.filter(structure=OuterRef("pk")).order_by().values("structure").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)

    active = Placement.objects.filter(end__isnull=True)
    occupied = Placement.objects.filter(bed=OuterRef("pk"), end__isnull=True)
    free = Bed.objects.filter(in_use=True).exclude(Exists(occupied))
    return structures.annotate(
        beds_in_use=count(Bed.objects.filter(in_use=True)),
        occupied=count(active),
        reserved_free=count(free.filter(reserved=True)),
        departures=count(active.filter(planned_end__gte=today, planned_end__lte=today + timedelta(days=30))),
        night=count(active.filter(night_entry__isnull=False, night_entry__regularised_at__isnull=True)),
    ).annotate(free=F("beds_in_use") - F("occupied") - F("reserved_free"))


def _random_world(network, filtro, seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    with scopes_disabled():
        structures = [network.structure, network.other_structure]
        for n in range(rng.randint(1, 5)):
            extra = Structure.objects.create(
                code=f"S-R{seed}-{n}",
                name=f"Random {n}",
                organisation=rng.choice([network.lead, network.partner]),
                type="emergency_women",
                area=network.area,
                beds=rng.randint(1, 6),
            )
            extra.programmes.set([network.programme])
            structures.append(extra)
        people = 0
        for structure in structures:
            sync_beds(structure)
            for bed in Bed.objects.filter(structure=structure):
                bed.in_use, bed.reserved = rng.random() > 0.2, rng.random() < 0.3
                bed.save(update_fields=["in_use", "reserved"])
                for current in (False, rng.random() < 0.6):  # an ended stay, and perhaps a current one
                    people += 1
                    start = today - timedelta(days=rng.randint(1, 400))
                    placement = Placement.objects.create(
                        programme=network.programme,
                        person=registered_person(network, code=f"AP-R{seed:04d}-{people:04d}", created_by=filtro),
                        bed=bed,
                        structure=structure,
                        stage=rng.choice(["emergency", "first", "second"]),
                        start=start,
                        planned_end=today + timedelta(days=rng.randint(-10, 60)) if rng.random() < 0.8 else None,
                        end=None if current else start + timedelta(days=rng.randint(0, 30)),
                        exit_reason="" if current else "autonomy",
                    )
                    if rng.random() < 0.3:
                        regularised = timezone.now() if rng.random() < 0.5 else None
                        NightEntry.objects.create(
                            programme=network.programme,
                            placement=placement,
                            age_band="21-23",
                            referred_by="police",
                            arrived_at=timezone.now(),
                            regularise_by=timezone.now() + timedelta(hours=72),
                            regularised_at=regularised,
                            regularised_by=filtro if regularised else None,
                            created_by=filtro,
                        )


@pytest.mark.parametrize("seed", range(3))
def test_the_grouped_figures_equal_the_per_structure_rule(network, filtro, seed):
    _random_world(network, filtro, seed)
    today = timezone.localdate()
    with membership_scope(filtro.memberships.get()), scopes_disabled():
        structures = Structure.objects.order_by("code")
        expected = {s.pk: {name: getattr(s, name) for name in NAMES} for s in _as_it_was(structures, today)}
        counted = {s.pk: {name: getattr(s, name) for name in NAMES} for s in beds.board_counts(structures, today)}
        grouped = beds.board_figures(structures, today)
        assert counted == expected
        assert {pk: dict(grouped[pk]) for pk in expected} == expected
        assert beds.board_totals(grouped) == {name: sum(f[name] for f in expected.values()) for name in NAMES}


def test_a_page_of_the_board_shows_the_free_beds_of_every_structure_the_filters_keep(network, filtro, monkeypatch):
    _random_world(network, filtro, 7)
    monkeypatch.setattr(views, "BOARD_PAGE", 2)
    client = verified_client(filtro)
    filters = {"area": network.area.pk}
    first = client.get(reverse("shelter:board"), filters)
    filtro.active_membership = filtro.memberships.get()
    with membership_scope(filtro.active_membership):
        everything = selectors.board_list(actor=filtro, area_id=network.area.pk)
    assert len(everything) > 2
    assert [s.code for s in first.context["rows"]] == [s.code for s in everything[:2]]
    totals = first.context["totals"]
    assert totals["free"] == sum(s.free for s in everything)
    assert totals["reserved_free"] == sum(s.reserved_free for s in everything)
    page = first.content.decode()
    assert f"area={network.area.pk}&amp;page=2" in page  # the next page keeps the filter
    second = client.get(reverse("shelter:board"), {**filters, "page": 2})
    assert [s.code for s in second.context["rows"]] == [s.code for s in everything[2:4]]
    assert second.context["totals"] == totals


def test_the_structure_list_pages(network, filtro, monkeypatch):
    monkeypatch.setattr(views, "STRUCTURES_PAGE", 1)
    client = verified_client(filtro)
    first = client.get(reverse("shelter:structure_list"))
    second = client.get(reverse("shelter:structure_list"), {"page": 2})
    shown = [s.code for s in first.context["structures"]] + [s.code for s in second.context["structures"]]
    assert shown == [network.structure.code, network.other_structure.code]
    assert "page=2" in first.content.decode()

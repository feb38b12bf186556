"""The funder summary of DESIGN.md §9: one function, the same figures for the page, the command and the API."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from approdi.accounts.scoping import programme_scope
from approdi.intake.models import Person
from approdi.network.models import Programme
from approdi.outreach.figures import outreach_figures
from approdi.outreach.models import Contact, Referral
from approdi.shelter.beds import capacity_table
from approdi.shelter.figures import overlapping
from approdi.shelter.models import Placement, Structure

RECEPTION_GENDERS = {"women": ["woman"], "men": ["man"], "transgender": ["trans_woman", "trans_man"]}


def reception(placements, *, start: date, end: date) -> dict[str, int]:
    """Distinct people with a placement overlapping the period, by gender; non-binary and unknown only in the total.

    Each person is read once, by primary key, from the set of people the placements name (the placement_figures index
    gives them without reading a placement): counting distinct placement rows four times costs three times as much.
    """
    people = Person.objects.filter(pk__in=overlapping(placements, start, end).values("person_id"))
    totals = people.aggregate(
        total=Count("pk"),
        **{key: Count("pk", filter=Q(gender__in=genders)) for key, genders in RECEPTION_GENDERS.items()},
    )
    return {
        "women": totals["women"],
        "men": totals["men"],
        "transgender": totals["transgender"],
        "total": totals["total"],
    }


def funder_summary(*, programme: Programme, start: date, end: date) -> dict:
    """The whole programme's figures: computed inside the programme's scope, across every organisation."""
    with programme_scope(programme):
        table, total = capacity_table(Structure.objects.all(), end)
        return {
            "programme": programme.code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "outreach": outreach_figures(Contact.objects.all(), Referral.objects.all(), start=start, end=end),
            "reception": reception(Placement.objects.all(), start=start, end=end),
            "capacity": table,
            "capacity_total": total,
        }

"""The funder summary of DESIGN.md §9: one function, the same figures for the page, the command and the API."""

from __future__ import annotations

from datetime import date

from approdi.accounts.scoping import programme_scope
from approdi.network.models import Programme
from approdi.outreach.figures import outreach_figures
from approdi.outreach.models import Contact, Referral
from approdi.shelter.beds import capacity_table
from approdi.shelter.figures import reception
from approdi.shelter.models import Placement, Structure
from approdi.training.figures import training_figures
from approdi.training.models import Event


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
            # Training, awareness and capacity building (approdi/training/figures.py), added after §9's first keys.
            "training": training_figures(Event.objects.all(), start=start, end=end),
        }

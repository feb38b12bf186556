from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied

from approdi.accounts.actor import Actor
from approdi.core.period import Period

from .summary import funder_summary


def summary(*, actor: Actor, start: date, end: date) -> dict:
    """The funder summary of the programme the actor works on (coordinators and the Ufficio Filtro)."""
    if not actor.has_perm("reports.view_summary"):
        raise PermissionDenied
    Period.of(start, end)
    return funder_summary(programme=actor.active_membership.programme, start=start, end=end)

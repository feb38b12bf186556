"""The demo's roster: the emergency shelter's two on-call educators cover the coming weeks but one night."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.accounts.scoping import resolve_membership
from approdi.oncall import selectors

pytestmark = pytest.mark.django_db


def test_the_demo_roster_has_one_gap_in_the_coming_week():
    call_command("load_demo", "--quiet")
    coordinatrice = User.objects.get(username="coordinatrice")
    coordinatrice.active_membership = resolve_membership(coordinatrice)
    with scopes_disabled():
        roster = selectors.roster(actor=coordinatrice)
    assert len(roster.gaps) == 1
    assert {s.user.username for s in roster.shifts} == {"accoglienza", "reperibile"}
    assert roster.shifts[-1].end >= roster.end - (roster.end - roster.start) / 8  # planned to the last week
    reperibile = resolve_membership(User.objects.get(username="reperibile"))
    assert (reperibile.role, reperibile.organisation.code) == ("shelter", "somaschi")

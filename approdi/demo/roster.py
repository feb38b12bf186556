"""The demo's on-call roster: the emergency shelter's two educators take turns, with one night left uncovered."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from approdi.accounts.models import User
from approdi.network.models import Programme
from approdi.oncall.hours import off_hours
from approdi.oncall.models import OnCallShift
from approdi.oncall.services import add_shift

ON_CALL = (("accoglienza", "333 000 0001"), ("reperibile", "333 000 0002"))
WEEKS = 4
GAP = 2  # the third night from the day of loading is nobody's: the roster shows it in red


def load(programme: Programme) -> int:
    """Plans the coming weeks once (as the lead entity's coordinator); returns how many shifts it wrote."""
    if OnCallShift.objects.filter(programme=programme).exists():
        return 0
    planner = User.objects.get(username="coordinatrice")
    planner.active_membership = planner.memberships.select_related("organisation", "programme").get(programme=programme)
    staff = [
        (User.objects.get(username=name).memberships.select_related("organisation").get(programme=programme), phone)
        for name, phone in ON_CALL
    ]
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    count = 0
    for number, (lo, hi) in enumerate(off_hours(start, start + timedelta(weeks=WEEKS))):
        if number == GAP:
            continue
        membership, phone = staff[number % len(staff)]
        add_shift(actor=planner, membership=membership, phone=phone, start=lo, end=hi)
        count += 1
    return count

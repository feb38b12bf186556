"""The "AREA EMERSIONE" figures of the funder summary, by the counting rules of DESIGN.md §9.

Pure functions over querysets the caller has already scoped: one aggregate per figure.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from .codes import NOT_FROM_BODIES, Channel
from .models import Contact, Referral


def contact_figures(contacts: QuerySet[Contact], *, start: date, end: date) -> dict[str, int]:
    """Sum of headcounts per channel, for contacts dated in the period (both days included)."""
    totals = contacts.filter(date__gte=start, date__lte=end).aggregate(
        street=Sum("headcount", filter=Q(channel=Channel.STREET), default=0),
        indoor=Sum("headcount", filter=Q(channel=Channel.INDOOR), default=0),
        drop_in=Sum("headcount", filter=Q(channel=Channel.DROP_IN), default=0),
    )
    return {
        "street_contacts": totals["street"],
        "indoor_contacts": totals["indoor"],
        "low_threshold_accesses": totals["drop_in"],
    }


def persons_referred_by_bodies(referrals: QuerySet[Referral], *, start: date, end: date) -> int:
    """Distinct people referred by other bodies in the period; a referral without code is a person of its own."""
    counted = referrals.filter(date__gte=start, date__lte=end).exclude(
        source_type__in=[s.value for s in NOT_FROM_BODIES]
    )
    totals = counted.aggregate(
        coded=Count("person_code", distinct=True, filter=~Q(person_code="")),
        # Counting a column of referral_counting, not the id, lets PostgreSQL answer from the index alone.
        anonymous=Count("person_code", filter=Q(person_code="")),
    )
    return totals["coded"] + totals["anonymous"]


def outreach_figures(
    contacts: QuerySet[Contact], referrals: QuerySet[Referral], *, start: date, end: date
) -> dict[str, int]:
    return {
        **contact_figures(contacts, start=start, end=end),
        "persons_referred_by_bodies": persons_referred_by_bodies(referrals, start=start, end=end),
    }

"""Deadlines of a case: permits that expire and hearings that fall. Alerts come 30, 14 and 7 days before.

Dates are counted in calendar days with ``timedelta``: a month's end or a 29 February needs no
special case, and the tests pin it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from approdi.accounts import notifications
from approdi.accounts.rules import LEGAL_SEATS
from approdi.people.models import Person

from .models import Case, DeadlineNotice, Hearing, Permit, TeamMember

THRESHOLDS = (30, 14, 7)
HORIZON = max(THRESHOLDS)


def alert_dates(due: date) -> dict[int, date]:
    """The day each alert is due: 30, 14 and 7 days before."""
    return {threshold: due - timedelta(days=threshold) for threshold in THRESHOLDS}


def level(due: date, today: date) -> int | None:
    """The tightest threshold already reached (7, 14 or 30), 0 when the day has come or gone, None if far."""
    days_left = (due - today).days
    if days_left <= 0:
        return 0
    reached = [t for t in THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


@dataclass(frozen=True)
class Deadline:
    kind: str  # DeadlineNotice.Kind
    object_id: int
    case: Case
    due: date
    what: str

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def level(self, today: date) -> int | None:
        return level(self.due, today)


def watched_permits(permits: QuerySet[Permit]) -> QuerySet[Permit]:
    """Of ``permits``, those whose expiry is watched: issued, with an expiry, and no renewal or conversion
    applied for yet. Once one is, the new application is what the team follows (its own expiry is watched
    when it is issued). The alerts, My work, the case list, the case page and the permit timeline all read
    this one rule."""
    return permits.filter(status=Permit.Status.ISSUED, expiry__isnull=False, following__isnull=True)


def permits_due(*, cases: QuerySet[Case], until: date) -> QuerySet[Permit]:
    """Watched permits of ``cases`` expiring by ``until`` (or expired and not renewed)."""
    return watched_permits(Permit.objects.filter(case__in=cases)).filter(expiry__lte=until)


def hearings_due(*, cases: QuerySet[Case], today: date, until: date) -> QuerySet[Hearing]:
    """Hearings of ``cases`` from ``today`` to ``until``, by the deployment's calendar."""
    return Hearing.objects.filter(matter__case__in=cases, starts_at__date__gte=today, starts_at__date__lte=until)


def upcoming(*, cases: QuerySet[Case], today: date) -> list[Deadline]:
    """Watched permits expiring within 30 days (or expired and not renewed), hearings within 30 days."""
    return upcoming_and_hearings(cases=cases, today=today)[0]


def upcoming_and_hearings(*, cases: QuerySet[Case], today: date) -> tuple[list[Deadline], list[Hearing]]:
    """``upcoming()`` and the hearings it read, today's among them (My work lists those: no second statement)."""
    horizon = today + timedelta(days=HORIZON)
    found: list[Deadline] = []
    permits = (
        permits_due(cases=cases, until=horizon).select_related("case__person").defer(*Person.unlisted("case__person"))
    )
    for permit in permits:
        assert permit.expiry is not None  # filtered on expiry__lte
        found.append(
            Deadline(
                DeadlineNotice.Kind.PERMIT_EXPIRY, permit.pk, permit.case, permit.expiry, permit.get_type_display()
            )
        )
    zone = timezone.get_current_timezone()
    hearings = list(
        hearings_due(cases=cases, today=today, until=horizon)
        .select_related("matter__case__person")
        .defer(*Person.unlisted("matter__case__person"))
        .order_by("starts_at", "pk")
    )
    for hearing in hearings:
        found.append(
            Deadline(
                DeadlineNotice.Kind.HEARING,
                hearing.pk,
                hearing.matter.case,
                timezone.localtime(hearing.starts_at, zone).date(),
                hearing.matter.get_kind_display(),
            )
        )
    return sorted(found, key=lambda d: (d.due, d.kind, d.object_id)), hearings


def followed_by(user) -> QuerySet[Case]:
    """The open cases whose deadlines ``user`` is told of: where she holds a legal seat (``recipients``)."""
    seats = TeamMember.objects.filter(user=user, removed_at__isnull=True, role__in=LEGAL_SEATS)
    return Case.objects.exclude(status=Case.Status.CLOSED).filter(pk__in=seats.values("case_id"))


def pressing(*, user, today: date) -> list[QuerySet]:
    """The deadlines that need ``user`` now (the bell and My work's "What needs you"): within the tightest alert
    (7 days), or an expired permit not renewed, on the cases she is told of."""
    cases = followed_by(user)
    until = today + timedelta(days=min(THRESHOLDS))
    return [permits_due(cases=cases, until=until), hearings_due(cases=cases, today=today, until=until)]


def recipients(case: Case) -> list:
    """Who is told: the legal seats of the team (the case manager and the legal advisors), if they have an e-mail
    address and have not turned the deadlines' e-mail off (My account)."""
    seats = case.members.filter(removed_at__isnull=True, role__in=LEGAL_SEATS).select_related("user")
    return [
        seat.user
        for seat in seats
        if seat.user.is_active and seat.user.email and notifications.wants_email(seat.user, "deadline")
    ]


def alerts_to_send(*, today: date) -> list[tuple[object, Deadline, int]]:
    """(recipient, deadline, threshold) for every alert reached and not yet sent; run outside any scope.

    A day the command did not run is caught up: the tightest threshold reached is sent once, and the
    wider ones it passed are not sent late.
    """
    open_cases = Case.objects.exclude(status=Case.Status.CLOSED)
    sent = set(
        DeadlineNotice.objects.filter(due__gte=today - timedelta(days=1)).values_list(
            "kind", "object_id", "due", "threshold", "recipient_id"
        )
    )
    due: list[tuple[object, Deadline, int]] = []
    for deadline in upcoming(cases=open_cases, today=today):
        threshold = deadline.level(today)
        if threshold is None or threshold == 0:
            continue
        for user in recipients(deadline.case):
            already = {t for t in THRESHOLDS if (deadline.kind, deadline.object_id, deadline.due, t, user.pk) in sent}
            if any(t <= threshold for t in already):
                continue
            due.append((user, deadline, threshold))
    return due


def mark_sent(*, user, deadline: Deadline, threshold: int) -> None:
    """Records the notice, and the wider thresholds it made redundant."""
    for t in THRESHOLDS:
        if t >= threshold:
            DeadlineNotice.objects.get_or_create(
                kind=deadline.kind, object_id=deadline.object_id, due=deadline.due, threshold=t, recipient=user
            )

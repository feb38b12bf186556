"""Closed periods: a date already reported to the funder, or of an edition that has ended, stays as it was.

A date of programme P is closed when an approved funder report of P covers it, or when P has ended.
A change dated there (a capacity, a placement, a contact, a service) changes figures someone has
already signed or closed; only the coordinator at P's lead entity may still make it, giving a reason
that the audit row keeps. The approved report keeps its frozen files; its page shows how the live
figures now differ.

This module sits below the apps that write those dates (shelter, outreach, cases) and above none of
them: the funder reports live in ``approdi.reports``, which imports those apps, so the report model is
looked up by name here rather than imported. Services call ``check_open``; pages, the API and the
importers therefore refuse alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .dates import today
from .models import Programme

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

COORDINATOR = "coordinator"


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# Within ``reports_read_once``: each programme's approved reports, read at their first use.
_APPROVED: ContextVar[dict[int, list[Any]] | None] = ContextVar("approved_reports", default=None)


@contextmanager
def reports_read_once() -> Iterator[None]:
    """Approved reports read once per programme, not once per record: an import checks 100,000 dates.

    Nothing inside an import approves a report, so the list read first stays true to its end.
    """
    token = _APPROVED.set({})
    try:
        yield
    finally:
        _APPROVED.reset(token)


def _approved(programme: Programme):
    report_model = apps.get_model("reports", "FunderReport")
    # Whether a period is closed is a fact of the programme, not a record of the actor's scope: an
    # educator's scope may not include a programme her structure also serves. Only dates are read.
    with scopes_disabled():
        return report_model.objects.filter(programme=programme, status="approved").only("pk", "start", "end")


def approved_report_covering(day: date, *, programme: Programme, last: date | None = None):
    """The approved funder report of ``programme`` whose period includes ``day`` (or meets ``day``–``last``)."""
    cache = _APPROVED.get()
    if cache is None:
        with scopes_disabled():
            found = _approved(programme).filter(start__lte=last or day, end__gte=day).order_by("start", "pk")
            return found.first()
    if programme.pk not in cache:
        with scopes_disabled():
            cache[programme.pk] = list(_approved(programme).order_by("start", "pk"))
    return next((r for r in cache[programme.pk] if r.start <= (last or day) and r.end >= day), None)


def closed_problem(day: date | None, *, programme: Programme, last: date | None = None) -> str | None:
    """Why ``day`` of ``programme`` is closed (naming the approved report or the ended edition), or None.

    ``last``: a change that counts from ``day`` to ``last`` (a stay) is closed when any of it is.
    """
    if day is None:
        return None
    report = approved_report_covering(day, programme=programme, last=last)
    if report is not None:
        return _(
            "%(day)s is in a period already reported to the funder: the report of %(code)s from %(start)s to "
            "%(end)s (no. %(number)s) is approved. Only the lead entity's coordinator may change it, giving a reason."
        ) % {
            "day": _short(day),
            "code": programme.code,
            "start": _short(report.start),
            "end": _short(report.end),
            "number": report.pk,
        }
    if programme.end < today() and day <= programme.end:
        return _(
            "%(code)s ended on %(end)s: its figures are closed. Only the lead entity's coordinator may change "
            "them, giving a reason."
        ) % {"code": programme.code, "end": _short(programme.end)}
    return None


def lead_coordinators(programme: Programme):
    """The acting memberships of coordinators at ``programme``'s lead entity, in ``programme``."""
    membership_model = apps.get_model("accounts", "Membership")
    return membership_model.objects.acting().filter(
        role=COORDINATOR, organisation_id=programme.lead_organisation_id, programme=programme
    )


def is_lead_coordinator(actor: Actor, programme: Programme) -> bool:
    """A coordinator at ``programme``'s lead entity, in ``programme``, whose role acts."""
    if actor is None or not getattr(actor, "is_authenticated", False) or programme.lead_organisation_id is None:
        return False
    return lead_coordinators(programme).filter(user=actor).exists()


def lead_approver_missing(programme: Programme) -> bool:
    """No coordinator of the lead entity acts in ``programme``: nobody can approve its roles that see people's data.

    An edition an administrator created carries only her own role; its first coordinator comes from the command
    line (``add_user``, the one grant without a second person), and then approves the others.
    """
    return programme.lead_organisation_id is None or not lead_coordinators(programme).exists()


def ensure_may_write(actor, perm: str, obj=None, *, day: date | None, programme: Programme) -> None:
    """``perm``, or a correction: the lead coordinator reaches the forms of dated records her role does not fill.

    Her ``network.amend_closed_period`` (``approdi.accounts.rules``) lets her save such a record only where its
    date is closed; ``check_open`` then asks her reason. Anywhere else the record stays the frontline's.
    """
    if actor.has_perm(perm, obj):
        return
    if actor.has_perm("network.amend_closed_period") and closed_problem(day, programme=programme) is not None:
        return
    raise PermissionDenied


def check_open(
    day: date | None,
    *,
    programme: Programme,
    actor: Actor,
    reason: str = "",
    field: str = "date",
    last: date | None = None,
) -> str:
    """Refuses a change dated in a closed period, except the lead coordinator's with a reason.

    Returns what the audit row must say of an allowed change in a closed period ("" when the period is open).
    """
    problem = closed_problem(day, programme=programme, last=last)
    if problem is None:
        return ""
    if not is_lead_coordinator(actor, programme):
        raise ValidationError({field: [ValidationError(problem, code="closed_period")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": [
                    ValidationError(
                        _("This date is in a closed period of %(code)s: say why it must change.")
                        % {"code": programme.code},
                        code="reason_required",
                    )
                ]
            }
        )
    assert day is not None  # closed_problem finds no closed period without a day
    return f"closed period of {programme.code} changed on {day.isoformat()}: {reason}"


def check_open_all(
    day: date | None, *, programmes, actor: Actor, reason: str = "", field: str = "date", last: date | None = None
) -> str:
    """``check_open`` for a record that feeds several programmes' figures (a structure's capacity)."""
    notes = [check_open(day, programme=p, actor=actor, reason=reason, field=field, last=last) for p in programmes]
    return "; ".join(n for n in notes if n)


def is_closed(day: date | None, *, programmes, last: date | None = None) -> bool:
    """Whether ``day`` (to ``last``) is closed in any of ``programmes``."""
    return any(closed_problem(day, programme=p, last=last) is not None for p in programmes)

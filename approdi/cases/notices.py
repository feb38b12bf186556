"""The cases app's notices (accounts/notifications.py): the deadlines that need her, by the rule of the alerts, and
the steps of an assisted voluntary return."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approdi.accounts.notifications import Item, Kind, register, unread

from . import deadlines
from .models import AssistedReturn

register(
    Kind(
        code="deadline",
        label=_("A deadline within 7 days"),
        perm="cases.view_cases",
        pending=lambda actor, today: deadlines.pressing(user=actor, today=today),
        order=50,
        url="cases:my_work",
        anchor="#deadlines-title",
        # Deadline alerts went to every legal seat before she could choose: they still do unless she says not.
        email_default=True,
        choice=_("Deadlines of your cases: permits that expire, hearings (30, 14 and 7 days before)"),
    )
)


# A voluntary return to prepare (services/assisted_return.py): stored, for the case team, when IOM accepted and when
# the departure is planned; the row's own link goes to the case's return.
register(
    Kind(
        code="return_step",
        label=_("A voluntary return to prepare"),
        perm="cases.view_cases",
        pending=lambda actor, today: [unread(actor=actor).filter(kind="return_step")],
        order=45,
    )
)


def _returns_waiting(actor, today):
    """Her cases' returns whose planned departure passed unconfirmed, or whose reintegration follow-up fell due."""
    departure = Q(withdrawn_on__isnull=True, answer="accepted", departed_on__isnull=True, departure_planned__lte=today)
    follow_up = Q(reintegration_on__isnull=True, reintegration_due__lte=today)
    return AssistedReturn.objects.filter(
        departure | follow_up, case__case_manager=actor, case__programme=actor.active_membership.programme
    )


def _return_items(actor, today) -> list[Item]:
    rows = (
        _returns_waiting(actor, today)
        .select_related("case__person")
        .only("case__person__code", "departure_planned", "departed_on", "reintegration_due", "case_id")
    )
    items = []
    for row in rows.order_by("pk"):
        if row.departed_on is None:
            text, due = str(_("Confirm her departure, or withdraw the return")), row.departure_planned
        else:
            text, due = str(_("Reintegration follow-up")), row.reintegration_due
        url = reverse("cases:case_detail", args=[row.case_id]) + "#return"
        items.append(Item(text=text, code=row.case.person.code, due=due, url=url))
    return items


register(
    Kind(
        code="return_due",
        label=_("A voluntary return waiting for you"),
        perm="cases.view_cases",
        pending=lambda actor, today: [_returns_waiting(actor, today)],
        order=55,
        url="cases:my_work",
        anchor="#needs-you",
        items=_return_items,
    )
)

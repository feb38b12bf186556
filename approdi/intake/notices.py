"""The Ufficio Filtro's notices (accounts/notifications.py): new referrals in the queue; and, for whoever owns one,
the actions a case conference gave her that are due within a week (or overdue) and not done."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approdi.accounts.notifications import Item, Kind, register
from approdi.outreach.models import Referral

from . import selectors

ACTION_DAYS = 7


def actions_due(*, actor, today: date):
    """Her conference actions not done, due within ``ACTION_DAYS`` or overdue."""
    return selectors.owed_actions(actor=actor).filter(due__lte=today + timedelta(days=ACTION_DAYS))


def action_items(actor, today: date) -> list[Item]:
    """Each action with the person's code; the link finds her case among those the owner sees (the person's
    record itself is the Ufficio Filtro's)."""
    rows = (
        actions_due(actor=actor, today=today)
        .select_related("conference__person")
        .only("description", "due", "conference__person__code")
    )
    cases = reverse("cases:case_list")
    return [
        Item(
            text=action.description,
            code=action.conference.person.code,
            due=action.due,
            url=f"{cases}?{urlencode({'code': action.conference.person.code})}",
        )
        for action in rows
    ]


register(
    Kind(
        code="referral",
        label=_("A new referral in the queue"),
        perm="intake.work_queue",
        pending=lambda actor, today: [selectors.queue(actor=actor, status=Referral.Status.NEW)],
        order=10,
        url="intake:queue",
        anchor="?status=new",
    )
)
register(
    Kind(
        code="conference_action",
        label=_("A conference action of yours due within 7 days"),
        perm="cases.view_cases",
        pending=lambda actor, today: [actions_due(actor=actor, today=today)],
        items=action_items,
        order=60,
        url="cases:my_work",
        anchor="#needs-you",
    )
)

"""The Ufficio Filtro's home page: the queue, most urgent first, and what is overdue (core/home.py)."""

from django.db.models import Count
from django.utils import timezone

from approdi.core.home import Panel, home_panel
from approdi.outreach.models import Referral
from approdi.shelter import selectors as shelter

from . import selectors

FIRST_IN_QUEUE = 5


@home_panel(order=20)
def queue(request) -> Panel | None:
    user = request.user
    if not user.has_perm("intake.work_queue"):
        return None
    waiting = selectors.queue(actor=user)
    by_status = dict(waiting.order_by().values_list("status").annotate(n=Count("id")))
    today = timezone.localdate()
    first = [
        (referral, selectors.days_waiting(referral, today))
        for referral in selectors.queue(actor=user, order="urgency")[:FIRST_IN_QUEUE]
    ]
    alerts = shelter.alerts(actor=user, today=today)
    return Panel(
        "intake/_home.html",
        {
            "new": by_status.get(Referral.Status.NEW, 0),
            "open": sum(by_status.values()),
            "first": first,
            "overstays": sum(1 for a in alerts if a.kind == "overstay"),
            "long_paths": sum(1 for a in alerts if a.kind != "overstay"),
        },
    )

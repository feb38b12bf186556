"""The governance tables on the home page (core/home.py): the actions a user owes, for those without My work
(coordinators, street units: the case roles find them on My work, my_work.py)."""

from django.utils import timezone

from approdi.core.home import Panel, home_panel

from . import selectors


@home_panel(order=55)
def table_actions(request) -> Panel | None:
    user = request.user
    if not user.has_perm(selectors.VIEW) or user.has_perm("cases.view_cases"):
        return None
    actions = selectors.my_actions(actor=user)
    if not actions:
        return None
    return Panel("governance/_my_actions.html", {"actions": actions, "today": timezone.localdate()})

"""The governance tables' actions on their owner's My work (cases/my_work_sections.py)."""

from django.utils import timezone

from approdi.cases.my_work_sections import my_work_section
from approdi.core.home import Panel

from . import selectors


@my_work_section(order=20)
def table_actions(request) -> Panel | None:
    if not request.user.has_perm(selectors.VIEW):
        return None
    actions = selectors.my_actions(actor=request.user)
    if not actions:
        return None
    return Panel("governance/_my_actions.html", {"actions": actions, "today": timezone.localdate()})

"""The case conferences' actions on their owner's My work (cases/my_work_sections.py)."""

from django.utils import timezone

from approdi.cases.my_work_sections import my_work_section
from approdi.core.home import Panel

from . import selectors


@my_work_section(order=10)
def conference_actions(request) -> Panel | None:
    if not request.user.has_perm("cases.view_cases"):
        return None
    return Panel(
        "intake/_my_conference_actions.html",
        {"actions": selectors.my_conference_actions(actor=request.user), "today": timezone.localdate()},
    )

"""The actions a user owes, from the tables' meetings and from every other meeting that uses the engine (a case
conference: intake/my_work.py), on her My work (cases/my_work_sections.py): one section, one list."""

from django.urls import reverse
from django.utils import timezone

from approdi.cases.my_work_sections import my_work_section
from approdi.core.home import Panel

from . import engine, selectors


@engine.action_source
def table_actions_owed(actor) -> list[engine.Owed]:
    if not actor.has_perm(selectors.VIEW):
        return []
    return [
        engine.Owed(
            pk=action.pk,
            kind="table",
            description=action.description,
            due=action.due,
            origin=action.meeting.table.name,
            origin_url=reverse("governance:meeting_detail", args=[action.meeting_id]),
            done_url=reverse("governance:action_done", args=[action.pk]),
        )
        for action in selectors.my_actions(actor=actor)
    ]


def owed_panel(request) -> Panel | None:
    if not request.user.has_perm(selectors.VIEW):
        return None
    actions = engine.owed_by(actor=request.user)
    if not actions:
        return None
    return Panel("governance/_my_actions.html", {"actions": actions, "today": timezone.localdate()})


@my_work_section(order=10)
def meeting_actions(request) -> Panel | None:
    return owed_panel(request)

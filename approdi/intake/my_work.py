"""The case conferences' actions on their owner's My work: through the meeting engine's one list of the actions a
user owes (governance/engine.py, governance/my_work.py), each with the person's code, never her identity, and a
link to her case's conferences when the owner sees the case."""

from django.urls import reverse

from approdi.governance import engine

from . import selectors


@engine.action_source
def conference_actions_owed(actor) -> list[engine.Owed]:
    if not actor.has_perm("cases.view_cases"):
        return []
    owed = []
    for action in selectors.my_conference_actions(actor=actor):
        case_id = getattr(action, "case_id", None)  # annotated by the selector: her case the owner sees, or None
        owed.append(
            engine.Owed(
                pk=action.pk,
                kind="conference",
                description=action.description,
                due=action.due,
                origin=action.conference.person.code,
                origin_url=reverse("conferences:case_conferences", args=[case_id]) if case_id else "",
                done_url=reverse("conferences:conference_action_done", args=[action.pk]),
                origin_is_code=True,
            )
        )
    return owed

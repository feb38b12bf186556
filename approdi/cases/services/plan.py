"""The individual plan: goals, actions, reviews; and the appointments of a case."""

from __future__ import annotations

import copy
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.core.permissions import ensure
from approdi.network.dates import check_not_future

from ..models import Appointment, Case, Goal, GoalProgress, PlanAction, Review
from ._common import ensure_open, save_changes, save_new


def _on_team(case: Case, user) -> None:
    if not case.members.filter(user=user, removed_at__isnull=True).exists():
        raise ValidationError({"owner": [_("Choose someone on the case team.")]})


@transaction.atomic
def add_goal(*, actor: Actor, case: Case, domain: str, description: str) -> Goal:
    ensure_open(actor, "cases.work_on_case", case)
    return save_new(actor=actor, obj=Goal(case=case, domain=domain, description=description, created_by=actor))


@transaction.atomic
def add_action(*, actor: Actor, goal: Goal, description: str, owner, due: date) -> PlanAction:
    ensure_open(actor, "cases.work_on_case", goal.case)
    _on_team(goal.case, owner)
    return save_new(actor=actor, obj=PlanAction(goal=goal, description=description, owner=owner, due=due))


@transaction.atomic
def complete_action(*, actor: Actor, action: PlanAction, day: date) -> PlanAction:
    ensure_open(actor, "cases.work_on_case", action.goal.case)
    ensure(actor, "cases.complete_action", action)
    if action.done_on is not None:
        raise ValidationError(_("This action is done already."))
    check_not_future(day, field="day")
    before = copy.copy(action)
    action.done_on = day
    save_changes(actor=actor, before=before, after=action)
    return action


@transaction.atomic
def review_plan(
    *,
    actor: Actor,
    case: Case,
    day: date,
    summary: str,
    progress: dict[int, tuple[str, str]],
    next_review: date | None = None,
) -> Review:
    """A periodic review: each goal's status and progress at this date. Goals take the new status;
    the review keeps the old picture, so the plan's history is never overwritten."""
    ensure_open(actor, "cases.work_on_case", case)
    check_not_future(day, field="day")
    review = save_new(
        actor=actor,
        obj=Review(case=case, date=day, summary=summary, next_review=next_review, reviewed_by=actor),
    )
    goals = {goal.pk: goal for goal in case.goals.all()}
    unknown = set(progress) - set(goals)
    if unknown:
        raise ValidationError(_("A goal of another case was given."))
    for goal_id, (status, note) in progress.items():
        goal = goals[goal_id]
        item = GoalProgress(review=review, goal=goal, status=status, note=note)
        item.full_clean()
        item.save()
        if goal.status != status:
            before = copy.copy(goal)
            goal.status = status
            save_changes(actor=actor, before=before, after=goal)
    return review


@transaction.atomic
def add_appointment(*, actor: Actor, case: Case, starts_at: datetime, title: str, place: str, operator) -> Appointment:
    ensure_open(actor, "cases.work_on_case", case)
    if not case.members.filter(user=operator, removed_at__isnull=True).exists():
        raise ValidationError({"operator": [_("Choose someone on the case team.")]})
    appointment = Appointment(
        case=case, starts_at=starts_at, title=title, place=place, operator=operator, created_by=actor
    )
    return save_new(actor=actor, obj=appointment)

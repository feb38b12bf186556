"""The meeting engine's parts that a table's meeting and a multi-agency case conference share: an action marked
done, the actions a user owes on her My work, and (governance/ical.py) the meeting as an iCalendar event.

Intake sits above governance: a case conference uses these (``intake.models.FollowUpAction`` is an
``OwedAction``; ``intake/my_work.py`` registers its actions with ``action_source``), governance never reads intake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure

from .models import OwedAction

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

A = TypeVar("A", bound=OwedAction)


def complete(*, actor: Actor, action: A, permission: str) -> A:
    """An action marked done today, by whom owes it alone (``permission``); called inside the caller's
    transaction. Done twice is a clear error, never a second audit row."""
    ensure(actor, permission, action)
    locked = type(action)._base_manager.select_for_update().get(pk=action.pk)
    if locked.status == OwedAction.Status.DONE:
        raise ValidationError(_("This action is done already."))
    action.status, action.done_on = OwedAction.Status.DONE, timezone.localdate()
    action.full_clean()
    action.save(update_fields=["status", "done_on"])
    record(actor=actor, action=Action.CHANGE, obj=action, fields=["status", "done_on"])
    return action


def check_due(due: date, meeting_day: date) -> None:
    if due < meeting_day:
        raise ValidationError({"due": [_("An action cannot be due before its meeting.")]})


@dataclass(frozen=True)
class Owed:
    """One open action on its owner's My work, whichever meeting gave it: what, by when, where it comes from (a
    table's name or a person's code, never her identity) and the addresses of its meeting and of "done"."""

    pk: int
    kind: str  # "table" or "conference": the item's test id
    description: str
    due: date
    origin: str
    origin_url: str
    done_url: str
    origin_is_code: bool = False


Source = Callable[["Actor"], list[Owed]]
_SOURCES: list[Source] = []


def action_source(source: Source) -> Source:
    """Registers where a kind of meeting's open actions come from (each source checks its own permission)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def owed_by(*, actor: Actor) -> list[Owed]:
    """Every open action the actor owes in her programme, from every kind of meeting, soonest first."""
    found = [item for source in _SOURCES for item in source(actor)]
    return sorted(found, key=lambda item: (item.due, item.kind, item.pk))

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure

from ..models import Case

_M = TypeVar("_M", bound=models.Model)


def ensure_open(actor: Actor, perm: str, case: Case) -> None:
    """The actor may do ``perm`` on the case, and the case is still open to changes."""
    ensure(actor, perm, case)
    if case.status == Case.Status.CLOSED:
        raise Conflict(_("The case is closed: it can be read but not changed."))


def lock(case: Case) -> None:
    """Locks the case's row until the transaction ends, and reloads it.

    Changes of the same case's state (status, closure, assignment, transfers) then queue up, and each
    checks the state the previous one left: a request that read the case before another closed it
    cannot write its stale copy back over the closure. Call it first, inside the service's transaction.
    """
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())


def save_new(*, actor: Actor, obj: _M, exclude: list[str] | None = None, reason: str = "") -> _M:
    obj.full_clean(exclude=exclude)
    obj.save()
    record(actor=actor, action=Action.CREATE, obj=obj, fields=changed_fields(None, obj), reason=reason)
    return obj


def save_changes(*, actor: Actor, before: models.Model, after: models.Model, exclude: list[str] | None = None) -> None:
    after.full_clean(exclude=exclude)
    after.save()
    record(actor=actor, action=Action.CHANGE, obj=after, fields=changed_fields(before, after))

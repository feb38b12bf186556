"""Records sent from a phone, stored once each: the idempotency keys of ``POST /api/v1/outreach/sync``.

The records themselves go through the same services as the forms (``services.py``); this module only keeps
each one's key, so that a record sent again (its answer lost when the van left coverage, or a whole batch
replayed) is answered with the first result instead of being stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor

from .codes import SyncKind
from .models import SyncKey


@dataclass(frozen=True)
class Synced:
    kind: str
    object_id: int
    replayed: bool  # True: the key was seen before, nothing was stored this time


def earlier(*, actor: Actor, key: UUID) -> SyncKey | None:
    """What the actor stored under ``key`` before, if anything (within the scope the request acts under)."""
    return SyncKey.objects.filter(actor=actor, key=key).first()


def _answer(found: SyncKey, kind: str) -> Synced:
    if found.kind != kind:
        raise ValidationError({"key": [_("This key was already used for another record.")]}, code="key_reused")
    return Synced(kind=kind, object_id=found.object_id, replayed=True)


def stored_once(*, actor: Actor, key: UUID, kind: SyncKind | str, store: Callable[[], int]) -> Synced:
    """Runs ``store`` (a service call returning the stored record's id) unless ``key`` was stored before.

    One transaction holds the record and its key: when the same record arrives twice at once, the second
    insert of the key breaks the unique constraint, its record is rolled back with it, and it is answered
    with the first one's result. A record ``store`` refuses keeps no key, so the phone may correct and resend it.
    """
    kind = SyncKind(kind).value
    found = earlier(actor=actor, key=key)
    if found is not None:
        return _answer(found, kind)
    membership = actor.active_membership
    try:
        with transaction.atomic():
            object_id = store()
            SyncKey.objects.create(
                programme=membership.programme,
                organisation=membership.organisation,
                actor=actor,
                key=key,
                kind=kind,
                object_id=object_id,
            )
    except IntegrityError:
        found = earlier(actor=actor, key=key)
        if found is None:
            raise
        return _answer(found, kind)
    return Synced(kind=kind, object_id=object_id, replayed=False)


def synced_outing_id(*, actor: Actor, key: UUID) -> int | None:
    """The outing the actor's app stored under ``key`` (so a contact sent later can name its outing by it)."""
    found = SyncKey.objects.filter(actor=actor, key=key, kind=SyncKind.OUTING).first()
    return found.object_id if found is not None else None

"""Writing the audit log. Call ``record`` inside the transaction of the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection, models, transaction

from approdi.core.bulk import insert_copies
from approdi.core.metrics import SIGN_IN_FAILURES
from approdi.core.middleware import current_ip, current_request_id

from .expiring import expiring_audit_rows
from .models import Action, AuditEntry, object_type_of

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def record(
    *,
    actor: Actor | None = None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    reason: str = "",
    username: str = "",
    organisation_id: int | None = None,
    programme_id: int | None = None,
) -> AuditEntry:
    entry = _entry(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        reason=reason,
        username=username,
        organisation_id=organisation_id,
        programme_id=programme_id,
    )
    entry.save(force_insert=True)
    if action == Action.SIGN_IN_FAILED:  # every failed sign-in is audited here, whichever way it came
        SIGN_IN_FAILURES.inc()
    return entry


def _entry(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    reason: str = "",
    username: str = "",
    organisation_id: int | None = None,
    programme_id: int | None = None,
) -> AuditEntry:
    membership = getattr(actor, "active_membership", None) if actor is not None else None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or obj.pk
    if organisation_id is None and membership is not None:
        organisation_id = membership.organisation_id
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if actor is not None and authenticated else (username or "system"))[:150],
        organisation_id=organisation_id,
        programme_id=membership.programme_id if membership is not None else programme_id,
        role=membership.role if membership is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        fields=sorted(set(fields)),
        reason=reason,
        request_id=current_request_id(),
        ip=current_ip(),
    )


def record_many(
    *,
    actor: Actor | None = None,
    action: str,
    objects: Iterable[models.Model],
    fields: Iterable[str] = (),
    reason: str = "",
) -> None:
    """One audit row per object, as ``record`` writes them, in one executemany/COPY (imports of 100,000 rows)."""
    objects = list(objects)
    if not objects:
        return
    template = _entry(actor=actor, action=action, obj=None, fields=fields, reason=reason)
    insert_copies(
        template,
        {
            "object_type": [object_type_of(obj) for obj in objects],
            "object_id": [str(obj.pk or "") for obj in objects],
        },
    )


def record_view(*, actor: Actor, obj: models.Model, fields: Iterable[str] = ()) -> AuditEntry:
    return record(actor=actor, action=Action.VIEW, obj=obj, fields=fields)


def record_denied(*, actor: Actor, object_type: str = "", object_id: str | int = "", reason: str = "") -> AuditEntry:
    return record(
        actor=actor, action=Action.PERMISSION_DENIED, object_type=object_type, object_id=object_id, reason=reason
    )


def changed_fields(before: models.Model | None, after: models.Model) -> list[str]:
    """Names of the concrete fields whose values differ; never the values themselves."""
    names = [f.attname for f in after._meta.concrete_fields if not f.primary_key]
    if before is None:
        return [n for n in names if getattr(after, n) not in (None, "")]
    return [n for n in names if getattr(before, n) != getattr(after, n)]


def expire(rows: models.QuerySet[AuditEntry]) -> int:
    """Deletes audit rows past their retention (``manage.py apply_retention``), in the caller's transaction.

    The database lets only rows older than two years go, and only while this runs (migration 0004)."""
    # A savepoint: a refused delete rolls the setting back with it (the setting is transaction-local), and the
    # database's refusal reaches the caller as it is, not masked by a statement run in an aborted transaction.
    with expiring_audit_rows(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('approdi.expiring_audit_rows', 'on', true)")
        deleted, _by_model = rows.delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('approdi.expiring_audit_rows', 'off', true)")
    return deleted

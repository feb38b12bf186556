"""Reports and exports may read a PostgreSQL replica (``DATABASE_REPLICA_URL``); everything else uses the primary.

A replica is asynchronous: it may lag the primary by seconds. So a read goes to the ``replica`` alias only when
all of these hold, and to ``default`` otherwise:

- the replica is configured;
- the code asked for it with ``replica_reads()`` (the report pages and background exports do, nothing else);
- the current request or task has not written yet (a request that saved something reads back what it saved),
  and is not inside a transaction on the primary.

Writes always go to the primary, and so do the audit entries a report read records. Migrations run only on the
primary (the replica gets its schema by replication). "Written" is known from the router's ``db_for_write``,
which every ORM write consults; raw SQL writes are not seen (none runs inside a report).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ALIASES = {DEFAULT_DB_ALIAS, REPLICA}

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    allowed = 0  # depth of nested replica_reads()
    wrote = False  # the current request/task wrote something
    ignoring_writes = False


_state = _State()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def start_unit_of_work() -> None:
    """A new request (or task) begins: nothing written yet, no replica reads asked for."""
    _state.allowed = 0
    _state.wrote = False
    _state.ignoring_writes = False


@contextmanager
def replica_reads(*, ignore_own_writes: bool = False) -> Iterator[None]:
    """Reads inside may come from the replica (until this request writes).

    ``ignore_own_writes`` is for a background export: its own writes are its progress and status, which its
    reads never look at, so they do not send the rest of its reads to the primary.
    """
    saved = (_state.allowed, _state.wrote, _state.ignoring_writes)
    _state.allowed += 1
    if ignore_own_writes:
        _state.wrote, _state.ignoring_writes = False, True
    try:
        yield
    finally:
        _state.allowed = saved[0]
        if ignore_own_writes:
            _state.wrote, _state.ignoring_writes = saved[1], saved[2]


def reads_replica(view: F) -> F:
    """Decorator form of ``replica_reads()`` for report pages and selectors."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        if (
            _state.allowed
            and not _state.wrote
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS  # also for objects loaded from the replica, once outside replica_reads()

    def db_for_write(self, model: type, **hints: Any) -> str:
        if not _state.ignoring_writes:
            _state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True if {obj1._state.db, obj2._state.db} <= ALIASES else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Each request starts with nothing written; the state is not carried to the thread's next request."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        start_unit_of_work()
        try:
            return self.get_response(request)
        finally:
            start_unit_of_work()

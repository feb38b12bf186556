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

A replica that cannot be reached, or lags more than ``APPRODI_REPLICA_MAX_LAG_SECONDS``, is left aside: its reads
go to the primary (a report is slower, never an error), a warning is logged and
``approdi_replica_fallbacks_total`` counts them on /metrics; it is tried again after ``RETRY_SECONDS``. It is
judged as a thread opens its connection to it (the connection lives ``CONN_MAX_AGE``, 60 seconds); a replica
lost while a connection to it is open fails that one request, and the next one falls back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from approdi.core.metrics import REPLICA_FALLBACKS

logger = logging.getLogger(__name__)
REPLICA = "replica"
ALIASES = {DEFAULT_DB_ALIAS, REPLICA}
RETRY_SECONDS = 30.0
# Seconds since the last transaction the standby replayed, 0 when it has replayed all it received (or is no standby).
LAG_SQL = """
SELECT CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
THEN COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) ELSE 0 END
"""

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    allowed = 0  # depth of nested replica_reads()
    wrote = False  # the current request/task wrote something
    ignoring_writes = False


_state = _State()


class _Health:
    """Shared by the threads of a process: until when the replica is left aside, and why."""

    down_until = 0.0
    reason = ""


_health = _Health()


def _lag_seconds() -> float:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0] or 0)


def _leave_aside(reason: str, error: object) -> None:
    _health.down_until, _health.reason = time.monotonic() + RETRY_SECONDS, reason
    logger.warning("replica %s (%s): reports read the primary for %s seconds", reason, error, int(RETRY_SECONDS))
    with suppress(DatabaseError):
        connections[REPLICA].close()


def replica_usable() -> bool:
    """False, and the reason counted, while the replica is unreachable or lagging; checked as a connection opens."""
    if time.monotonic() < _health.down_until:
        REPLICA_FALLBACKS.labels(reason=_health.reason).inc()
        return False
    wrapper = connections[REPLICA]
    if wrapper.connection is not None:
        return True
    try:
        wrapper.ensure_connection()
        lag = _lag_seconds()
    except DatabaseError as error:
        _leave_aside("unreachable", error)
    else:
        if lag <= settings.APPRODI_REPLICA_MAX_LAG_SECONDS:
            return True
        _leave_aside("lagging", f"{lag:.0f} seconds behind")
    REPLICA_FALLBACKS.labels(reason=_health.reason).inc()
    return False


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
            and replica_usable()
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

"""Set only while retention deletes audit rows past their period (``services.expire``): the triggers of migration
0004 then let a DELETE of a row older than two years through, and nothing younger, ever."""

from contextlib import contextmanager
from contextvars import ContextVar

expiring = ContextVar("approdi_expiring_audit_rows", default=False)


@contextmanager
def expiring_audit_rows():
    token = expiring.set(True)
    try:
        yield
    finally:
        expiring.reset(token)

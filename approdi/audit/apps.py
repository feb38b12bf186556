from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from .expiring import expiring

# Set only while ``manage.py flush`` empties every table (approdi/audit/management/commands/flush.py): the
# SQLite trigger lets that one DELETE through, as PostgreSQL lets the table owner TRUNCATE.
_emptying_the_database = ContextVar("approdi_emptying_the_database", default=False)


@contextmanager
def emptying_the_database():
    token = _emptying_the_database.set(True)
    try:
        yield
    finally:
        _emptying_the_database.reset(token)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """The functions the SQLite triggers ask; where they are missing (another client) the triggers fail closed."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "approdi_emptying_the_database", 0, lambda: int(_emptying_the_database.get())
        )
        connection.connection.create_function("approdi_expiring_audit_rows", 0, lambda: int(expiring.get()))


class AuditConfig(AppConfig):
    name = "approdi.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        connection_created.connect(register_sqlite_function, dispatch_uid="approdi-audit-sqlite-function")
        from . import signals  # noqa: F401  (audits the refusals of core.permissions.require_perm)

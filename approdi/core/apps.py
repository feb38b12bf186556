from pathlib import Path

from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def keep_sqlite_files_private(sender, connection, **kwargs) -> None:
    """The embedded database holds people's data: mode 0600, also for a file an older version left 0644."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):  # in-memory (the test databases)
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(name + suffix)
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def analyze_after_migrations(sender, using, plan=None, **kwargs) -> None:
    """After migrations ran on a SQLite database analysed before, analyse it again.

    Its statistics (``sqlite_stat1``) then describe the old indexes and none of a migration's new ones, and its
    planner keeps the old plans: after the list indexes of 6 December, 1.3–1.6 s for the queue and the API lists at
    national scale until ANALYZE ran. A database never analysed plans by SQLite's defaults, which pick the new
    indexes: nothing is done for it (the test databases, a new installation). PostgreSQL keeps its statistics per
    table, refreshed by autovacuum.
    """
    connection = connections[using]
    if not plan or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("ANALYZE")


class CoreConfig(AppConfig):
    name = "approdi.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(keep_sqlite_files_private, dispatch_uid="approdi-private-sqlite")
        # Sent once per app with models after a migrate: this app's own signal runs it once.
        post_migrate.connect(analyze_after_migrations, sender=self, dispatch_uid="approdi-analyze-after-migrations")
        from . import selfcheck  # noqa: F401  (registers the deploy check)

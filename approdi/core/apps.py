from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created


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


class CoreConfig(AppConfig):
    name = "approdi.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(keep_sqlite_files_private, dispatch_uid="approdi-private-sqlite")
        from . import selfcheck  # noqa: F401  (registers the deploy check)

"""What must hold before Approdi serves anyone: run by ``manage.py selfcheck`` at every start of the service,
and by ``manage.py check --deploy``. Each check returns the problems it found, in words an operator acts on."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from .crypto import EncryptedTextField, decrypt, encrypt


def migrations_applied() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in pending[:5])
        return [f"{len(pending)} migration(s) not applied ({names}). Run `manage.py migrate` first."]
    return []


def encryption_keys() -> list[str]:
    """The keys are there, each a Fernet key, and the newest stored ciphertext of every table still opens."""
    if not settings.APPRODI_ENCRYPTION_KEYS:
        return ["APPRODI_ENCRYPTION_KEYS holds no key."]
    try:
        if decrypt(encrypt("approdi-canary")) != "approdi-canary":
            return ["The encryption keys do not read back what they wrote."]
    except ValueError as error:  # a key that is not a Fernet key (32 url-safe base64 bytes)
        return [f"APPRODI_ENCRYPTION_KEYS holds a key that is not a valid Fernet key: {error}"]
    if migrations_applied():  # tables may be missing yet: that problem is reported first
        return []
    unreadable = []
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)), None)
        if field is None:
            continue
        table, column, pk = quote(model._meta.db_table), quote(str(field.column)), quote(str(model._meta.pk.column))
        with connection.cursor() as cursor:  # the ciphertext as stored: the field cannot be filtered on
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY {pk} DESC LIMIT 1")  # noqa: S608 - quoted names
            row = cursor.fetchone()
        if row is None:
            continue
        try:  # the table's newest value is its canary
            decrypt(row[0])
        except ValueError:
            unreadable.append(f"{model._meta.label}.{field.name}")
    if unreadable:
        return [
            f"Stored data cannot be decrypted with APPRODI_ENCRYPTION_KEYS ({len(unreadable)} field(s): "
            f"{', '.join(unreadable[:3])}...). Was a key removed or replaced? Put the old key back after the "
            "new one, and run rotate_encryption_keys."
        ]
    return []


def shared_cache() -> list[str]:
    """With REDIS_URL the cache (sessions, rate limits) is shared and must answer."""
    if not settings.REDIS_URL:
        return []
    try:
        cache.set("approdi:selfcheck", "ok", timeout=30)
        answered = cache.get("approdi:selfcheck")
    except Exception as error:  # any client error means the cache does not answer
        return [f"The cache at REDIS_URL does not answer: {error}"]
    return [] if answered == "ok" else ["The cache at REDIS_URL does not keep what it is given."]


CHECKS = (migrations_applied, encryption_keys, shared_cache)


def problems() -> list[str]:
    return [problem for check in CHECKS for problem in check()]


@checks.register(checks.Tags.database, deploy=True)
def deploy_selfcheck(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """The same checks as ``selfcheck``, for ``manage.py check --deploy --database default``."""
    if not databases:
        return []
    return [checks.Error(problem, id="approdi.E001") for problem in problems()]

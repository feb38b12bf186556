"""On SQLite too the database refuses to alter or remove audit rows (0002 covers PostgreSQL).

UPDATE is always refused. DELETE is let through only while ``manage.py flush`` empties every table
(approdi/audit/apps.py): the function the trigger asks exists only in Approdi's connections, so any
other client is refused as well.
"""

from django.db import migrations

CREATE = [
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN NOT approdi_emptying_the_database()
    BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: DELETE refused'); END
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]

"""Retention (``manage.py apply_retention``) may delete audit rows past their period, and only those.

The database still refuses every UPDATE, and every DELETE of a row younger than two years (the shortest period
a programme may set, ``approdi.core.retention``), whoever asks. An older row goes only while Approdi's retention
says so: on PostgreSQL the transaction-local setting ``approdi.expiring_audit_rows``, on SQLite the function
registered in Approdi's own connections (``approdi/audit/apps.py``).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION approdi_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('approdi.expiring_audit_rows', true), '') = 'on'
       AND OLD.at < now() - interval '24 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit_auditentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_BACK = """
CREATE OR REPLACE FUNCTION approdi_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit_auditentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditentry_no_delete"
SQLITE_CREATE = """
CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
WHEN NOT approdi_emptying_the_database()
     AND NOT (approdi_expiring_audit_rows() AND OLD.at < datetime('now', '-24 months'))
BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: DELETE refused'); END
"""
SQLITE_BACK = """
CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
WHEN NOT approdi_emptying_the_database()
BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: DELETE refused'); END
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACK)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_BACK)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_on_sqlite")]
    operations = [migrations.RunPython(forwards, backwards)]

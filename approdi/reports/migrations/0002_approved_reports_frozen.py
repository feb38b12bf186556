"""On PostgreSQL the database itself refuses to alter or remove an approved funder report.

Drafts stay editable (re-prepared, discarded); once a row is approved, UPDATE and DELETE of it
are refused whatever the application does. TRUNCATE is left to privileges, as for the audit log.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION approdi_reports_approved_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'reports_funderreport ' || OLD.id || ' is approved and frozen: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_funderreport_approved_frozen BEFORE UPDATE OR DELETE ON reports_funderreport
    FOR EACH ROW WHEN (OLD.status = 'approved') EXECUTE FUNCTION approdi_reports_approved_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_funderreport_approved_frozen ON reports_funderreport;
DROP FUNCTION IF EXISTS approdi_reports_approved_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""The database refuses a membership at a law-enforcement body, and a ``filtro`` membership outside the
programme's lead entity (DESIGN.md §5, §9). Both read another table, which a CHECK constraint cannot, so a
trigger holds them, on PostgreSQL and on the embedded SQLite alike. The services refuse the same with a
translated message; the trigger is for whatever goes around them.

An organisation reclassified as ``enforcement`` later, or a programme whose lead entity changes, is left to the
organisations import (which refuses the first) and to ``Membership.objects.acting()`` and the rules, which make
such memberships act nowhere.
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION approdi_membership_firewall() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM network_organisation WHERE id = NEW.organisation_id AND type = 'enforcement') THEN
        RAISE EXCEPTION USING
            MESSAGE = 'a law-enforcement or immigration body holds no membership', ERRCODE = 'check_violation';
    END IF;
    IF NEW.role = 'filtro' AND NOT EXISTS (
        SELECT 1 FROM network_programme WHERE id = NEW.programme_id AND lead_organisation_id = NEW.organisation_id
    ) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'the filtro role exists only at the lead entity of the programme', ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_membership_firewall BEFORE INSERT OR UPDATE ON accounts_membership
    FOR EACH ROW EXECUTE FUNCTION approdi_membership_firewall();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS accounts_membership_firewall ON accounts_membership;
DROP FUNCTION IF EXISTS approdi_membership_firewall();
"""

# SQLite has no trigger on two operations, nor functions: one trigger per operation and rule.
_ENFORCEMENT_WHEN = """FOR EACH ROW WHEN EXISTS (
    SELECT 1 FROM network_organisation WHERE id = NEW.organisation_id AND type = 'enforcement'
)
BEGIN SELECT RAISE(ABORT, 'a law-enforcement or immigration body holds no membership'); END;"""
_FILTRO_WHEN = """FOR EACH ROW WHEN NEW.role = 'filtro' AND NOT EXISTS (
    SELECT 1 FROM network_programme WHERE id = NEW.programme_id AND lead_organisation_id = NEW.organisation_id
)
BEGIN SELECT RAISE(ABORT, 'the filtro role exists only at the lead entity of the programme'); END;"""
SQLITE = {
    "accounts_membership_enforcement_insert": "BEFORE INSERT ON accounts_membership " + _ENFORCEMENT_WHEN,
    "accounts_membership_enforcement_update": "BEFORE UPDATE ON accounts_membership " + _ENFORCEMENT_WHEN,
    "accounts_membership_filtro_insert": "BEFORE INSERT ON accounts_membership " + _FILTRO_WHEN,
    "accounts_membership_filtro_update": "BEFORE UPDATE ON accounts_membership " + _FILTRO_WHEN,
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for name, body in SQLITE.items():
            schema_editor.execute("CREATE TRIGGER " + name + " " + body)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for name in SQLITE:
            schema_editor.execute("DROP TRIGGER IF EXISTS " + name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_grants_need_a_second_person"),
        ("network", "0004_merge_enforcement_and_partnership"),  # after every rebuild of the tables its triggers read
    ]
    operations = [migrations.RunPython(forwards, backwards)]

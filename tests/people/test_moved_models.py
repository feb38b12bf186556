"""People moved out of intake with their tables: the audit log and the database read as before."""

import pytest
from django.db import connection
from django.utils import translation

from approdi.accounts.audit_log.labels import field_labels, object_type_label
from approdi.audit.models import object_type_of
from approdi.people.models import Consent, Person, PersonKey, ProgrammeRecord


@pytest.mark.parametrize("model", [Person, PersonKey, Consent, ProgrammeRecord])
def test_audit_entries_keep_the_object_type_they_were_written_under(model):
    # The log is append-only: its older rows say intake.<model>, and so must the new ones.
    assert object_type_of(model()) == f"intake.{model._meta.model_name}"
    assert model._meta.db_table == f"intake_{model._meta.model_name}"


def test_the_dpo_reads_the_moved_types_by_name():
    with translation.override("en"):
        assert object_type_label("intake.person") == "Person"
        assert field_labels("intake.person", ["given_name", "organisation_id"]) == ["Given name", "Registered by"]


def test_the_people_tables_are_still_the_intake_tables(db):
    tables = set(connection.introspection.table_names())
    assert {"intake_person", "intake_personkey", "intake_consent", "intake_programmerecord"} <= tables

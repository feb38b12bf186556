"""The DPO reads the audit log in words: the services' short notes in her language, object types from a list."""

import html
import re

import pytest
from django.urls import reverse

from approdi.audit.models import Action
from approdi.audit.services import record
from tests.builders import verified_client
from tests.builders.pages import open_as, options_of

pytestmark = pytest.mark.django_db


def log_rows(client, **query) -> str:
    page = html.unescape(client.get(reverse("audit:log"), query).content.decode())
    return re.sub(r"<[^>]+>", " ", page.split("<tbody>")[1].split("</tbody>")[0])


def test_notes_written_by_the_services_are_read_in_italian(network, people):
    dpo = people("dpo", at=network.lead).owner
    dpo.active_membership = dpo.memberships.get()
    record(
        actor=dpo,
        action=Action.CHANGE,
        object_type="reports.funderreport",
        object_id=4,
        reason="approved; content ab12",
    )
    record(
        actor=dpo,
        action=Action.EXPORT,
        object_type="reports.summary",
        object_id="P-1",
        reason="2024-03-01–2024-03-31 as csv",
    )
    record(actor=dpo, action=Action.CREATE, object_type="outreach.contact", object_id=7, reason="import")
    record(actor=dpo, action=Action.CHANGE, object_type="outreach.contact", object_id=8, reason="Corretto il genere")
    italian = log_rows(verified_client(dpo))
    assert "Modifica: approvato; contenuto ab12" in italian and "approved; content" not in italian
    assert "01/03/2024–31/03/2024 in formato csv" in italian and " as csv" not in italian
    assert "importato da un file" in italian
    assert "Corretto il genere" in italian  # what a person wrote stays as written
    english = log_rows(open_as(dpo, language="en"))
    assert "approved; content ab12" in english and "01/03/2024–31/03/2024 as csv" in english


def test_the_object_type_is_chosen_from_a_list_in_the_readers_language(network, people):
    dpo = people("dpo", at=network.lead).owner
    dpo.active_membership = dpo.memberships.get()
    record(actor=dpo, action=Action.VIEW, object_type="intake.person", object_id=4)
    record(actor=dpo, action=Action.VIEW, object_type="shelter.structure", object_id=5)
    italian = verified_client(dpo).get(reverse("audit:log")).content.decode()
    assert '<select name="object_type"' in italian
    assert 'value="intake.person">Persona<' in options_of(italian, "id_object_type")
    english = open_as(dpo, language="en").get(reverse("audit:log")).content.decode()
    assert 'value="intake.person">Person<' in options_of(english, "id_object_type")
    assert 'value="reports.summary">Funder summary<' in options_of(english, "id_object_type")
    only = verified_client(dpo).get(reverse("audit:log"), {"object_type": "intake.person"})
    assert {e.object_type for e in only.context["page"]} == {"intake.person"}


def test_the_search_keeps_its_days_in_the_date_picker(network, people):
    dpo = people("dpo", at=network.lead).owner
    page = open_as(dpo, language="en").get(reverse("audit:log"), {"day_from": "2026-12-05"}).content.decode()
    assert 'type="date" name="day_from" value="2026-12-05"' in page

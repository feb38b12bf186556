"""The DPO reads each audit entry in words on one line, and downloads her search as a CSV file in the same words."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.audit.services import record
from tests.builders import verified_client
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpos(network, people):
    """The lead entity's DPO (owner), a case worker of the lead (member), another partner's DPO (outsider)."""
    trio = people("dpo", at=network.lead)
    for user in (trio.owner, trio.outsider):
        user.active_membership = user.memberships.get()
    record(actor=trio.owner, action=Action.VIEW, object_type="intake.person", object_id=4)
    record(actor=trio.owner, action=Action.CHANGE, object_type="reports.funderreport", object_id=2, reason="approved")
    record(actor=trio.owner, action=Action.PERMISSION_DENIED, object_type="intake.work_queue")
    record(actor=trio.outsider, action=Action.VIEW, object_type="shelter.structure", object_id=9)
    return trio


def words_on_the_page(client, **query) -> list[str]:
    page = html.unescape(client.get(reverse("audit:log"), query).content.decode())
    return [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r'data-testid="entry-words">(.*?)</td>', page)]


def csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith('attachment; filename="approdi-audit-log-')
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_each_entry_reads_in_words_on_one_line_in_the_readers_language(dpos):
    italian = words_on_the_page(verified_client(dpos.owner))
    assert "Persona 4 · visualizzazione" in italian
    assert "Lavorare la coda dell'Ufficio Filtro · rifiuto" in italian  # a refusal names the permission refused
    english = words_on_the_page(open_as(dpos.owner, language="en"))
    assert "Person 4 · viewed" in english and "Funder report 2 · changed" in english
    assert not [line for line in italian + english if re.search(r"\b[a-z]+\.[a-z_]+\b", line)]  # no raw codes


def test_the_csv_holds_the_search_of_the_page_in_the_same_words_and_is_audited(dpos):
    client = verified_client(dpos.owner)
    page = client.get(reverse("audit:log"), {"action": "view"}).content.decode()
    assert 'href="/audit/export.csv?action=view"' in page.replace("&amp;", "&") or "export.csv?action=view" in page
    rows = csv_rows(client.get(reverse("audit:export"), {"action": "view"}))
    header, *entries = rows
    assert header[:5] == ["Data e ora", "Voce", "Utente", "Ruolo", "Azione"]
    assert [row[1] for row in entries] == words_on_the_page(client, action="view")  # the page's words, its entries
    assert {row[4] for row in entries} == {"Consultazione"}
    text = "\n".join(",".join(row) for row in entries)
    assert "intake.person" not in text and ",view," not in text and "dpo," not in ",".join(r[3] for r in entries)
    with scopes_disabled():
        exported = AuditEntry.objects.filter(action=Action.EXPORT, object_type="audit.log").get()
    assert (exported.actor_username, exported.reason) == (dpos.owner.username, f"{len(entries)} rows as csv")
    assert "Registro delle attività · esportazione" in words_on_the_page(client)
    english = csv_rows(open_as(dpos.owner, language="en").get(reverse("audit:export"), {"action": "change"}))
    assert english[0][:2] == ["When", "Entry"]
    assert [row[1] for row in english[1:]] == ["Funder report 2 · changed"] and english[1][7] == "approved"


def test_who_may_download_the_audit_log(dpos, client):
    url = reverse("audit:export")
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    assert verified_client(dpos.member).get(url).status_code == 403  # same organisation, not the DPO
    outsider = [row[1] for row in csv_rows(verified_client(dpos.outsider).get(url))[1:]]
    assert outsider == ["Struttura 9 · visualizzazione"]  # another partner's DPO: her organisation's entries only
    owner = [row[1] for row in csv_rows(verified_client(dpos.owner).get(url))[1:]]
    assert "Persona 4 · visualizzazione" in owner and "Struttura 9 · visualizzazione" in owner

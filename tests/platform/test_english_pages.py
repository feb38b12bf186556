"""Every page of the route list, read in English, has no Italian left in it.

The words below are Italian words of the interface that never occur in correct English (nor in the test world's
data): one of them on an English page is a label that escaped translation. The route list is the one the
permission walk keeps complete (test_every_route.py): a new page is read here too.
"""

import re

import pytest
from django.urls import reverse

from tests.builders.pages import open_as
from tests.platform.test_every_route import COLLECTION_ROUTES, OBJECT_ROUTES, POST_ONLY, records

pytestmark = pytest.mark.django_db

SENTINELS = (
    "Nuova",
    "Nuovo",
    "Salva",
    "Annulla",
    "Indietro",
    "Cerca",
    "giorni",
    "Strutture",
    "Persona",
    "Uscita",
    "Contatti",
    "Registra",
    "Scarica",
    "Nessun",
    "Nessuna",
    "Oggi",
    "Area emersione",
    "Area accoglienza",
    "Germania",
    "Marocco",
)
FOUND = re.compile(r"\b(" + "|".join(SENTINELS) + r")\b")
ROLES = ("coordinator", "filtro", "outreach", "shelter", "case_worker", "legal", "admin", "dpo")


def italian_left(page: str) -> list[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Italian quoted on purpose and marked so (the public site's editors see the Italian beside each translation)
    text = re.sub(r"<(\w+)\b[^>]*\blang=\"it\"[^>]*>.*?</\1>", " ", text, flags=re.S)
    return sorted({f"{m.group(0)} …{text[max(0, m.start() - 60) : m.end() + 20]}…" for m in FOUND.finditer(text)})


@pytest.mark.parametrize("name", sorted(COLLECTION_ROUTES))
def test_every_page_reads_in_english(name, network, make_user):
    url = reverse(name, kwargs=COLLECTION_ROUTES[name])
    read = 0
    for role in ROLES:
        home = network.lead if role in ("coordinator", "filtro", "dpo", "admin") else network.partner
        user = make_user(f"{role}-reader", home, role, network.programme)
        answer = open_as(user, language="en").get(url)
        if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
            continue
        read += 1
        assert not italian_left(answer.content.decode()), (name, role, italian_left(answer.content.decode()))
    assert read or name in NOT_A_PAGE, f"{name}: no role opened it"


# Routes that answer every role with a file, a redirect, a form's step or a refusal: no page of their own to read.
NOT_A_PAGE = {
    "outreach:service_worker",  # the offline app's script and manifest, and its queue's JSON door
    "outreach:manifest",
    "outreach_sync",
    "outreach:offline_key",  # the offline app's key (JSON)
    "audit:export",
    "audit:processing_record_pdf",
    "oncall:roster_ical",
    "oncall:shift_remove",
    "public_texts:desk_remove",
    "public_texts:desk_edit",  # a desk of the test world: read in English by tests/public/test_desks.py
    "accounts:switch",
    "accounts:two_factor",
    "outreach:person_code",
    "reports:drilldown",
    "reports:job_create",
    "accounts:logout",
    "accounts:logout_everywhere",
    "accounts:revoke_token",
    "accounts:notice_emails",
    "accounts:notice_read",
    "accounts:deactivate",
    "accounts:add_role",
    "accounts:grant_approve",
    "accounts:grant_reject",
    "cases:continue_case",  # POST only: continues one case, back to the list
    "network:change_co_funding",
    "network:remove_co_funding",
    "outreach:import_template",
    "outreach:export",
    "intake:records_export",
    "cases:document_purge",
    "access:erasure_decide",
    "directory:export_csv",
    "directory:export_vcard",
    "training:export_csv",
}


@pytest.mark.parametrize("name", sorted(set(OBJECT_ROUTES) - POST_ONLY))
def test_every_record_page_reads_in_english(name, network, people):
    role, home, kwargs_of = OBJECT_ROUTES[name]
    owner = people(role, at=network.lead if home == "lead" else network.partner).owner
    answer = open_as(owner, language="en").get(reverse(name, kwargs=kwargs_of(records(network, owner))))
    assert answer.status_code == 200, (name, answer.status_code)
    if answer["Content-Type"].startswith("text/html"):
        assert not italian_left(answer.content.decode()), (name, italian_left(answer.content.decode()))

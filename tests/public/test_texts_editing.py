"""The coordinators edit the public site's texts per language; a change of the Italian flags its translations."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.public.languages import CODES
from approdi.public.models import PublicText
from tests.builders import verified_client
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def texts_of(language: str, **changes) -> dict:
    current = dict(PublicText.objects.filter(language=language).values_list("key", "text"))
    return {**current, **changes}


@pytest.fixture
def editors(people, network):
    """owner: the lead entity's coordinator; member: the Filtro at the lead; outsider: a partner's coordinator."""
    trio = people("coordinator", at=network.lead)
    return trio


def test_only_the_lead_entitys_coordinators_edit_the_texts(editors, make_user, network):
    filtro = make_user("filtro-lead", network.lead, "filtro", network.programme)
    for url in (reverse("public_texts:languages"), reverse("public_texts:edit", args=["fr"])):
        assert verified_client(editors.owner).get(url).status_code == 200
        assert verified_client(editors.member).get(url).status_code == 403  # same organisation, another role
        assert verified_client(filtro).get(url).status_code == 403
        assert verified_client(editors.outsider).get(url).status_code == 403  # a partner's coordinator
        assert Client().get(url).status_code == 302  # to the sign-in
    refused = verified_client(editors.outsider).post(
        reverse("public_texts:edit", args=["it"]), texts_of("it", title="Pagina rubata")
    )
    assert refused.status_code == 403
    assert PublicText.objects.get(language="it", key="title").text != "Pagina rubata"


def test_a_change_of_the_italian_flags_every_translation_of_that_text_until_reviewed(editors):
    client = open_as(editors.owner)
    languages = client.get(reverse("public_texts:languages")).content.decode()
    assert "needs review" not in languages and "Up to date" in languages

    response = client.post(reverse("public_texts:edit", args=["it"]), texts_of("it", title="Aiuto e protezione"))
    assert response.status_code == 302
    assert "Aiuto e protezione" in Client().get("/help/it/").content.decode()  # on the public page at once
    languages = client.get(reverse("public_texts:languages")).content.decode()
    assert languages.count("1 text needs review") == len(CODES) - 1  # every translation of the title

    french = client.get(reverse("public_texts:edit", args=["fr"])).content.decode()
    assert french.count("needs review") >= 1 and "Aiuto e protezione" in french  # the Italian beside it
    client.post(reverse("public_texts:edit", args=["fr"]), texts_of("fr", title="Aide et protection"))
    assert "Aide et protection" in Client().get("/help/fr/").content.decode()
    states = client.get(reverse("public_texts:languages")).content.decode()
    assert states.count("1 text needs review") == 10  # French is reviewed; the other ten are not

    client.post(reverse("public_texts:edit", args=["ro"]), {**texts_of("ro"), "reviewed": "on"})
    assert client.get(reverse("public_texts:languages")).content.decode().count("1 text needs review") == 9
    italian_title = PublicText.objects.get(language="it", key="title")
    with scopes_disabled():
        entry = AuditEntry.objects.get(object_type="public.publictext", object_id=str(italian_title.pk))
    assert (entry.action, entry.actor, entry.fields) == ("change", editors.owner, ["revision", "text"])


def test_an_empty_or_too_long_text_is_refused(editors):
    client = open_as(editors.owner)
    response = client.post(reverse("public_texts:edit", args=["en"]), texts_of("en", title="", intro="x" * 1501))
    assert response.status_code == 200
    assert PublicText.objects.get(language="en", key="title").text == "Help against trafficking and exploitation"

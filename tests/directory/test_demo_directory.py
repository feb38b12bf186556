"""The demo network has a directory (a dozen bodies, area referents and the Ufficio Filtro on the home page) and its
two protocols, the Commissione Territoriale's due for renewal on the coordinators' home page; loading twice adds
nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.directory.models import Body, Protocol, ProtocolDocument
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_directory_and_its_protocols(settings):
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    with scopes_disabled():
        assert Body.objects.count() == 13 + 3 + 5  # and the city desks, in the running edition and LAB-2024
        protocols = list(Protocol.objects.order_by("valid_until"))
        assert len(protocols) == 2 and ProtocolDocument.objects.count() == 2
        assert all(bytes(d.content).startswith(b"%PDF-") for d in ProtocolDocument.objects.all())
    coordinator = User.objects.get(username="coordinatrice")
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    home = client.get(reverse("core:home")).content.decode()
    assert "Protocollo d&#x27;intesa art. 10" in home or "Protocollo d'intesa art. 10" in home
    assert "Area referent · Milano e Città Metropolitana" in home and "ufficiofiltro@approdi.invalid" in home
    street = verified_client(User.objects.get(username="strada"))
    assert "ufficiofiltro@approdi.invalid" in street.get(reverse("core:home")).content.decode()
    page = client.get(reverse("directory:body_list")).content.decode()
    assert "CPIA 5 Milano" in page and "Commissione Territoriale" in page

"""An outing's notes tell where and whom the unit met: stored only as ciphertext, read back whole by the API."""

import pytest
from django.db import connection

from approdi.outreach.models import Material

from .test_api import Api, outing_body

pytestmark = pytest.mark.django_db

NOTES = "Ragazza nigeriana molto giovane sotto il ponte di via Tertulliano"


def test_outing_notes_are_ciphertext_in_the_database_and_plain_in_the_api(people):
    Material.objects.create(code="condoms", name="Condoms")
    Material.objects.create(code="leaflet-en", name="Leaflet (English)")
    api = Api(people("outreach").owner)
    created = api.post("/api/v1/outings", outing_body(notes=NOTES))
    assert created.status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM outreach_outing")
        stored = repr(cursor.fetchall())
    assert "gAAAAA" in stored and "Tertulliano" not in stored
    assert api.get(f"/api/v1/outings/{created.json()['id']}").json()["notes"] == NOTES

"""Referrals land with the Ufficio Filtro; the referring organisation sees the outcome, nothing more."""

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.outreach.models import Referral
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
REFERRAL = {
    "date": "2024-05-02",
    "source_type": "cas",
    "referring_body": "CAS Via Corelli",
    "urgency": "priority",
    "given_name": "Blessing",
    "family_name": "Okafor",
    "birth_date": "1999-04-01",
    "phone": "+39 333 000 0000",
    "gender": "woman",
    "nationality": "NG",
    "exploitation": "sexual",
    "consent_to_share": "on",
    "notes": "Teme ritorsioni sulla famiglia.",
}


def test_outreach_refers_and_the_filtro_sees_it_in_full(network, people, make_user):
    trio = people("outreach")
    response = verified_client(trio.owner).post(reverse("outreach:referral_create"), REFERRAL)
    assert response.status_code == 302
    with scopes_disabled():
        referral = Referral.objects.get()
    assert referral.status == "new" and referral.organisation == network.partner
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    queue = verified_client(filtro).get(reverse("outreach:referral_list")).content.decode()
    assert "CAS" in queue
    detail = verified_client(filtro).get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "Blessing Okafor" in detail and "Teme ritorsioni" in detail
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="view", object_type="outreach.referral", actor=filtro).exists()


def test_identity_is_encrypted_at_rest(network, people):
    verified_client(people("outreach").owner).post(reverse("outreach:referral_create"), REFERRAL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM outreach_referral")
        raw = repr(cursor.fetchall())
    assert "Blessing" not in raw and "Okafor" not in raw and "1999-04-01" not in raw and "ritorsioni" not in raw


def test_the_referring_organisation_sees_status_not_identity(network, people):
    trio = people("outreach")
    verified_client(trio.owner).post(reverse("outreach:referral_create"), REFERRAL)
    with scopes_disabled():
        referral = Referral.objects.get()
    page = verified_client(trio.owner).get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "Blessing" not in page and "333" not in page and "ritorsioni" not in page
    assert 'data-testid="status"' in page


def test_another_organisation_cannot_see_it(network, people):
    trio = people("outreach")
    verified_client(trio.owner).post(reverse("outreach:referral_create"), REFERRAL)
    with scopes_disabled():
        referral = Referral.objects.get()
    outsider = verified_client(trio.outsider)
    assert outsider.get(reverse("outreach:referral_detail", args=[referral.pk])).status_code == 404
    assert "CAS" not in outsider.get(reverse("outreach:referral_list")).content.decode()


def test_member_without_a_frontline_role_cannot_refer(network, people):
    trio = people("coordinator")
    assert verified_client(trio.owner).post(reverse("outreach:referral_create"), REFERRAL).status_code == 403
    with scopes_disabled():
        assert not Referral.objects.exists()


def test_bad_referral_is_refused_with_translated_errors(network, people):
    client = verified_client(people("outreach").owner)
    response = client.post(
        reverse("outreach:referral_create"),
        REFERRAL | {"date": "2999-01-01", "source_type": "friend", "nationality": "XX"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date", "source_type", "nationality"}
    assert "La data non può essere nel futuro." in errors["date"]
    with scopes_disabled():
        assert not Referral.objects.exists()


def test_labour_desk_records_the_employment_sector(network, people):
    client = verified_client(people("outreach").owner)
    client.post(
        reverse("outreach:referral_create"),
        REFERRAL | {"exploitation": "labour", "sector": "logistics", "target_group": "foreign_irregular"},
    )
    with scopes_disabled():
        assert Referral.objects.values_list("sector", "target_group").get() == ("logistics", "foreign_irregular")


def test_the_form_preselects_no_source_and_no_urgency(network, people):
    page = verified_client(people("outreach").owner).get(reverse("outreach:referral_create"))
    form = page.context["form"]
    for name in ("source_type", "urgency"):
        assert form[name].value() in (None, "") and form.fields[name].choices[0][0] == "", name
        assert 'value="" selected' in str(form[name]), name


def test_an_empty_referral_is_refused_and_counts_nobody(network, people):
    from datetime import date

    from approdi.outreach.figures import persons_referred_by_bodies

    client = verified_client(people("outreach").owner)
    empty = client.post(reverse("outreach:referral_create"), {"date": "2024-05-02"})
    assert empty.status_code == 200
    assert set(empty.context["form"].errors) == {"source_type", "urgency", "__all__"}  # and neither who nor why
    nobody = client.post(
        reverse("outreach:referral_create"), {"date": "2024-05-02", "source_type": "cas", "urgency": "routine"}
    )
    assert nobody.status_code == 200 and nobody.context["form"].non_field_errors()
    with scopes_disabled():
        assert not Referral.objects.exists()
        assert persons_referred_by_bodies(Referral.objects.all(), start=date(2024, 1, 1), end=date(2024, 12, 31)) == 0
    why = client.post(
        reverse("outreach:referral_create"),
        {"date": "2024-05-02", "source_type": "cas", "urgency": "routine", "notes": "Ha chiesto aiuto allo sportello"},
    )
    assert why.status_code == 302

"""A screening starts with no conclusion: the operator chooses one, the form, API and service insist."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.intake import services
from approdi.intake.models import Screening
from tests.builders import acting, registered_person, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(network, filtro):
    return registered_person(network, code="AP-SCREE-NING1", created_by=filtro)


def test_the_form_offers_no_conclusion_and_refuses_none(filtro, person, indicators):
    client = verified_client(filtro)
    url = reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual"
    field = client.get(url).context["form"]["conclusion"]
    assert field.value() in (None, "") and field.field.choices[0][0] == ""
    assert 'value="" selected' in str(field)
    response = client.post(url, {"notes": "Nessun indicatore"})  # zero indicators, no conclusion chosen
    assert response.status_code == 200 and response.context["form"].errors["conclusion"]
    with scopes_disabled():
        assert not Screening.objects.exists()


def test_the_api_and_the_service_need_an_explicit_conclusion(filtro, person, indicators):
    _, key = issue_token(user=filtro)
    answer = Client().post(
        f"/api/v1/persons/{person.pk}/screenings",
        {"programme": "P-1", "list": "adult_sexual", "indicators": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 422 and "conclusion" in answer.json()["error"]["fields"]
    with acting(filtro), pytest.raises(ValidationError):
        services.screen(actor=filtro, person=person, list_code="adult_sexual", refs=[], conclusion="")
    with scopes_disabled():
        assert not Screening.objects.exists()

"""The duplicate check finds a person by one of her aliases searched as it is, even a one-word one."""

from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.intake import services
from approdi.people.identity import whole_name_key
from approdi.people.models import Person, PersonKey
from tests.builders import acting, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def blessing(filtro):
    with acting(filtro):
        return services.register_person(
            actor=filtro,
            code="AP-ALIAS-ALIA1",
            given_name="Blessing",
            family_name="Okafor",
            birth_date=date(1999, 4, 1),
            aliases="Mercy\nJoy Edosa",
            gender="woman",
        )


def search(client, **identity):
    response = client.post(reverse("intake:person_create"), {"gender": "woman", **identity})
    return {m.person.code: m.reasons for m in response.context["candidates"]}


def test_a_one_word_alias_searched_alone_is_found(filtro, blessing):
    assert search(verified_client(filtro), given_name="Mercy") == {blessing.code: ["same_name"]}
    with scopes_disabled():
        assert Person.objects.count() == 1  # the form waits for a confirmation


def test_an_alias_and_the_birth_date_are_as_strong_as_the_name_and_birth_date(filtro, blessing):
    found = search(verified_client(filtro), given_name="Edosa", family_name="Joy", birth_date="1999-04-01")
    assert "name_and_birth_date" in found[blessing.code]


def test_the_api_finds_her_by_alias_too(filtro, blessing):
    _, key = issue_token(user=filtro)
    answer = Client().post(
        "/api/v1/persons/duplicates",
        {"programme": "P-1", "given_name": "MERCY"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert [(m["code"], m["reasons"]) for m in answer.json()] == [(blessing.code, ["same_name"])]


def test_people_recorded_before_get_their_whole_name_keys(filtro, blessing):
    with scopes_disabled():
        PersonKey.objects.filter(key__in=[whole_name_key("Mercy"), whole_name_key("Joy Edosa")]).delete()
    assert search(verified_client(filtro), given_name="Mercy") == {}
    # The models as that migration saw them (Person was intake's then; it is people's now).
    apps = MigrationLoader(connection).project_state(("intake", "0005_whole_name_keys")).apps
    import_module("approdi.intake.migrations.0005_whole_name_keys").add_whole_name_keys(apps, None)
    assert search(verified_client(filtro), given_name="Mercy") == {blessing.code: ["same_name"]}


def test_a_code_of_punctuation_only_is_a_form_error_and_records_nobody(filtro):
    response = verified_client(filtro).post(reverse("intake:person_create"), {"gender": "woman", "code": "--"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    with scopes_disabled():
        assert Person.objects.count() == 0

"""The directory holds contact data of professionals and offices: no field can hold or point to a person the
network serves (no relation to approdi.people, no encrypted identity), and its pages show no person's data."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db

PEOPLES_APPS = {"people", "intake", "cases", "outreach", "shelter"}


def test_no_model_of_the_directory_relates_to_a_person_or_a_case():
    for model in apps.get_app_config("directory").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None:
                continue
            assert related._meta.app_label not in PEOPLES_APPS, (model.__name__, field.name, related)


def test_no_model_of_the_directory_stores_an_encrypted_identity():
    for model in apps.get_app_config("directory").get_models():
        for field in model._meta.concrete_fields:
            assert "crypto" not in type(field).__module__, (model.__name__, field.name)
            assert field.name not in ("person", "person_code", "given_name", "family_name", "birth_date")


def test_the_users_a_protocol_names_are_members_following_obligations_only():
    from approdi.directory.models import Obligation

    users = [f for m in apps.get_app_config("directory").get_models() for f in m._meta.fields if f.is_relation]
    followers = [f for f in users if f.related_model._meta.label == "accounts.User"]
    assert {(f.model, f.name) for f in followers} >= {(Obligation, "followed_by")}

"""The duplicate check finds a person whose family name was typed with one letter wrong, decrypting nobody."""

from datetime import date
from importlib import import_module
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_scopes import scopes_disabled

from approdi.intake import selectors, services
from approdi.people.identity import family_typo_keys
from approdi.people.models import PersonKey
from tests.builders import acting

pytestmark = pytest.mark.django_db


@pytest.fixture
def chiamaka(filtro):
    with acting(filtro):
        return services.register_person(
            actor=filtro,
            code="AP-TYPOS-TYPO1",
            given_name="Chiamaka",
            family_name="Okonkwo",
            birth_date=date(1998, 3, 12),
            gender="woman",
        )


def search(filtro, **identity) -> dict[str, list[str]]:
    with acting(filtro), mock.patch("approdi.core.crypto.decrypt", side_effect=AssertionError("decrypted")):
        return {m.person.code: m.reasons for m in selectors.duplicates(actor=filtro, **identity)}


@pytest.mark.parametrize("typed", ["Okonkso", "Okomkwo", "Okonkewo", "Okokwo"])  # changed twice, added, dropped
def test_one_letter_wrong_in_the_family_name_finds_her_without_the_birth_date(filtro, chiamaka, typed):
    assert search(filtro, given_name="Chiamaka", family_name=typed) == {chiamaka.code: ["similar_names"]}


def test_two_letters_wrong_and_no_birth_date_is_nobody(filtro, chiamaka):
    assert search(filtro, given_name="Chiamaka", family_name="Okobksa") == {}


def test_a_typo_key_counts_once_with_the_name_it_stands_for(filtro, chiamaka):
    """The family name matched exactly also matches its own typo keys: still one name shared, not two."""
    assert search(filtro, given_name="Ngozi", family_name="Okonkwo") == {}


def test_people_recorded_before_get_their_typo_keys(filtro, chiamaka):
    with scopes_disabled():
        PersonKey.objects.filter(key__in=family_typo_keys("Okonkwo")).delete()
    assert search(filtro, given_name="Chiamaka", family_name="Okonkso") == {}
    apps = MigrationLoader(connection).project_state(("people", "0002_typo_keys_and_search_indexes")).apps
    import_module("approdi.people.migrations.0002_typo_keys_and_search_indexes").add_family_typo_keys(apps, None)
    assert search(filtro, given_name="Chiamaka", family_name="Okonkso") == {chiamaka.code: ["similar_names"]}

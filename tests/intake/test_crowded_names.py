"""A given name held by many: the duplicate check reads its holders only for the people found otherwise.

``selectors.CROWDED`` is lowered so that a few dozen people make a crowd; with the real threshold (500) the same path
serves the commonest given names of a national network.
"""

from datetime import date, timedelta
from itertools import product
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approdi.intake import selectors, services
from approdi.people.identity import token_keys, tokens, typo_keys
from tests.builders import acting

pytestmark = pytest.mark.django_db

BORN = date(1998, 3, 12)
# Family names two letters apart or more from each other: no typo key or skeleton shared between two of them.
SYLLABLES = (("ba", "de", "ki", "lo", "mu"), ("fa", "gi", "po", "ru", "se"), ("ta", "ve", "zi", "no", "su"))
FAMILIES = ["".join(s).capitalize() for s in product(*SYLLABLES)]


class Registry:
    def __init__(self, filtro):
        self.filtro, self.count = filtro, 0

    def add(self, given_name: str, family_name: str, birth_date: date, aliases: str = "") -> str:
        self.count += 1
        with acting(self.filtro):
            return services.register_person(
                actor=self.filtro,
                code=f"AP-CROWD-{self.count:05d}",
                given_name=given_name,
                family_name=family_name,
                birth_date=birth_date,
                aliases=aliases,
                gender="woman",
            ).code

    def crowd(self, holders: int) -> None:
        """``holders`` more people named Blessing, a few born on her day, a few with her family name's neighbours."""
        for _ in range(holders):
            n = self.count
            birth = BORN if n % 7 == 0 else BORN - timedelta(days=40 + n)
            aliases = "Blessing Okonkwo" if n % 11 == 0 else ""
            self.add("Blessing", FAMILIES[n % len(FAMILIES)], birth, aliases)


def search(filtro, queries: list | None = None, **identity) -> list[tuple[str, list[str], int]]:
    decrypt = mock.patch("approdi.core.crypto.decrypt", side_effect=AssertionError("decrypted"))
    with acting(filtro), decrypt, CaptureQueriesContext(connection) as captured:
        found = [(m.person.code, m.reasons, m.score) for m in selectors.duplicates(actor=filtro, **identity)]
    if queries is not None:
        queries.extend(q["sql"] for q in captured.captured_queries)
    return found


QUERIES = [
    {"given_name": "Blessing", "family_name": "Okonkso", "birth_date": BORN},  # a consonant wrong
    {"given_name": "Blessing", "family_name": "Okonkso"},  # and no birth date
    {"given_name": "Blessing", "family_name": "Okonkwo", "birth_date": BORN},  # exact
    {"given_name": "Blessing", "birth_date": BORN},  # the common name alone: only the people born that day
    {"given_name": "Blessing"},  # nobody: one name shared is no candidate
    {"given_name": "Blesing", "family_name": "Okonkwo", "birth_date": BORN - timedelta(days=1)},
    {"given_name": "Okonkwo", "family_name": "Blessing"},  # swapped
    {"given_name": "Blessing", "family_name": FAMILIES[3], "aliases": "Ada Okonkwo"},
]


@pytest.fixture
def registry(filtro):
    registry = Registry(filtro)
    registry.add("Ngozi", "Okonkwo", BORN - timedelta(days=400))  # her family name, another given name
    registry.add("Chiamaka", "Okonkwa", BORN)  # a neighbour of her family name, born the same day
    return registry


def test_the_commonest_given_name_is_set_aside_for_the_people_found_otherwise(filtro, registry):
    registry.crowd(12)
    with acting(filtro), mock.patch.object(selectors, "CROWDED", 3):
        keys = {key: n for n, token in enumerate(tokens("Blessing", "Okonkso")) for key in typo_keys(token)}
        keys |= {key: n for n, token in enumerate(tokens("Blessing", "Okonkso")) for key in token_keys(token)}
        crowded = selectors._crowded_token_keys(keys)
    assert crowded and {keys[key] for key in crowded} == {0}  # Blessing's keys, not Okonkso's


def test_she_comes_first_among_the_holders_of_her_given_name_in_as_many_queries(filtro, registry):
    target = registry.add("Blessing", "Okonkwo", BORN)
    counts = []
    for holders in (12, 36):
        registry.crowd(holders)
        with mock.patch.object(selectors, "CROWDED", 3):
            born, unborn = [], []
            found = search(filtro, born, given_name="Blessing", family_name="Okonkso", birth_date=BORN)
            assert found[0] == (target, ["similar_names"], 25)  # two names and the birth date
            assert {score for _code, _reasons, score in found[1:]} == {15}  # Blessing born that day: after her
            found = search(filtro, unborn, given_name="Blessing", family_name="Okonkso")
            assert found == [(target, ["similar_names"], 20)]
        counts.append((len(born), len(unborn)))
    # The same name, the same whole name, the crowded keys, the shared keys, the people (no exact name: no birth date).
    assert counts == [(5, 4), (5, 4)]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_setting_the_crowded_name_aside_changes_no_candidate_no_score_and_no_order(filtro, registry, query):
    registry.add("Blessing", "Okonkwo", BORN)
    registry.add("Ada", "Okonkwo", BORN - timedelta(days=3), aliases="Blessing Edosa")
    registry.crowd(40)
    with mock.patch.object(selectors, "CROWDED", 10**9):
        everyone_counted = search(filtro, limit=50, **query)
    with mock.patch.object(selectors, "CROWDED", 3):
        crowded_aside = search(filtro, limit=50, **query)
    assert crowded_aside == everyone_counted

"""The person code computed offline: the phone's part, finished by the server, is the code computed online.

docs/person-code.md ("Offline: the phone's part and the server's key"): the phone builds the message from the
facts as the document says; the server checks it and keys it (``finish_code``). For any facts, that equals
``code_from_facts`` on the same facts; and the server finishes nothing a phone could not have built.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approdi.core.crypto import normalise
from approdi.people.codes import Gender
from approdi.people.person_code import NotEnoughFacts, code_from_facts, finish_code, phone_part
from tests.people.test_person_code import TEST_KEY, spelled

# Names as operators type them, including letters no ASCII keyboard has and scripts that are not Latin.
name_letters = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzàéïøßđłæœçñ") + ["о", "л", "е", "н", "а"])
names = st.lists(name_letters, min_size=1, max_size=12).map("".join)
mothers = st.one_of(st.just(""), names)
years = st.integers(min_value=1900, max_value=2100)
nationalities = st.sampled_from(["NG", "RO", "AL", "MA", "CN", "CI", "GH", "BG", "PK", "BD", "BR", "PE", "UA", "IT"])
genders = st.sampled_from(Gender.values)
nicknames = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé -'.", min_size=1, max_size=30).filter(lambda v: normalise(v))


@pytest.fixture(autouse=True)
def _fixed_index_key(settings):
    settings.APPRODI_INDEX_KEY = TEST_KEY


def documented_part(*, given_name, family_name, mother_name, birth_year, nationality, gender) -> str:
    """The phone's part built as docs/person-code.md says, step by step (the app's code follows the same steps)."""

    def letters(name: str) -> str:
        return "".join(ch for ch in normalise(name) if ch.isalpha())[:2]

    first, second = sorted([letters(given_name), letters(family_name)])
    mother = letters(mother_name) or "-"
    return f"v2|facts|{first}|{second}|{mother}|{birth_year}|{nationality.strip().upper()}|{gender.strip().lower()}"


@given(names, names, mothers, years, nationalities, genders, st.data())
def test_the_phones_part_finished_by_the_server_is_the_online_code(
    given_name, family_name, mother_name, year, nationality, gender, data
):
    facts = {
        "given_name": data.draw(spelled(given_name)),
        "family_name": data.draw(spelled(family_name)),
        "mother_name": mother_name,
        "birth_year": year,
        "nationality": nationality,
        "gender": gender,
    }
    online = code_from_facts(**facts)
    part = documented_part(**facts)
    assert phone_part(**facts) == part
    assert finish_code(part) == online


@given(nicknames, nationalities)
def test_a_nickname_part_finished_by_the_server_is_the_online_code(nickname, nationality):
    part = f"v1|nick|{normalise(nickname)}|{nationality}"
    assert phone_part(nickname=nickname, nationality=nationality) == part
    assert finish_code(part) == code_from_facts(nickname=nickname, nationality=nationality)


@given(names, names, years, nationalities, genders)
def test_the_server_finishes_only_what_a_phone_could_have_built(given_name, family_name, year, nationality, gender):
    part = phone_part(
        given_name=given_name, family_name=family_name, birth_year=year, nationality=nationality, gender=gender
    )
    _v, _route, first, second, mother, year_part, country, sex = part.split("|")
    forged = [
        f"v2|facts|{second}|{first}|{mother}|{year_part}|{country}|{sex}" if first != second else None,  # unsorted
        f"v2|facts|{first.upper()}|{second}|{mother}|{year_part}|{country}|{sex}",  # not normalised
        f"v2|facts|{first}xy|{second}|{mother}|{year_part}|{country}|{sex}",  # more than two letters
        f"v2|facts|{first}|{second}|{mother}|1899|{country}|{sex}",  # a year out of range
        f"v2|facts|{first}|{second}|{mother}|{year_part}|XX|{sex}",  # not a country
        f"v2|facts|{first}|{second}|{mother}|{year_part}|{country}|female",  # not a gender of the contract
        f"v1|facts|{first}|{second}|{year_part}|{country}|{sex}",  # the retired scheme
        f"v1|ref|{first}{second}",  # the identifier route: the server maps identifiers itself
        part + "|",
        " " + part,
    ]
    for message in filter(None, forged):
        with pytest.raises(NotEnoughFacts):
            finish_code(message)


def test_a_part_too_long_or_empty_is_refused():
    for message in ["", "v1|nick|" + "a" * 300 + "|NG", "v1|nick| |NG", "AP-AAAAA-AAAAA"]:
        with pytest.raises(NotEnoughFacts):
            finish_code(message)

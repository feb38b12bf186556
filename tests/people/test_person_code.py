"""Properties of the pseudonymous person code (approdi/people/person_code.py, docs/person-code.md).

The code must recognise the same person across spellings a street unit really writes down, tell
different facts apart, depend on the server key, and never change for a given key and facts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string

import pytest
from hypothesis import HealthCheck, assume, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from approdi.core.crypto import normalise
from approdi.people.codes import Gender
from approdi.people.person_code import CODE_PATTERN, NotEnoughFacts, code_from_facts, code_from_identifier, is_code

TEST_KEY = "test-index-key-for-person-codes-0123456789"
BASE32 = set(string.ascii_uppercase + "234567")


@pytest.fixture(autouse=True)
def _fixed_index_key(settings):
    """Every test below runs under one known key (not the embedded one in var/secrets/)."""
    settings.APPRODI_INDEX_KEY = TEST_KEY


# --- strategies -----------------------------------------------------------------------------------

# Precomposed accented forms of each letter that decompose (NFKD) to the letter plus combining marks.
ACCENTED = {
    "a": "àáâãäåāăą",
    "c": "çćĉċč",
    "e": "èéêëēĕėęě",
    "g": "ĝğġģ",
    "i": "ìíîïĩīĭį",
    "n": "ñńņňǹ",
    "o": "òóôõöōŏő",
    "s": "śŝşšș",
    "t": "ţťț",
    "u": "ùúûüũūŭůűų",
    "y": "ýÿŷ",
    "z": "źżž",
}
# grave, acute, circumflex, tilde, diaeresis, ring, caron, cedilla
COMBINING = "\u0300\u0301\u0302\u0303\u0308\u030a\u030c\u0327"
PUNCTUATION = "-'.,’`_/()"

names = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=14)
years = st.integers(min_value=1930, max_value=2012)
nationalities = st.sampled_from(["NG", "RO", "AL", "MA", "CN", "CI", "GH", "BG", "PK", "BD", "BR", "PE", "UA", "IT"])
genders = st.sampled_from(Gender.values)


@st.composite
def spelled(draw, name: str) -> str:
    """The same name as a hurried operator types it: case, accents, stray spaces and punctuation."""
    out = []
    for letter in name:
        choice = draw(st.integers(0, 3))
        if choice == 1 and letter in ACCENTED:
            letter = draw(st.sampled_from(ACCENTED[letter]))
        elif choice == 2:
            letter += draw(st.sampled_from(COMBINING))
        if draw(st.booleans()):
            letter = letter.upper()
        if draw(st.integers(0, 9)) == 0:
            letter = draw(st.sampled_from(PUNCTUATION + "  ")) + letter
        out.append(letter)
    before = draw(st.text(alphabet=" \t" + PUNCTUATION, max_size=3))
    after = draw(st.text(alphabet=" \t" + PUNCTUATION, max_size=3))
    return before + "".join(out) + after


@st.composite
def recoded(draw, code: str) -> str:
    """A code as typed: any case, spaces around."""
    cased = "".join(ch.lower() if draw(st.booleans()) else ch for ch in code)
    return draw(st.sampled_from(["", " ", "  "])) + cased + draw(st.sampled_from(["", " ", "\t"]))


def facts(given_name, family_name, birth_year, nationality, gender):
    return code_from_facts(
        given_name=given_name,
        family_name=family_name,
        birth_year=birth_year,
        nationality=nationality,
        gender=gender,
    )


# --- same facts, same code --------------------------------------------------------------------------


@given(names, names, years, nationalities, genders, st.data())
def test_spelling_does_not_change_the_code(given_name, family_name, year, nationality, gender, data):
    reference = facts(given_name, family_name, year, nationality, gender)
    given_as_typed, family_as_typed = data.draw(spelled(given_name)), data.draw(spelled(family_name))
    nationality_as_typed = data.draw(st.sampled_from([nationality, nationality.lower(), f" {nationality.lower()} "]))
    gender_as_typed = data.draw(st.sampled_from([gender, gender.upper(), f" {gender} "]))
    assert facts(given_as_typed, family_as_typed, year, nationality_as_typed, gender_as_typed) == reference


@given(names, names, years, nationalities, genders, st.data())
def test_order_of_the_names_does_not_change_the_code(given_name, family_name, year, nationality, gender, data):
    reference = facts(given_name, family_name, year, nationality, gender)
    swapped = facts(data.draw(spelled(family_name)), data.draw(spelled(given_name)), year, nationality, gender)
    assert swapped == reference


@given(names, names, names, names, years, nationalities, genders)
def test_only_the_first_two_letters_of_each_name_count(
    given_name, family_name, tail_1, tail_2, year, nationality, gender
):
    """Transliteration after the second letter (Chiamaka/Chiamaca, Blessing/Blesing) keeps the code."""
    reference = facts(given_name, family_name, year, nationality, gender)
    assert facts(given_name[:2] + tail_1, family_name[:2] + tail_2, year, nationality, gender) == reference


def test_documented_examples():
    woman = {"birth_year": 1998, "nationality": "NG", "gender": "woman"}
    assert code_from_facts(given_name="Blessing", family_name="Okafor", **woman) == code_from_facts(
        given_name="Okafor", family_name="Blessing", **woman
    )
    assert code_from_facts(given_name="Chiamaka", family_name="Eze", **woman) == code_from_facts(
        given_name="Chiamaca", family_name="EZE", **woman
    )
    romanian = {"birth_year": 2001, "gender": "woman"}
    assert code_from_facts(given_name="Ștefania", family_name="Popescu", nationality="RO", **romanian) == (
        code_from_facts(given_name="STEFANIA", family_name="popescu", nationality="ro", **romanian)
    )
    reference = code_from_facts(given_name="Chiamaka", family_name="Okonkwo", **woman)
    for given_name, family_name in [("  CHIAMAKA ", "Okónkwo"), ("chi-amaka", "O'KONKWO"), ("Chïâmaka.", " okonkwo  ")]:
        assert (
            code_from_facts(
                given_name=given_name, family_name=family_name, birth_year=1998, nationality=" ng ", gender="Woman"
            )
            == reference
        )


# --- different facts, different code ------------------------------------------------------------------


def _pairs(given_name: str, family_name: str) -> list[str]:
    return sorted([given_name[:2], family_name[:2]])


@given(
    st.tuples(names, names, years, nationalities, genders),
    st.tuples(names, names, years, nationalities, genders),
)
def test_different_facts_give_different_codes(one, other):
    assume(_pairs(*one[:2]) != _pairs(*other[:2]) or one[2:] != other[2:])
    assert facts(*one) != facts(*other)


@given(names, names, years, nationalities, genders, st.integers(1, 30))
def test_a_different_year_gives_a_different_code(given_name, family_name, year, nationality, gender, shift):
    assert facts(given_name, family_name, year, nationality, gender) != facts(
        given_name, family_name, year + shift, nationality, gender
    )


@given(names, names, years, st.lists(nationalities, min_size=2, max_size=2, unique=True), genders)
def test_a_different_nationality_gives_a_different_code(given_name, family_name, year, two, gender):
    assert facts(given_name, family_name, year, two[0], gender) != facts(given_name, family_name, year, two[1], gender)


@given(names, names, years, nationalities, st.lists(genders, min_size=2, max_size=2, unique=True))
def test_a_different_gender_gives_a_different_code(given_name, family_name, year, nationality, two):
    first, second = (facts(given_name, family_name, year, nationality, gender) for gender in two)
    assert first != second


@given(names, names, years, nationalities, genders, st.sampled_from(string.ascii_lowercase), st.booleans())
def test_a_different_second_letter_gives_a_different_code(
    given_name, family_name, year, nationality, gender, letter, in_given
):
    """Mohamed/Muhammad: a change within the first two letters is another person for the code."""
    reference = facts(given_name, family_name, year, nationality, gender)
    reference_names = (given_name, family_name)
    if in_given:
        given_name = given_name[0] + letter + given_name[2:]
    else:
        family_name = family_name[0] + letter + family_name[2:]
    assume(_pairs(given_name, family_name) != _pairs(*reference_names))
    assert facts(given_name, family_name, year, nationality, gender) != reference


# --- format and key --------------------------------------------------------------------------------------


@given(names, names, years, nationalities, genders)
def test_the_code_has_the_documented_format(given_name, family_name, year, nationality, gender):
    code = facts(given_name, family_name, year, nationality, gender)
    assert len(code) == 14
    assert code[:3] == "AP-" and code[8] == "-"
    assert set(code[3:8] + code[9:]) <= BASE32
    assert CODE_PATTERN.match(code) and is_code(code) and is_code(code.lower())


def _expected(message: str, key: str = TEST_KEY) -> str:
    """The scheme as docs/person-code.md writes it, computed independently of the module."""
    digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()
    letters = base64.b32encode(digest).decode()[:10]
    return f"AP-{letters[:5]}-{letters[5:]}"


def test_codes_never_change_for_the_same_key():
    """Stored codes outlive releases: a change of the normalisation or of the message breaks this test."""
    assert code_from_facts(
        given_name="Okafor", family_name="Blessing", birth_year=1998, nationality="ng", gender="woman"
    ) == _expected("v2|facts|bl|ok|-|1998|NG|woman")
    assert code_from_facts(
        given_name="Okafor",
        family_name="Blessing",
        birth_year=1998,
        nationality="ng",
        gender="woman",
        mother_name="Ngozi",
    ) == _expected("v2|facts|bl|ok|ng|1998|NG|woman")
    assert code_from_facts(nickname="Big Mama", nationality="NG") == _expected("v1|nick|big mama|NG")
    assert code_from_identifier("MI-2019-0042") == _expected("v1|ref|mi 2019 0042")


keys = st.text(min_size=16, max_size=64)


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names, names, years, nationalities, genders, keys, keys)
def test_the_code_depends_on_the_server_key(settings, given_name, family_name, year, nationality, gender, key_1, key_2):
    assume(key_1 != key_2)
    settings.APPRODI_INDEX_KEY = key_1
    first = facts(given_name, family_name, year, nationality, gender)
    nickname_first = code_from_facts(nickname=given_name, nationality=nationality)
    reference_first = code_from_identifier(family_name)
    assert facts(given_name, family_name, year, nationality, gender) == first  # deterministic under one key
    settings.APPRODI_INDEX_KEY = key_2
    assert facts(given_name, family_name, year, nationality, gender) != first
    assert code_from_facts(nickname=given_name, nationality=nationality) != nickname_first
    assert code_from_identifier(family_name) != reference_first


# --- nickname route ----------------------------------------------------------------------------------------

nicknames = st.lists(names, min_size=1, max_size=3).map(" ".join)


@st.composite
def nickname_spelled(draw, nickname: str) -> str:
    """Case, accents, spaces and punctuation around the words (not inside them: 'bigmama' is another nickname)."""
    words = [draw(spelled_inside_word(word)) for word in nickname.split(" ")]
    separators = [draw(st.sampled_from([" ", "  ", "-", " - ", ".", "_", "'"])) for _ in words[1:]]
    joined = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:], strict=True))
    return draw(st.sampled_from(["", " ", '"'])) + joined + draw(st.sampled_from(["", " ", "!", '"']))


@st.composite
def spelled_inside_word(draw, word: str) -> str:
    out = []
    for letter in word:
        if letter in ACCENTED and draw(st.booleans()):
            letter = draw(st.sampled_from(ACCENTED[letter]))
        out.append(letter.upper() if draw(st.booleans()) else letter)
    return "".join(out)


@given(nicknames, nationalities, st.data())
def test_a_nickname_gives_the_same_code_however_it_is_typed(nickname, nationality, data):
    reference = code_from_facts(nickname=nickname, nationality=nationality)
    as_typed = data.draw(nickname_spelled(nickname))
    assert code_from_facts(nickname=as_typed, nationality=f" {nationality.lower()}") == reference
    assert CODE_PATTERN.match(reference)


@given(nicknames, nicknames, nationalities, nationalities)
def test_different_nicknames_or_nationalities_give_different_codes(nick_1, nick_2, nationality_1, nationality_2):
    assume((nick_1, nationality_1) != (nick_2, nationality_2))
    assert code_from_facts(nickname=nick_1, nationality=nationality_1) != code_from_facts(
        nickname=nick_2, nationality=nationality_2
    )


@given(names, names, years, nationalities, genders)
def test_the_nickname_route_is_separate_from_the_names_route(given_name, family_name, year, nationality, gender):
    """A nickname wins over names given with it, and never lands on a names code."""
    by_nickname = code_from_facts(nickname=given_name, nationality=nationality)
    assert (
        code_from_facts(
            nickname=given_name,
            given_name=family_name,
            family_name=family_name,
            birth_year=year,
            nationality=nationality,
            gender=gender,
        )
        == by_nickname
    )
    assert by_nickname != facts(given_name, family_name, year, nationality, gender)


# --- missing facts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing",
    [
        {"given_name": ""},
        {"family_name": ""},
        {"given_name": "  - ' "},  # punctuation only
        {"family_name": "1234"},  # no letter
        {"birth_year": None},
        {"birth_year": 0},
        {"nationality": ""},
        {"nationality": "  "},
        {"gender": ""},
    ],
)
def test_missing_facts_raise(missing):
    complete = {
        "given_name": "Joy",
        "family_name": "Osagie",
        "birth_year": 1999,
        "nationality": "NG",
        "gender": "woman",
    }
    code_from_facts(**complete)  # complete facts are enough
    with pytest.raises(NotEnoughFacts):
        code_from_facts(**{**complete, **missing})


def test_a_nickname_needs_the_nationality():
    with pytest.raises(NotEnoughFacts):
        code_from_facts(nickname="Big Mama")
    with pytest.raises(NotEnoughFacts):
        code_from_facts(nickname="Big Mama", nationality=" ")
    with pytest.raises(NotEnoughFacts):
        code_from_facts()


def test_not_enough_facts_is_a_value_error():
    assert issubclass(NotEnoughFacts, ValueError)


# --- identifiers from imports and other systems ------------------------------------------------------------------


@given(names, names, years, nationalities, genders, st.data())
def test_an_approdi_code_is_kept_whatever_its_case(given_name, family_name, year, nationality, gender, data):
    code = facts(given_name, family_name, year, nationality, gender)
    as_typed = data.draw(recoded(code))
    assert code_from_identifier(as_typed) == code
    assert is_code(as_typed)


@given(st.text(alphabet=sorted(BASE32), min_size=10, max_size=10), st.data())
def test_any_well_formed_code_is_kept(letters, data):
    code = f"AP-{letters[:5]}-{letters[5:]}"
    assert code_from_identifier(data.draw(recoded(code))) == code


@given(st.text(min_size=1, max_size=40))
@example("MI-2019-0042")
@example("AP-ABCDE-FGHI1")  # '1' is not base32: not a code, mapped like any identifier
@example("AP-ABCDE-FGHIJK")
@example("AP ABCDE FGHIJ")
def test_other_identifiers_are_mapped_deterministically(identifier):
    assume(not is_code(identifier))
    try:
        code = code_from_identifier(identifier)
    except NotEnoughFacts:
        assert normalise(identifier) == ""  # only an identifier with nothing left is refused
        return
    assert CODE_PATTERN.match(code)
    assert code_from_identifier(identifier) == code
    assert code_from_identifier(code) == code  # mapping twice is a no-op


identifiers = st.text(alphabet=string.ascii_letters + string.digits + "-/ ", min_size=1, max_size=20)


def _words(identifier: str) -> list[str]:
    return identifier.lower().replace("-", " ").replace("/", " ").split()


@given(identifiers, st.data())
def test_identifiers_are_case_and_spacing_insensitive(identifier, data):
    assume(_words(identifier) and not is_code(identifier))
    variants = [identifier.upper(), identifier.lower(), f"  {identifier} ", identifier.swapcase()]
    as_typed = data.draw(st.sampled_from(variants))
    assert code_from_identifier(as_typed) == code_from_identifier(identifier)


@given(identifiers, identifiers)
@example("MI-2019-0042", "MI-2019-0043")
@example("MI20190042", "MI-2019-0042")
def test_different_identifiers_map_to_different_codes(one, other):
    assume(_words(one) and _words(other) and _words(one) != _words(other))
    assume(not is_code(one) and not is_code(other))
    assert code_from_identifier(one) != code_from_identifier(other)


@pytest.mark.parametrize("empty", ["", "   ", "--", "\t/ "])
def test_an_empty_identifier_is_refused(empty):
    with pytest.raises(NotEnoughFacts):
        code_from_identifier(empty)


def test_an_identifier_never_lands_on_a_facts_code():
    """Domain separation: the words an import uses cannot reproduce a facts or nickname code."""
    by_facts = code_from_facts(
        given_name="Blessing", family_name="Okafor", birth_year=1998, nationality="NG", gender="woman"
    )
    by_nickname = code_from_facts(nickname="Big Mama", nationality="NG")
    assert code_from_identifier("bl ok 1998 NG woman") != by_facts
    assert code_from_identifier("bl|ok|1998|NG|woman") != by_facts
    assert code_from_identifier("big mama NG") != by_nickname


# --- letters that Unicode does not decompose ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "plain"),
    [("Đorđe", "Dorde"), ("Łucja", "Lucja"), ("Øyvind", "Oyvind"), ("Sıla", "Sila"), ("Æsa", "Aesa")],
)
def test_letters_without_decomposition_are_folded_too(written, plain):
    common = {"family_name": "Nguyen", "birth_year": 1990, "nationality": "VN", "gender": "woman"}
    assert code_from_facts(given_name=written, **common) == code_from_facts(given_name=plain, **common)


@pytest.mark.parametrize(
    "bad",
    [
        {"nationality": "Nigeria"},
        {"nationality": "NGA"},
        {"gender": "female"},
        {"birth_year": 99},
        {"birth_year": "1999.0"},
    ],
)
def test_facts_are_validated_so_one_person_cannot_get_two_codes(bad):
    facts = {"given_name": "Joy", "family_name": "Osas", "birth_year": 1999, "nationality": "NG", "gender": "woman"}
    with pytest.raises(NotEnoughFacts):
        code_from_facts(**(facts | bad))


@given(names, names, years, nationalities, genders, names, names)
def test_the_mothers_letters_tell_people_apart(given_name, family_name, year, nationality, gender, mother_1, mother_2):
    assume(_first_letters(mother_1) != _first_letters(mother_2))
    base = {
        "given_name": given_name,
        "family_name": family_name,
        "birth_year": year,
        "nationality": nationality,
        "gender": gender,
    }
    assert code_from_facts(**base, mother_name=mother_1) != code_from_facts(**base, mother_name=mother_2)


def _first_letters(name: str) -> str:
    from approdi.core.crypto import normalise

    return "".join(ch for ch in normalise(name) if ch.isalpha())[:2] or "-"

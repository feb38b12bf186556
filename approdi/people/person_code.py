"""The pseudonymous person code: the network recognises a person met again without a name.

Scheme (facts: v2; nickname and identifiers: v1), documented in docs/person-code.md with its
measured collision rates:

* From facts the person gives: the first two letters of the given name and of the family name
  (the two pairs sorted, so "Blessing Okafor" and "Okafor Blessing" agree), the first two letters
  of her mother's given name, the year of birth, the nationality (ISO 3166 alpha-2) and the gender.
  Two letters survive the usual variations of transliteration (Chiamaka/Chiamaca) better than whole
  names, and a year is what people give when they are unsure of the day. v1 had no mother's
  letters: measured on synthetic data it merged 43 % of 100,000 people network-wide; the mother's
  letters bring that to about 7 % (bench/person_code_collisions.py). Without them (she does not
  know or will not say) the code is still made, with "-" in their place.
* Or from a nickname the person chooses, with the nationality.

Everything is normalised (case, accents, spaces, punctuation), then HMAC-SHA256 under the server's
``APPRODI_INDEX_KEY``: without the key nobody can test guesses. The code shown is ``AP-`` and 10
base32 characters (50 bits) of the HMAC, in two groups. Any other identifier the network uses
(an import's ``person_code`` column) is mapped into the same space by the same keyed hash, unless
it already is an Approdi code.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import re

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from approdi.core.crypto import normalise

from .codes import Gender

CODE_PATTERN = re.compile(r"^AP-[A-Z2-7]{5}-[A-Z2-7]{5}$")
VERSION = "v1"  # nickname and identifier routes
FACTS_VERSION = "v2"  # the facts route: v1 plus the mother's two letters
GENDERS = set(Gender.values)


class NotEnoughFacts(ValueError):
    pass


def _keyed(message: str) -> str:
    digest = hmac.new(settings.APPRODI_INDEX_KEY.encode(), message.encode("utf-8"), hashlib.sha256).digest()
    letters = base64.b32encode(digest).decode("ascii")[:10]
    return f"AP-{letters[:5]}-{letters[5:]}"


def _letters(name: str) -> str:
    return "".join(ch for ch in normalise(name) if ch.isalpha())[:2]


def _country(value: str) -> str:
    from django_countries import countries

    code = normalise(value).upper()
    if code and code not in countries:
        raise NotEnoughFacts(_("'%(value)s' is not an ISO 3166 alpha-2 country code.") % {"value": value.strip()})
    return code


def code_from_facts(
    *,
    given_name: str = "",
    family_name: str = "",
    birth_year: int | str | None = None,
    nationality: str = "",
    gender: str = "",
    nickname: str = "",
    mother_name: str = "",
) -> str:
    return _keyed(
        phone_part(
            given_name=given_name,
            family_name=family_name,
            birth_year=birth_year,
            nationality=nationality,
            gender=gender,
            nickname=nickname,
            mother_name=mother_name,
        )
    )


def phone_part(
    *,
    given_name: str = "",
    family_name: str = "",
    birth_year: int | str | None = None,
    nationality: str = "",
    gender: str = "",
    nickname: str = "",
    mother_name: str = "",
) -> str:
    """The message the code is the keyed hash of: everything but the key, so a phone can compute it offline.

    ``v2|facts|bl|ok|ng|1998|NG|woman`` or ``v1|nick|big mama|NG``; ``finish_code`` keys it on the server.
    """
    nationality = _country(nationality)
    if nickname.strip():
        if not nationality:
            raise NotEnoughFacts(_("A nickname needs the nationality too."))
        return f"{VERSION}|nick|{normalise(nickname)}|{nationality}"
    pairs = sorted(p for p in (_letters(given_name), _letters(family_name)) if p)
    if len(pairs) < 2 or not birth_year or not nationality or not gender:
        raise NotEnoughFacts(
            _("The code needs both names (or a nickname), the year of birth, the nationality and the gender.")
        )
    gender = normalise(gender).replace(" ", "_")
    if gender not in GENDERS:
        raise NotEnoughFacts(_("Unknown gender: %(value)s.") % {"value": gender})
    if not str(birth_year).strip().isdigit() or not 1900 <= int(birth_year) <= 2100:
        raise NotEnoughFacts(_("The year of birth is a four-digit year."))
    mother = _letters(mother_name) or "-"
    return f"{FACTS_VERSION}|facts|{pairs[0]}|{pairs[1]}|{mother}|{int(birth_year)}|{nationality}|{gender}"


# What a phone may send for the server to finish: the two messages ``phone_part`` makes, nothing else (not the
# ``ref`` route, whose identifiers the server maps itself). Letters are what ``_letters`` keeps: alphabetic
# characters after ``normalise``, which may be any script's (Cyrillic names are not transliterated).
MAX_PHONE_PART = 200
_FACTS_PART = re.compile(
    r"^v2\|facts\|(?P<first>[^\W\d_]{1,2})\|(?P<second>[^\W\d_]{1,2})\|(?P<mother>[^\W\d_]{1,2}|-)"
    r"\|(?P<year>\d{4})\|(?P<nationality>[A-Z]{2})\|(?P<gender>[a-z_]+)$"
)
_NICK_PART = re.compile(r"^v1\|nick\|(?P<nickname>[^|]+)\|(?P<nationality>[A-Z]{2})$")


def finish_code(part: str) -> str:
    """The server's half of an offline code: checks a phone's ``phone_part`` is one it could have made, then keys it.

    Whatever the phone sends is refused (``NotEnoughFacts``) unless ``phone_part`` gives exactly that message for
    some facts: letters already normalised and sorted, a year of 1900–2100, an ISO country, a gender of the
    contract. So a phone, or anyone holding a token, gets no code the forms could not give.
    """
    refused = NotEnoughFacts(_("This is not a person code computed by the app: compute it again from the facts."))
    if len(part) > MAX_PHONE_PART:
        raise refused
    facts = _FACTS_PART.match(part)
    if facts:
        first, second, mother = facts["first"], facts["second"], facts["mother"]
        names_ok = all(_letters(n) == n for n in (first, second)) and first <= second
        mother_ok = mother == "-" or _letters(mother) == mother
        expected = None
        if names_ok and mother_ok:
            with contextlib.suppress(NotEnoughFacts):
                expected = phone_part(
                    given_name=first,
                    family_name=second,
                    mother_name="" if mother == "-" else mother,
                    birth_year=facts["year"],
                    nationality=facts["nationality"],
                    gender=facts["gender"],
                )
        if expected != part:
            raise refused
        return _keyed(part)
    nick = _NICK_PART.match(part)
    if nick:
        nickname = nick["nickname"]
        try:
            expected = phone_part(nickname=nickname, nationality=nick["nationality"])
        except NotEnoughFacts:
            raise refused from None
        if not normalise(nickname) or expected != part:
            raise refused
        return _keyed(part)
    raise refused


def code_from_identifier(value: str) -> str:
    """Maps any identifier the network uses for a person into the code space."""
    candidate = value.strip().upper()
    if CODE_PATTERN.match(candidate):
        return candidate
    if not normalise(value):
        raise NotEnoughFacts(_("The person code is empty."))
    return _keyed(f"{VERSION}|ref|{normalise(value)}")


# The beginning of a code as typed in a search box, with or without its "AP-" (test codes carry any letter or digit).
CODE_START = re.compile(r"^(AP-)?[A-Z0-9]{1,5}(-[A-Z0-9]{0,5})?$")


def code_search(value: str, field: str = "code") -> Q:
    """What a person code typed in a search box matches, through the index of ``field``.

    A code is an exact identifier, never searched inside (no index serves a search inside): the code itself, or
    any identifier mapped into the code space (``code_from_identifier``), matches exactly; the beginning of a code
    (``AP-K7Q``, ``k7q``) also matches the codes it begins, a range of PostgreSQL's pattern index on the code
    (SQLite's LIKE ignores case, so it reads the rows there). Raises ``NotEnoughFacts`` when nothing is typed.
    """
    exact = Q(**{field: code_from_identifier(value)})
    candidate = value.strip().upper()
    if CODE_PATTERN.match(candidate) or not CODE_START.match(candidate):
        return exact
    start = candidate if candidate.startswith("AP-") else f"AP-{candidate}"
    return exact | Q(**{f"{field}__startswith": start})


def is_code(value: str) -> bool:
    return bool(CODE_PATTERN.match(value.strip().upper()))

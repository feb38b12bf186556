"""The pseudonymous person code: the network recognises a person met again without a name.

Scheme (v1), documented in docs/person-code.md with its measured collision rate:

* From facts the person gives: the first two letters of the given name and of the family name
  (the two pairs sorted, so "Blessing Okafor" and "Okafor Blessing" agree), the year of birth,
  the nationality (ISO 3166 alpha-2) and the gender. Two letters survive the usual variations of
  transliteration (Chiamaka/Chiamaca) better than whole names, and a year is what people give
  when they are unsure of the day.
* Or from a nickname the person chooses, with the nationality.

Everything is normalised (case, accents, spaces, punctuation), then HMAC-SHA256 under the server's
``APPRODI_INDEX_KEY``: without the key nobody can test guesses. The code shown is ``AP-`` and 10
base32 characters (50 bits) of the HMAC, in two groups. Any other identifier the network uses
(an import's ``person_code`` column) is mapped into the same space by the same keyed hash, unless
it already is an Approdi code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings
from django.utils.translation import gettext as _

from approdi.core.crypto import normalise

CODE_PATTERN = re.compile(r"^AP-[A-Z2-7]{5}-[A-Z2-7]{5}$")
VERSION = "v1"


class NotEnoughFacts(ValueError):
    pass


def _keyed(message: str) -> str:
    digest = hmac.new(settings.APPRODI_INDEX_KEY.encode(), message.encode("utf-8"), hashlib.sha256).digest()
    letters = base64.b32encode(digest).decode("ascii")[:10]
    return f"AP-{letters[:5]}-{letters[5:]}"


def _letters(name: str) -> str:
    return "".join(ch for ch in normalise(name) if ch.isalpha())[:2]


def code_from_facts(
    *,
    given_name: str = "",
    family_name: str = "",
    birth_year: int | None = None,
    nationality: str = "",
    gender: str = "",
    nickname: str = "",
) -> str:
    nationality = normalise(nationality).upper()
    if nickname.strip():
        if not nationality:
            raise NotEnoughFacts(_("A nickname needs the nationality too."))
        return _keyed(f"{VERSION}|nick|{normalise(nickname)}|{nationality}")
    pairs = sorted(p for p in (_letters(given_name), _letters(family_name)) if p)
    if len(pairs) < 2 or not birth_year or not nationality or not gender:
        raise NotEnoughFacts(
            _("The code needs both names (or a nickname), the year of birth, the nationality and the gender.")
        )
    return _keyed(f"{VERSION}|facts|{pairs[0]}|{pairs[1]}|{int(birth_year)}|{nationality}|{normalise(gender)}")


def code_from_identifier(value: str) -> str:
    """Maps any identifier the network uses for a person into the code space."""
    candidate = value.strip().upper()
    if CODE_PATTERN.match(candidate):
        return candidate
    if not normalise(value):
        raise NotEnoughFacts(_("The person code is empty."))
    return _keyed(f"{VERSION}|ref|{normalise(value)}")


def is_code(value: str) -> bool:
    return bool(CODE_PATTERN.match(value.strip().upper()))

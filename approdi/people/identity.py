"""Blind indexes of identities: exact and similar-name matches without decrypting anybody.

Each name token of a person's names and aliases is stored as two keyed hashes: of the token and of
its consonant skeleton (a crude phonetic key: "Chiamaka" and "Kiamaca" share ``KMK``). Each token of
her family name also gets its deletion neighbourhood: one key per letter left out, so that a family
name typed with one letter changed, added or dropped ("Okonkwo", "Okonkso") shares a key with hers.
The duplicate check hashes the query the same way and asks the database for people sharing keys: the
cost is an index lookup, whatever the number of people.
"""

from __future__ import annotations

from datetime import date

from approdi.core.crypto import blind_index, normalise

_SOUNDS = (
    ("ph", "f"),
    ("ch", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "k"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("y", "i"),
    ("j", "g"),
    ("x", "ks"),
)


def tokens(*names: str) -> list[str]:
    found = []
    for name in names:
        for token in normalise(name or "").split():
            if len(token) >= 2 and token not in found:
                found.append(token)
    return found


def skeleton(token: str) -> str:
    """Consonant skeleton after folding letters that transliterations swap."""
    word = token
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    head, tail = word[:1], "".join(ch for ch in word[1:] if ch not in "aeiouh")
    collapsed = head
    for ch in tail:
        if ch != collapsed[-1:]:
            collapsed += ch
    return collapsed.upper()


def token_keys(token: str) -> set[str]:
    """The keys of one name token: the token itself and, when it says something, its skeleton."""
    keys = {blind_index(token, purpose="name-token")}
    shape = skeleton(token)
    if len(token) >= 3 and len(shape) >= 2:  # "Joy" → "G" would match half the names
        keys.add(blind_index(shape, purpose="name-skeleton"))
    return keys


def name_keys(*names: str) -> set[str]:
    return {key for token in tokens(*names) for key in token_keys(token)}


TYPO_SHORTEST = 4  # a three-letter name less one letter ("ada" → "aa") would match too many others


def typo_keys(token: str) -> set[str]:
    """The token itself and the token with one letter left out, each way: two tokens one letter apart share a key.

    A letter changed at place i leaves both tokens equal once that place is left out of each ("okonkwo" and
    "okonkso" both give "okonko"); a letter added or dropped leaves one equal to the other less a letter. One
    changed consonant, which the skeleton does not forgive, is found. Only keyed hashes are stored, as for every key.
    """
    if len(token) < TYPO_SHORTEST:
        return set()
    shapes = {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}
    return {blind_index(shape, purpose="name-typo") for shape in shapes}


def family_typo_keys(family_name: str) -> set[str]:
    return {key for token in tokens(family_name) for key in typo_keys(token)}


def whole_name_key(*names: str) -> str:
    """One key for a whole name, its words in any order: a name searched and an alias recorded meet.

    Token keys alone need two shared words (or one and the birth date): a one-word alias such as
    "Mercy", searched as it is, would never come back.
    """
    words = sorted(tokens(*names))
    return blind_index(" ".join(words), purpose="whole-name") if words else ""


def whole_name_keys(given_name: str, family_name: str, aliases: list[str]) -> set[str]:
    """The whole-name keys of a person: her full name and each alias."""
    return {key for key in [whole_name_key(given_name, family_name), *map(whole_name_key, aliases)] if key}


def person_keys(given_name: str, family_name: str, aliases: list[str]) -> set[str]:
    """Every PersonKey of a person: her name tokens, their skeletons, her family name's typo keys, her whole names."""
    keys = name_keys(given_name, family_name, *aliases) | family_typo_keys(family_name)
    return keys | whole_name_keys(given_name, family_name, aliases)


def birth_index(birth_date: date | None) -> str:
    return blind_index(birth_date.isoformat(), purpose="birth-date") if birth_date else ""


def identity_index(given_name: str, family_name: str, birth_date: date | None) -> str:
    """Same names in any order, any case or accents, and the same birth date: the same value."""
    names = sorted(tokens(given_name, family_name))
    if not names or birth_date is None:
        return ""
    return blind_index(" ".join(names) + "|" + birth_date.isoformat(), purpose="identity")


def aliases_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]

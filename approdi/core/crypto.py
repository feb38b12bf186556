"""Encryption at rest for identity data, and keyed hashes for exact lookups.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). ``APPRODI_ENCRYPTION_KEYS``
holds several keys, newest first: the newest encrypts, all of them decrypt, so keys can be
rotated with ``manage.py rotate_encryption_keys``. Lookups never decrypt rows: a blind index
(HMAC-SHA256 under ``APPRODI_INDEX_KEY``, with a purpose string for domain separation) is
stored beside the ciphertext and searched with an ordinary database index.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import validators
from django.db import models
from django.utils.functional import cached_property


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.APPRODI_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a key was removed before its data was re-encrypted
        raise ValueError("Encrypted value cannot be read with the configured keys") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content as a Fernet token (documents kept with a case: approdi/core/files.py)."""
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise ValueError("Encrypted file cannot be read with the configured keys") from exc


def reencrypt(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


# Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h", "ŧ": "t"}
)


def normalise(value: str) -> str:
    """Case, accents, punctuation and spacing do not change who a person is."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_UNDECOMPOSED))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in letters.casefold()).split())


def blind_index(value: str, *, purpose: str) -> str:
    key = settings.APPRODI_INDEX_KEY.encode("utf-8")
    message = f"{purpose}\x1f{normalise(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text value stored only as ciphertext. It cannot be filtered on: use a blind index.

    ``max_length`` bounds the plaintext (the ciphertext is longer): ``full_clean`` checks it, as a
    ``CharField`` would.
    """

    @cached_property
    def validators(self):
        if self.max_length is None:
            return super().validators
        return [*super().validators, validators.MaxLengthValidator(self.max_length)]

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def encrypt_column_values(apps, schema_editor, *, table: str, columns: tuple[str, ...], forward: bool = True) -> None:
    """Encrypts (or, going back, decrypts) the values already stored in plaintext columns.

    For the migrations that turn a free-text column into an ``EncryptedTextField``. Raw SQL: the
    rows are read as stored, across every organisation. A value that already decrypts is left as it
    is, so running it twice changes nothing.
    """
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {names} FROM {quote(table)}")  # noqa: S608 - quoted names
        for pk, *values in cursor.fetchall():
            changed = {}
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                try:
                    plaintext = decrypt(value)
                except (ValueError, UnicodeError):
                    plaintext = None
                if forward and plaintext is None:
                    changed[column] = encrypt(value)
                elif not forward and plaintext is not None:
                    changed[column] = plaintext
            if changed:
                assignments = ", ".join(f"{quote(c)} = %s" for c in changed)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*changed.values(), pk])  # noqa: S608


def encrypt_columns(table: str, *columns: str):
    """A reversible ``RunPython`` that encrypts existing values of ``columns`` (and decrypts them going back)."""
    from functools import partial

    from django.db import migrations

    return migrations.RunPython(
        partial(encrypt_column_values, table=table, columns=columns),
        partial(encrypt_column_values, table=table, columns=columns, forward=False),
    )


if TYPE_CHECKING:  # a TextField that holds a date, for django-stubs (TextField cannot be subscripted at run time)
    _DateAsText = models.TextField[date | str | None, date | None]
else:
    _DateAsText = models.TextField


class EncryptedDateField(_DateAsText):
    """A date stored only as ciphertext (birth dates are identifying)."""

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, date):
            value = value.isoformat()
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return date.fromisoformat(decrypt(value))

    def to_python(self, value):
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    def formfield(self, **kwargs):
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})

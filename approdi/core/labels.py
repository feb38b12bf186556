"""The words a person reads for a stored code: pages and files show labels, never ``emergency_women``.

Labels come from the models' own choices (``TextChoices`` or a model field with choices), translated
into the active language, so a new choice is labelled everywhere the day it is added. A code with no
label (a value from before a choice was renamed) is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.db import models
from django_countries import countries

ChoiceSource = type[models.Choices] | models.Field | list | tuple


def label(choices: ChoiceSource, code) -> str:
    """The translated label of ``code`` among ``choices``; "" for no value, the code itself when unknown."""
    if code in (None, ""):
        return ""
    pairs: Iterable[Any]
    if isinstance(choices, models.Field):
        pairs = choices.flatchoices
    elif isinstance(choices, type) and issubclass(choices, models.Choices):
        pairs = choices.choices
    else:
        pairs = choices
    return str(dict(pairs).get(code, code))


def field_label(model: type[models.Model], field: str, code) -> str:
    """``label`` with the choices of ``model.field``: for rows read with ``values()``, where no instance exists."""
    return label(cast(models.Field, model._meta.get_field(field)), code)


def country(code) -> str:
    """A nationality (ISO 3166 alpha-2) by its name in the active language; the code when it names no country."""
    return (countries.name(str(code)) or str(code)) if code else ""


def country_choices() -> list[tuple[str, str]]:
    """A nationality field's choices: "—", then the countries named and sorted in the active language.

    Given to a form field as a callable, so that each page lists them in its own language: a list built when a
    module was imported kept the language active then (Italian) for every reader.
    """
    return [("", "—"), *countries]

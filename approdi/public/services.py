"""The coordinators edit the public site's texts: permission, validation, audit, one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure

from .languages import CODES, KEYS, MAX_TEXT, SOURCE
from .models import PublicText

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

PERM = "public.edit_texts"


@transaction.atomic
def save_texts(*, actor: Actor, language: str, texts: dict[str, str], reviewed: bool = False) -> list[str]:
    """Saves the texts of one language; answers the keys that changed.

    A translation changed, or confirmed with ``reviewed``, is marked as checked against the current Italian. A
    change of the Italian leaves the translations as they are: they need review until someone checks them.
    """
    ensure(actor, PERM)
    if language not in CODES:
        raise ValidationError({"language": [_("Unknown language.")]})
    unknown = set(texts) - set(KEYS)
    if unknown:
        raise TypeError(f"unknown public texts: {sorted(unknown)}")
    errors = {key: [_("Write this text.")] for key, text in texts.items() if not text.strip()}
    errors |= {
        key: [_("At most %(n)d characters.") % {"n": MAX_TEXT}] for key, text in texts.items() if len(text) > MAX_TEXT
    }
    if errors:
        raise ValidationError(errors)
    italian = dict(PublicText.objects.filter(language=SOURCE).values_list("key", "revision"))
    rows = {row.key: row for row in PublicText.objects.select_for_update().filter(language=language)}
    changed = []
    for key, text in texts.items():
        text = text.strip()
        row = rows.get(key)
        source_revision = None if language == SOURCE else italian.get(key, 1)
        if row is None:
            row = PublicText(language=language, key=key, text=text, source_revision=source_revision)
            row.updated_by = actor
            row.save()
            record(actor=actor, action=Action.CREATE, obj=row, fields=["text"])
            changed.append(key)
            continue
        fields = []
        if row.text != text:
            row.text, row.revision = text, row.revision + 1
            fields += ["text", "revision"]
        if language != SOURCE and (fields or reviewed) and row.source_revision != source_revision:
            row.source_revision = source_revision
            fields.append("source_revision")
        if fields:
            row.updated_by = actor
            row.save(update_fields=[*fields, "updated_by", "updated_at"])
            record(actor=actor, action=Action.CHANGE, obj=row, fields=fields)
            if "text" in fields:
                changed.append(key)
    return changed

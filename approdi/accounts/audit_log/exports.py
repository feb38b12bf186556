"""The audit log as a CSV file for the DPO: the entries of her search, in the words of the page, audited itself."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.labels import label
from approdi.core.spreadsheets import csv_writer

from . import selectors
from .labels import entry_in_words, field_labels, object_type_label, role_label
from .reasons import reason_in_words

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

# A file any spreadsheet opens; a longer search is narrowed (the file says so on its last line).
MAX_ROWS = 100_000


def headers() -> list[str]:
    return [
        _("When"),
        pgettext("audit log", "Entry"),
        _("User"),
        _("Role"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Note"),
        _("Fields"),
        _("IP address"),
        _("Request id"),
    ]


def export_csv(*, actor: Actor, **filters) -> tuple[str, int]:
    """The entries ``selectors.search_log`` gives the actor for ``filters`` (the page's search), newest first, as
    CSV text in the actor's language: labels, never codes. Returns the text and its rows; the export is audited."""
    entries = selectors.search_log(actor=actor, **filters)
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(headers())
    rows = 0
    for entry in entries[: MAX_ROWS + 1].iterator(chunk_size=2000):
        if rows == MAX_ROWS:
            writer.writerow([_("More entries than one file holds: narrow the search (days, user, action).")])
            break
        writer.writerow(
            [
                date_format(timezone.localtime(entry.at), "SHORT_DATETIME_FORMAT"),
                entry_in_words(entry),
                entry.actor_username,
                role_label(entry.role),
                label(Action, entry.action),
                object_type_label(entry.object_type) if entry.object_type else "",
                entry.object_id,
                reason_in_words(entry.reason),
                ", ".join(field_labels(entry.object_type, entry.fields)),
                entry.ip or "",
                entry.request_id,
            ]
        )
        rows += 1
    record(actor=actor, action=Action.EXPORT, object_type="audit.log", reason=f"{rows} rows as csv")
    return text.getvalue(), rows

"""What leaves the Ufficio Filtro as a record: built here and audited as an export, whoever asks for it.

The printable page of a record, its PDF, the national record's JSON (page or API) and the programme's CSV
of entry and exit records all come from these functions, so none is handed out without its audit row.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.cases.models.case import Outcome
from approdi.core.labels import country, label
from approdi.core.permissions import ensure
from approdi.core.spreadsheets import csv_writer

from . import records, selectors

PERM = "intake.work_queue"


def record_sheet(*, actor, person, kind: str, fmt: str, today: date) -> bytes | dict | list[tuple[str, str]]:
    """``person``'s entry, exit or national record: as ``pdf`` its bytes, as ``json`` (the national record
    only) its data, otherwise the rows of the printable page."""
    ensure(actor, PERM)
    content: bytes | dict | list[tuple[str, str]]
    if fmt == "pdf":
        content = records.pdf(person, kind, today=today)
    elif fmt == "json" and kind == "national":
        content = records.national_json(person, today=today)
    else:
        content = records.record_fields(person, kind, today=today)
    record(actor=actor, action=Action.EXPORT, obj=person, reason=f"{kind} record as {fmt}")
    return content


def programme_records_csv(*, actor) -> str:
    """The entry and exit records of the programme as CSV: labels and dates, no identity."""
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(
        [_("Person code"), _("Record"), _("Date"), _("Outcome"), _("Decision"), _("Gender"), _("Nationality")]
    )
    count = 0
    for r in selectors.programme_records(actor=actor):
        writer.writerow(
            [
                r.person.code,
                r.get_kind_display(),
                r.date.isoformat(),
                label(Outcome, r.outcome),
                r.decision.get_kind_display() if r.decision else "",
                r.person.get_gender_display(),
                country(r.person.nationality),
            ]
        )
        count += 1
    record(actor=actor, action=Action.EXPORT, object_type="intake.programmerecord", reason=f"{count} rows as csv")
    return text.getvalue()

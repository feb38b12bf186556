"""The events as CSV: a row per organisation and role that took part (or per event without participants), and
the counting rule's figures at the end. Text from users goes through core/spreadsheets.py."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from approdi.core.spreadsheets import csv_writer

from .models import Event


def csv_text(events: Iterable[Event], figures: dict[str, int]) -> str:
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(
        [
            _("Date"),
            _("Type"),
            _("Title"),
            _("Organised by"),
            _("Area"),
            _("Audience"),
            _("Hours"),
            _("Trainers"),
            _("Materials"),
            _("Questionnaires returned"),
            _("Mean satisfaction score"),
            _("Organisation"),
            _("In the directory"),
            _("Role"),
            _("Participants"),
        ]
    )
    for event in events:
        common = [
            event.date.isoformat(),
            event.get_kind_display(),
            event.title,
            event.organiser.name,
            event.area.name if event.area else "",
            event.get_audience_display(),
            str(event.hours),
            event.trainers,
            event.materials,
            "" if event.respondents is None else event.respondents,
            "" if event.mean_score is None else str(event.mean_score),
        ]
        rows = list(event.participations.all())
        if not rows:
            writer.writerow([*common, "", "", "", ""])
        for row in rows:
            in_directory = _("yes") if row.body_id else _("no")
            writer.writerow([*common, row.organisation_label, in_directory, row.get_role_display(), row.participants])
    writer.writerow([])
    writer.writerow([_("Training events"), figures["events"]])
    writer.writerow([_("Participants"), figures["participants"]])
    writer.writerow([_("Bodies they came from"), figures["bodies"]])
    return stream.getvalue()

"""CSV and XLSX exports of outreach records, in the columns of the §9 import formats (audited).

The files are read by people: the header names each column and every value is its label in the
requester's language (channels, genders, sources, countries by name, organisations and areas by
name, yes/no), as the pages show them; ``CONTACT_COLUMNS`` and ``REFERRAL_COLUMNS`` name the
fields for the audit row.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import cast

from django.db import models
from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.labels import country
from approdi.core.spreadsheets import csv_writer, new_workbook

from .models import Contact, Referral

CONTACT_COLUMNS = (
    "date",
    "organisation",
    "channel",
    "area",
    "person_code",
    "gender",
    "age_band",
    "nationality",
    "exploitation",
    "first_contact",
    "headcount",
    "sector",
    "target_group",
)
REFERRAL_COLUMNS = (
    "date",
    "organisation",
    "source_type",
    "referring_body",
    "person_code",
    "gender",
    "nationality",
    "exploitation",
    "urgency",
    "status",
    "sector",
    "target_group",
)


def headers(model: type[models.Model], columns: tuple[str, ...]) -> list[str]:
    """The columns' names: the fields' own names, translated."""
    names = {"organisation": _("Organisation")}  # the contact's field has no name of its own
    return [str(names.get(c) or capfirst(cast(models.Field, model._meta.get_field(c)).verbose_name)) for c in columns]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return {True: _("Yes"), False: _("No")}.get(value, "")


def contact_row(contact: Contact) -> list:
    return [
        contact.date.isoformat(),
        contact.organisation.name,
        contact.get_channel_display(),
        contact.area.name if contact.area else "",
        contact.person_code,
        contact.get_gender_display(),
        contact.get_age_band_display(),
        country(contact.nationality),
        contact.get_exploitation_display(),
        _yes_no(contact.first_contact),
        contact.headcount,
        contact.get_sector_display(),
        contact.get_target_group_display(),
    ]


def referral_row(referral: Referral) -> list:
    return [
        referral.date.isoformat(),
        referral.organisation.name,
        referral.get_source_type_display(),
        referral.referring_body,
        referral.person_code,
        referral.get_gender_display(),
        country(referral.nationality),
        referral.get_exploitation_display(),
        referral.get_urgency_display(),
        referral.get_status_display(),
        referral.get_sector_display(),
        referral.get_target_group_display(),
    ]


def layout(kind: str) -> tuple[type[models.Model], tuple[str, ...], Callable[..., list]]:
    """The model, the columns and the row writer of ``contacts`` or ``referrals`` (read when called)."""
    if kind == "contacts":
        return Contact, CONTACT_COLUMNS, contact_row
    return Referral, REFERRAL_COLUMNS, referral_row


def export(*, actor: Actor, kind: str, rows, fmt: str) -> HttpResponse:
    model, columns, to_row = layout(kind)
    records = [to_row(r) for r in rows.iterator(chunk_size=2000)]
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type=f"outreach.{kind}",
        reason=f"{len(records)} rows as {fmt}",
        fields=list(columns),
    )
    filename = f"approdi-{kind}.{fmt}"
    if fmt == "xlsx":
        book = new_workbook(write_only=True)
        sheet = book.create_sheet(kind)
        sheet.append(headers(model, columns))
        for row in records:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        writer = csv_writer(text)
        writer.writerow(headers(model, columns))
        writer.writerows(records)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""CSV and XLSX exports of outreach records, in the columns of the §9 import formats (audited)."""

from __future__ import annotations

import io

from django.http import HttpResponse

from approdi.audit.models import Action
from approdi.audit.services import record
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
)


def contact_row(contact: Contact) -> list:
    first = {True: "yes", False: "no"}.get(contact.first_contact, "")
    return [
        contact.date.isoformat(),
        contact.organisation.code,
        contact.channel,
        contact.area.code if contact.area else "",
        contact.person_code,
        contact.gender,
        contact.age_band,
        str(contact.nationality or ""),
        contact.exploitation,
        first,
        contact.headcount,
    ]


def referral_row(referral: Referral) -> list:
    return [
        referral.date.isoformat(),
        referral.organisation.code,
        referral.source_type,
        referral.referring_body,
        referral.person_code,
        referral.gender,
        str(referral.nationality or ""),
        referral.exploitation,
        referral.urgency,
        referral.status,
    ]


def export(*, actor, kind: str, rows, fmt: str) -> HttpResponse:
    columns, to_row = (CONTACT_COLUMNS, contact_row) if kind == "contacts" else (REFERRAL_COLUMNS, referral_row)
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
        sheet.append(list(columns))
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
        writer.writerow(columns)
        writer.writerows(records)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

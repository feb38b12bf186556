"""The funder summary as XLSX, CSV and PDF, laid out as seed 001's tables."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from approdi.core.pdf import new_document
from approdi.core.spreadsheets import csv_writer, new_workbook


def rows(summary: dict) -> list[tuple[str, list[tuple[str, object]]]]:
    """(section title, [(label, value)]) in the order of the seed's slides."""
    outreach, reception = summary["outreach"], summary["reception"]
    capacity = [(row["type"], f"{row['structures']} / {row['beds']}") for row in summary["capacity"]]
    capacity.append((_("Total"), f"{summary['capacity_total']['structures']} / {summary['capacity_total']['beds']}"))
    return [
        (
            _("Area emersione"),
            [
                (_("Street-unit contacts"), outreach["street_contacts"]),
                (_("Indoor contacts"), outreach["indoor_contacts"]),
                (_("Low-threshold accesses"), outreach["low_threshold_accesses"]),
                (_("People referred by other bodies"), outreach["persons_referred_by_bodies"]),
            ],
        ),
        (
            _("Area accoglienza"),
            [
                (_("Women"), reception["women"]),
                (_("Men"), reception["men"]),
                (_("Transgender"), reception["transgender"]),
                (_("Total"), reception["total"]),
            ],
        ),
        (_("Reception capacity (structures / beds)"), capacity),
    ]


def title(summary: dict) -> str:
    return _("Programme %(programme)s, %(start)s – %(end)s") % {
        "programme": summary["programme"],
        "start": summary["from"],
        "end": summary["to"],
    }


def xlsx(summary: dict) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = "summary"
    sheet.append([title(summary)])
    for section, items in rows(summary):
        sheet.append([])
        sheet.append([section])
        for label, value in items:
            sheet.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The keys of the §9 JSON, in the order of ``rows``.
CSV_KEYS = {
    "outreach": ("street_contacts", "indoor_contacts", "low_threshold_accesses", "persons_referred_by_bodies"),
    "reception": ("women", "men", "transgender", "total"),
}


def csv_rows(summary: dict) -> list[tuple[str, str, int]]:
    """(key, label, value): the §9 JSON's keys, so that scripts read the CSV without parsing labels."""
    sections = rows(summary)
    found: list[tuple[str, str, int]] = []
    for (prefix, keys), (_section, items) in zip(CSV_KEYS.items(), sections[:2], strict=True):
        found += [
            (f"{prefix}.{key}", str(label), summary[prefix][key]) for key, (label, _v) in zip(keys, items, strict=True)
        ]
    measures = (("structures", _("structures")), ("beds", _("beds")))
    for row in summary["capacity"]:
        found += [(f"capacity.{row['type']}.{m}", f"{row['type']}: {label}", row[m]) for m, label in measures]
    found += [(f"capacity_total.{m}", f"{_('Total')}: {label}", summary["capacity_total"][m]) for m, label in measures]
    return found


def csv(summary: dict) -> bytes:
    """One figure a line: key, label (in the active language), value; the period in the first lines."""
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(["key", "label", "value"])
    writer.writerow(["programme", _("Programme"), summary["programme"]])
    writer.writerow(["from", _("From"), summary["from"]])
    writer.writerow(["to", _("To"), summary["to"]])
    writer.writerows(csv_rows(summary))
    return text.getvalue().encode("utf-8")


def pdf(summary: dict) -> bytes:
    document, family = new_document(title(summary))
    document.set_font(family, "B", 16)
    document.multi_cell(0, 9, title(summary), new_x="LMARGIN", new_y="NEXT")
    for section, items in rows(summary):
        document.ln(4)
        document.set_font(family, "B", 12)
        document.cell(0, 8, section, new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "", 11)
        for label, value in items:
            document.cell(120, 7, str(label))
            document.cell(0, 7, str(value), new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())

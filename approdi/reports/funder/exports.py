"""The funder summary as XLSX, CSV and PDF: seed 001's two tables, as a document of the lead entity.

Every file carries the letterhead of ``letterhead.py`` (the lead entity, the programme, the period in
words, the targets and, for an approved report, its approval); codes (types of structure, indicators)
are shown as their labels, the CSV keeps the §9 JSON's keys beside them for scripts.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf.fonts import FontFace
from openpyxl.styles import Font

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.labels import label
from approdi.core.pdf import new_document
from approdi.core.spreadsheets import csv_writer, new_workbook
from approdi.reports.models import FunderReport
from approdi.shelter.models import RESERVED_PLACE_TYPES, StructureType

from . import selectors
from .letterhead import Letterhead, approval_rows, facts, letterhead, long_date, period, status_line, target_rows

__all__ = ["csv", "export_file", "letterhead", "pdf", "rows", "training_line", "xlsx"]


def rows(summary: dict) -> list[tuple[str, list[tuple[str, object]]]]:
    """Seed 001's "DATI DEL PROGETTO": (section title, [(label, value)]); the capacity is ``capacity_rows``."""
    outreach, reception = summary["outreach"], summary["reception"]
    sections = [
        (
            _("Emergence area"),
            [
                (_("Street-unit contacts"), outreach["street_contacts"]),
                (_("Indoor contacts"), outreach["indoor_contacts"]),
                (_("Low-threshold accesses"), outreach["low_threshold_accesses"]),
                (_("People referred by other bodies"), outreach["persons_referred_by_bodies"]),
            ],
        ),
        (
            _("Reception area"),
            [
                (_("Women"), reception["women"]),
                (_("Men"), reception["men"]),
                (_("Transgender"), reception["transgender"]),
                (_("Total"), reception["total"]),
            ],
        ),
    ]
    training = summary.get("training")  # a report approved before training was counted has none
    if training is not None:
        sections.append(
            (
                _("Training, awareness and capacity building"),
                [
                    (_("Training and awareness events"), training["events"]),
                    (_("Participants"), training["participants"]),
                    (_("Bodies they came from"), training["bodies"]),
                ],
            )
        )
    return sections


def training_line(summary: dict) -> str:
    """The activity section in one sentence: "N training events, M participants from K bodies"."""
    training = summary.get("training")
    if training is None:
        return ""
    return (
        ngettext(
            "%(events)d training event, %(participants)d participants from %(bodies)d bodies.",
            "%(events)d training events, %(participants)d participants from %(bodies)d bodies.",
            training["events"],
        )
        % training
    )


def capacity_rows(summary: dict) -> list[tuple[str, int | None, int]]:
    """Seed 001's "CAPACITÀ RICETTIVA": type, structures (none for places reserved elsewhere), beds; then the total."""
    found: list[tuple[str, int | None, int]] = [
        (
            label(StructureType, row["type"]),
            None if row["type"] in RESERVED_PLACE_TYPES else row["structures"],
            row["beds"],
        )
        for row in summary["capacity"]
    ]
    found.append((_("Total"), summary["capacity_total"]["structures"], summary["capacity_total"]["beds"]))
    return found


def title(summary: dict) -> str:
    return _("Programme %(programme)s, %(start)s – %(end)s") % {
        "programme": summary["programme"],
        "start": long_date(summary["from"]),
        "end": long_date(summary["to"]),
    }


def xlsx(summary: dict, head: Letterhead) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]  # the tab a person reads
    bold = Font(bold=True)

    def section(name: str) -> None:
        sheet.append([])
        sheet.append([name])
        sheet.cell(sheet.max_row, 1).font = bold

    sheet.append([_("Funder summary") + " · " + title(summary)])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    section(head.issuer or _("Funder summary"))
    for _key, name, value in facts(summary, head):
        sheet.append([name, value])
    for name, items in rows(summary):
        section(name)
        for item, figure in items:
            sheet.append([item, figure])
    section(_("Reception capacity (structures / beds)"))
    sheet.append([_("Type of structure"), _("Structures"), _("Beds")])
    for item, structures, beds in capacity_rows(summary):
        sheet.append([item, structures, beds])
    targets = target_rows(summary, head)
    if targets:
        section(_("Targets and results"))
        sheet.append([_("Indicator"), _("Target"), _("Result"), _("Progress (%)")])
        for _indicator, item, target, result, percent in targets:
            sheet.append([item, target, result, percent])
    signed = approval_rows(head)
    if signed:
        section(signature_title(head))
        for _key, name, value in signed:
            sheet.append([name, value])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The keys of the §9 JSON, in the order of ``rows``.
CSV_KEYS = {
    "outreach": ("street_contacts", "indoor_contacts", "low_threshold_accesses", "persons_referred_by_bodies"),
    "reception": ("women", "men", "transgender", "total"),
    "training": ("events", "participants", "bodies"),
}


def csv_rows(summary: dict) -> list[tuple[str, str, int]]:
    """(key, label, value): the §9 JSON's keys, so that scripts read the CSV without parsing labels."""
    sections = rows(summary)
    found: list[tuple[str, str, int]] = []
    present = [(prefix, keys) for prefix, keys in CSV_KEYS.items() if prefix in summary]
    for (prefix, keys), (_section, items) in zip(present, sections, strict=True):
        found += [
            (f"{prefix}.{key}", str(name), summary[prefix][key]) for key, (name, _v) in zip(keys, items, strict=True)
        ]
    measures = (("structures", _("structures")), ("beds", _("beds")))
    for row in summary["capacity"]:
        kind = label(StructureType, row["type"])
        found += [(f"capacity.{row['type']}.{m}", f"{kind}: {name}", row[m]) for m, name in measures]
    found += [(f"capacity_total.{m}", f"{_('Total')}: {name}", summary["capacity_total"][m]) for m, name in measures]
    return found


def csv(summary: dict, head: Letterhead) -> bytes:
    """One figure a line: key (stable, as in the §9 JSON), label and value; the document's facts first."""
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow([_("Key"), _("Item"), _("Value")])
    writer.writerow(["programme", _("Programme code"), summary["programme"]])
    writer.writerow(["from", _("From"), summary["from"]])
    writer.writerow(["to", _("To"), summary["to"]])
    writer.writerows(facts(summary, head))
    writer.writerows(csv_rows(summary))
    for indicator, name, target, _result, _percent in target_rows(summary, head):
        writer.writerow([f"target.{indicator}", f"{_('Target')}: {name}", target])
    approval = approval_rows(head)
    if head.approved:  # the machine-readable moment beside the one in words
        approval.append(("approved_at_iso", _("Approved on (ISO 8601)"), head.approved.at.isoformat()))
    writer.writerows(approval)
    return text.getvalue().encode("utf-8")


def signature_title(head: Letterhead) -> str:
    """The approval block's title; a draft's block says who prepared it, and no one approved it yet."""
    return _("Approval") if head.approved else _("Preparation")


def _paragraph(document, text: str, size: float, style: str = "", **options) -> None:
    document.set_font(document.family, style, size)
    document.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT", **options)


def _table(document, widths: list[float], header: list[str] | None, body: list[list], numbers: bool = True) -> None:
    """A bordered table; the first column is text, the others figures (right-aligned) unless ``numbers`` is off."""
    document.set_font(document.family, "", 10.5)
    align = ["LEFT", *(["RIGHT" if numbers else "LEFT"] * (len(widths) - 1))]
    with document.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=align,
        first_row_as_headings=header is not None,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 238, 247)),
        cell_fill_mode="NONE",
        line_height=6.2,
    ) as table:
        for values in [header, *body] if header is not None else body:
            row = table.row()
            for value in values:
                row.cell("" if value is None else str(value))
    document.ln(2)


def _heading(document, text: str, following: float = 30) -> None:
    """A section title, kept on the same page as the first rows of what follows it."""
    if document.get_y() + following > document.page_break_trigger:
        document.add_page()
    document.ln(3)
    document.set_text_color(0, 70, 140)
    _paragraph(document, text, 12.5, "B")
    document.set_text_color(0, 0, 0)
    document.ln(1)


def pdf(summary: dict, head: Letterhead) -> bytes:
    """Seed 001's two tables on the lead entity's letterhead, the targets, and the approval when there is one."""
    document, _family = new_document(
        title(summary),
        issuer=head.issuer,
        subtitle=head.programme,
        logo=head.logo,
        footer=f"{summary['programme']} · {period(summary)}",
    )
    width = document.epw
    _paragraph(document, _("Funder summary"), 17, "B")
    for _key, name, value in facts(summary, head)[1:-1]:
        _paragraph(document, f"{name}: {value}", 11)
    document.ln(2)
    approved = head.status == FunderReport.Status.APPROVED
    document.set_fill_color(*((225, 242, 230) if approved else (255, 243, 205)))
    _paragraph(document, status_line(head), 10, "B", fill=True, padding=1.5)
    document.set_fill_color(255, 255, 255)

    for name, items in rows(summary):
        _heading(document, name)
        _table(document, [width * 0.75, width * 0.25], None, [[item, value] for item, value in items])
    if training_line(summary):
        _paragraph(document, training_line(summary), 10.5)
    _heading(document, _("Reception capacity (structures / beds)"), following=60)
    _paragraph(document, _("Structures open on %(day)s and their beds.") % {"day": long_date(summary["to"])}, 9)
    document.ln(1)
    _table(
        document,
        [width * 0.6, width * 0.2, width * 0.2],
        [_("Type of structure"), _("Structures"), _("Beds")],
        [list(row) for row in capacity_rows(summary)],
    )

    targets = target_rows(summary, head)
    _heading(document, _("Targets and results"))
    if targets:
        _table(
            document,
            [width * 0.46, width * 0.18, width * 0.18, width * 0.18],
            [_("Indicator"), _("Target"), _("Result"), _("Progress (%)")],
            [[name, target, result, f"{percent} %"] for _i, name, target, result, percent in targets],
        )
    else:
        _paragraph(document, _("This programme has no targets."), 10.5)

    signed = approval_rows(head)
    if signed:
        _heading(document, signature_title(head), following=55)
        _table(document, [width * 0.3, width * 0.7], None, [[name, value] for _k, name, value in signed], False)
        if head.approved:
            note = _(
                "The figures hash is the SHA-256 of the approved figures. The SHA-256 of each file of this report "
                "and its content hash are shown on the report's page in Approdi."
            )
            _paragraph(document, note, 8.5)
    return bytes(document.output())


def export_file(*, actor, start: date, end: date, fmt: str) -> tuple[dict, bytes]:
    """The funder summary of the actor's programme as an XLSX, CSV or PDF file, with its audit row."""
    summary = selectors.summary(actor=actor, start=start, end=end)
    programme = actor.active_membership.programme
    content = {"xlsx": xlsx, "csv": csv, "pdf": pdf}[fmt](summary, letterhead(programme))
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.summary",
        object_id=programme.code,
        reason=f"{start}–{end} as {fmt}",
    )
    return summary, content

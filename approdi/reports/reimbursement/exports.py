"""Services delivered and reimbursement for the funder: XLSX, CSV and PDF with the page's figures.

The CSV has one row per organisation and service type, then one total row per organisation and one
for all of them, in the columns of ``COLUMNS`` (named in the requester's language: ``COLUMN_LABELS``);
amounts in EUR with a dot for decimals. Kinds of row and units are their labels, never their codes.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.pdf import issued_by, new_document
from approdi.core.spreadsheets import csv_writer, new_workbook

from .selectors import Reimbursement, reimbursement

COLUMNS = [
    "row",
    "organisation_code",
    "organisation",
    "service_code",
    "service",
    "unit",
    "deliveries",
    "units",
    "amount_eur",
    "spent_to_date_eur",
    "budget_eur",
    "co_funding_eur",
    "spent_percent",
    "remaining_eur",
]

COLUMN_LABELS = {
    "row": gettext_lazy("Row"),
    "organisation_code": gettext_lazy("Organisation code"),
    "organisation": gettext_lazy("Organisation"),
    "service_code": gettext_lazy("Service code"),
    "service": gettext_lazy("Service"),
    "unit": gettext_lazy("Unit"),
    "deliveries": gettext_lazy("Deliveries"),
    "units": gettext_lazy("Units"),
    "amount_eur": gettext_lazy("Amount (EUR)"),
    "spent_to_date_eur": gettext_lazy("Spent to the period's end (EUR)"),
    "budget_eur": gettext_lazy("Budget (EUR)"),
    "co_funding_eur": gettext_lazy("Co-funding (EUR)"),
    "spent_percent": gettext_lazy("Share of the budget spent (%)"),
    "remaining_eur": gettext_lazy("Remaining (EUR)"),
}
ROW_KINDS = {
    "service": gettext_lazy("Service"),
    "organisation_total": gettext_lazy("Organisation total"),
    "total": gettext_lazy("Total"),
}


def header() -> list[str]:
    return [str(COLUMN_LABELS[column]) for column in COLUMNS]


def title(result: Reimbursement) -> str:
    return _("Services delivered and reimbursement · %(programme)s, %(start)s – %(end)s") % {
        "programme": result.programme.code,
        "start": date_format(result.start, "SHORT_DATE_FORMAT"),
        "end": date_format(result.end, "SHORT_DATE_FORMAT"),
    }


def scope_line(result: Reimbursement) -> str:
    if result.whole_network:
        return _("Every organisation of the programme.")
    return _("Only %(organisation)s.") % {"organisation": ", ".join(p.name for p in result.partners)}


def _plain(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def table(result: Reimbursement) -> list[list]:
    """The rows shared by the CSV and the XLSX, with the numbers as numbers (None: nothing recorded)."""
    rows: list[list] = []
    for partner in result.partners:
        for line in partner.lines:
            rows.append(
                [
                    str(ROW_KINDS["service"]),
                    partner.code,
                    partner.name,
                    line.code,
                    line.name,
                    line.unit_label,
                    line.deliveries,
                    line.units,
                    line.amount,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
        rows.append(
            [
                str(ROW_KINDS["organisation_total"]),
                partner.code,
                partner.name,
                "",
                "",
                "",
                partner.deliveries,
                None,
                partner.amount,
                partner.spent,
                partner.budget,
                partner.co_funding,
                partner.spent_percent,
                partner.remaining,
            ]
        )
    rows.append(
        [
            str(ROW_KINDS["total"]),
            "",
            _("Total"),
            "",
            "",
            "",
            result.deliveries,
            None,
            result.amount,
            result.spent,
            result.budget,
            result.co_funding,
            result.spent_percent,
            result.remaining,
        ]
    )
    return rows


def csv(result: Reimbursement) -> bytes:
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(
        [_("Programme"), result.programme.code, _("From"), result.start.isoformat(), _("To"), result.end.isoformat()]
    )
    writer.writerow(header())
    for row in table(result):
        writer.writerow(
            ["" if value is None else (_plain(value) if isinstance(value, Decimal) else value) for value in row]
        )
    return text.getvalue().encode("utf-8")


def xlsx(result: Reimbursement) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = "services"
    sheet.append([title(result)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([scope_line(result)])
    sheet.append([])
    sheet.append(header())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table(result):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    months = book.create_sheet("months")
    months.append([_("Month"), *(p.name for p in result.partners), _("Total")])
    for month, amounts, total in result.month_rows():
        months.append([month.strftime("%Y-%m"), *(float(a) for a in amounts), float(total)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_format(value, 2, force_grouping=True)} €"


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_format(value, 1)} %"


def _money_lines(row) -> list[tuple[str, str]]:
    """The amounts the PDF lists under a partner and under the total: label and value."""
    return [
        (_("Amount in the period"), money(row.amount)),
        (_("Spent to the period's end"), money(row.spent)),
        (_("Budget"), money(row.budget)),
        (_("Share of the budget spent"), _percent(row.spent_percent)),
        (_("Remaining"), money(row.remaining)),
        (_("Co-funding"), money(row.co_funding)),
    ]


def pdf(result: Reimbursement) -> bytes:
    document, family = new_document(title(result), **issued_by(result.programme))
    width = document.epw
    document.set_font(family, "B", 15)
    document.multi_cell(0, 8, title(result), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    document.multi_cell(0, 6, scope_line(result), new_x="LMARGIN", new_y="NEXT")
    document.multi_cell(
        0,
        6,
        _(
            "Amount: units × the unit cost recorded on each service on the day it was delivered. Spent: every "
            "service from the programme's start to the period's last day. Remaining: budget − spent."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    widths = [width * 0.46, width * 0.14, width * 0.14, width * 0.26]
    for partner in result.partners:
        document.ln(3)
        document.set_font(family, "B", 12)
        document.multi_cell(0, 7, f"{partner.name} ({partner.code})", new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "B", 9)
        for text, w in zip((_("Service"), _("Deliveries"), _("Units"), _("Amount")), widths, strict=True):
            document.cell(w, 6, text, border="B")
        document.ln()
        document.set_font(family, "", 9)
        for line in partner.lines:
            cells = (
                f"{line.name} ({line.unit_label})",
                str(line.deliveries),
                number_format(line.units, 2),
                money(line.amount),
            )
            for text, w in zip(cells, widths, strict=True):
                document.cell(w, 6, text)
            document.ln()
        if not partner.lines:
            document.cell(0, 6, _("No services delivered in the period."), new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "B", 9)
        for label, value in _money_lines(partner):
            document.cell(widths[0] + widths[1] + widths[2], 6, label)
            document.cell(widths[3], 6, value, new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font(family, "B", 12)
    document.cell(0, 7, _("Total"), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    for label, value in _money_lines(result):
        document.cell(widths[0] + widths[1] + widths[2], 6, label)
        document.cell(widths[3], 6, value, new_x="LMARGIN", new_y="NEXT")
    if result.check is not None:
        for warning in result.check.warnings:
            document.ln(2)
            document.multi_cell(0, 6, warning, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def export_file(*, actor, start: date, end: date, fmt: str) -> tuple[Reimbursement, bytes]:
    """The services delivered in the actor's scope as an XLSX, CSV or PDF file, with its audit row."""
    result = reimbursement(actor=actor, start=start, end=end)
    content = {"xlsx": xlsx, "csv": csv, "pdf": pdf}[fmt](result)
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.reimbursement",
        object_id=result.programme.code,
        reason=f"{start}–{end} as {fmt}",
    )
    return result, content

"""The dashboard's charts (drawn once, for the page and the PDF) and its exports: PDF, XLSX and CSV."""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.pdf import issued_by, new_document
from approdi.core.spreadsheets import csv_writer, new_workbook
from approdi.reports.common.charts import Bar, Chart, Progress, bar_chart, column_chart, number, progress_chart

from .selectors import Dashboard, dashboard

NATIONALITIES_IN_CHART = 12


def charts(result: Dashboard) -> dict[str, Chart]:
    """Every chart of the dashboard, keyed by section: the page and the PDF both call this, once each."""
    drawn: dict[str, Chart] = {}
    drawn["targets"] = progress_chart(
        chart_id="chart-targets",
        title=_("Results against targets"),
        rows=[Progress(row.label, row.result.value, row.target) for row in result.targets if row.target],
    )
    monthly = result.monthly
    for n, measure in enumerate(monthly.columns):
        drawn[f"monthly-{measure.code}"] = column_chart(
            chart_id=f"chart-monthly-{measure.code}",
            title=_("%(measure)s per month") % {"measure": measure.label},
            bars=[Bar(f"{row.code[5:7]}/{row.code[2:4]}", row.cells[n].value) for row in monthly.rows],
        )
    for table in result.breakdowns:
        column = table.chart_column
        rows = table.rows
        chart_title = _("%(measure)s, %(breakdown)s") % {
            "measure": table.columns[column].label,
            "breakdown": table.title.lower(),
        }
        if table.key == "nationality" and len(rows) > NATIONALITIES_IN_CHART:
            rows = sorted(rows, key=lambda r: -r.cells[column].value)[:NATIONALITIES_IN_CHART]
            chart_title = _("%(title)s: the %(count)s largest") % {"title": chart_title, "count": len(rows)}
        drawn[table.key] = bar_chart(
            chart_id=f"chart-{table.key}",
            title=chart_title,
            bars=[Bar(row.label, row.cells[column].value) for row in rows],
        )
    drawn["occupancy"] = bar_chart(
        chart_id="chart-occupancy",
        title=_("Occupancy rate by type of structure"),
        bars=[Bar(row["label"], row["rate"] or 0) for row in result.occupancy if row["capacity_nights"]],
        suffix="%",
    )
    return drawn


@dataclass
class Sheet:
    """One table of the exports: column codes (for the CSV) and labels (for people), rows of values."""

    key: str
    title: str
    codes: list[str]
    labels: list[str]
    rows: list[tuple[str, str, list]]  # (code, label, values)
    heading: str = ""  # the header of the rows' labels


def sheets(result: Dashboard) -> list[Sheet]:
    total = _("Total")
    targets = Sheet(
        "targets",
        _("Targets and results"),
        ["result", "target", "percent"],
        [_("Result"), _("Target"), _("Progress (%)")],
        [
            (row.indicator, row.label, [row.result.value, row.target or "", row.percent if row.target else ""])
            for row in result.targets
        ],
        _("Indicator"),
    )
    found = [targets]
    tables = [result.monthly, *result.breakdowns, *([result.training] if result.training else [])]
    for table in tables:
        found.append(
            Sheet(
                table.key,
                table.title,
                [m.code for m in table.columns],
                [str(m.label) for m in table.columns],
                [(row.code or "", row.label, [c.value for c in row.cells]) for row in table.rows]
                + [("total", total, [c.value for c in table.totals])],
                table.heading,
            )
        )
    found.append(
        Sheet(
            "occupancy",
            _("Occupancy by type of structure"),
            ["people", "bed_nights", "capacity_nights", "rate"],
            [_("People hosted"), _("Bed-nights"), _("Available bed-nights"), _("Occupancy rate (%)")],
            [
                (
                    row["type"],
                    row["label"],
                    [
                        row["people"].value,
                        row["bed_nights"],
                        row["capacity_nights"],
                        "" if row["rate"] is None else row["rate"],
                    ],
                )
                for row in result.occupancy
            ],
            _("Type of structure"),
        )
    )
    found.append(
        Sheet(
            "capacity",
            _("Reception capacity on %(day)s") % {"day": date_format(result.end, "SHORT_DATE_FORMAT")},
            ["structures", "beds"],
            [_("Structures"), _("Beds")],
            [(row["type"], row["label"], [row["structures"], row["beds"]]) for row in result.capacity]
            + [("total", total, [result.capacity_total["structures"], result.capacity_total["beds"]])],
            _("Type of structure"),
        )
    )
    return found


def title(result: Dashboard) -> str:
    return _("Dashboard of %(programme)s, %(start)s – %(end)s") % {
        "programme": result.programme.code,
        "start": date_format(result.start, "SHORT_DATE_FORMAT"),
        "end": date_format(result.end, "SHORT_DATE_FORMAT"),
    }


def scope_line(result: Dashboard) -> str:
    if result.network_wide:
        return _("Records of every organisation of the programme.")
    return _("Records of %(organisations)s only.") % {"organisations": ", ".join(result.organisations)}


def xlsx(result: Dashboard) -> bytes:
    book = new_workbook()
    book.remove(book.active)
    for sheet in sheets(result):
        page = book.create_sheet(sheet.key[:31])
        page.append([sheet.title])
        page.append([_("Code"), sheet.heading, *sheet.labels])
        for code, label, values in sheet.rows:
            page.append([code, label, *values])
    info = book.create_sheet("info", 0)
    info.append([title(result)])
    info.append([scope_line(result)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(result: Dashboard) -> str:
    """Every table in one long CSV: table, code (as in DESIGN.md §9), item, measure, value; named for people."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([_("Programme"), _("From"), _("To"), _("Table"), _("Code"), _("Item"), _("Measure"), _("Value")])
    head = [result.programme.code, result.start.isoformat(), result.end.isoformat()]
    for sheet in sheets(result):
        for code, label, values in sheet.rows:
            for measure, value in zip(sheet.labels, values, strict=True):
                writer.writerow([*head, sheet.title, code, label, measure, value])
    return buffer.getvalue()


@contextmanager
def _quiet_svg_parser():
    """fpdf2 logs that it skips <title> and <desc>: they are there for screen readers, on purpose."""
    logger = logging.getLogger("fpdf.svg")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _size(document, chart: Chart) -> tuple[float, float]:
    """Width and height on the page (mm): 0.28 mm per SVG pixel, narrower when the chart is wider than the page."""
    width = min(document.w - document.l_margin - document.r_margin, chart.width * 0.28)
    return width, width * chart.height / chart.width


def _chart(document, chart: Chart) -> None:
    width, height = _size(document, chart)
    if document.get_y() + height > document.h - document.b_margin:
        document.add_page()
    with _quiet_svg_parser():
        document.image(
            io.BytesIO(chart.svg.encode()),
            x=document.l_margin,
            y=document.get_y(),
            w=width,
            h=height,
            title=chart.title,
            alt_text=chart.description,
        )
    document.set_y(document.get_y() + height + 3)


def _table(document, family: str, sheet: Sheet) -> None:
    document.set_font(family, "", 9)
    widths = [60, *([max(16, 130 // max(len(sheet.labels), 1))] * len(sheet.labels))]
    with document.table(
        col_widths=widths, text_align=["LEFT", *(["RIGHT"] * len(sheet.labels))], width=sum(widths)
    ) as table:
        header = table.row()
        for text in [sheet.heading, *sheet.labels]:
            header.cell(str(text))
        for _code, label, values in sheet.rows:
            row = table.row()
            row.cell(str(label))
            for value in values:
                row.cell(number(value) if isinstance(value, int | float) else str(value))
    document.ln(3)


def _heading(document, family: str, text: str, *, then: Chart | None = None) -> None:
    """A section's title, kept on the page of what follows it (its chart, or a few rows of its table)."""
    following = (_size(document, then)[1] if then is not None else 0) + 25
    if document.get_y() + following > document.h - document.b_margin:
        document.add_page()
    document.ln(3)
    document.set_font(family, "B", 13)
    document.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def pdf(result: Dashboard, drawn: dict[str, Chart]) -> bytes:
    """The dashboard on A4: each section's chart (the page's own SVG) followed by its figures."""
    document, family = new_document(title(result), **issued_by(result.programme))
    document.set_font(family, "B", 16)
    document.multi_cell(0, 9, title(result), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    document.multi_cell(0, 6, scope_line(result), new_x="LMARGIN", new_y="NEXT")
    by_key = {sheet.key: sheet for sheet in sheets(result)}
    with_targets = any(row.target for row in result.targets)
    _heading(document, family, by_key["targets"].title, then=drawn["targets"] if with_targets else None)
    if with_targets:
        _chart(document, drawn["targets"])
    _table(document, family, by_key["targets"])
    _heading(document, family, result.monthly.title)
    _table(document, family, by_key["monthly"])
    for measure in result.monthly.columns:
        _chart(document, drawn[f"monthly-{measure.code}"])
    for table in result.breakdowns:
        _heading(document, family, table.title, then=drawn[table.key])
        _chart(document, drawn[table.key])
        _table(document, family, by_key[table.key])
        if table.note:
            document.set_font(family, "", 8)
            document.multi_cell(0, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    if result.training is not None:
        _heading(document, family, result.training.title)
        _table(document, family, by_key["training"])
        document.set_font(family, "", 8)
        document.multi_cell(0, 4, result.training.note, new_x="LMARGIN", new_y="NEXT")
    _heading(document, family, by_key["occupancy"].title, then=drawn["occupancy"])
    _chart(document, drawn["occupancy"])
    _table(document, family, by_key["occupancy"])
    _heading(document, family, by_key["capacity"].title)
    _table(document, family, by_key["capacity"])
    return bytes(document.output())


def export_file(*, actor, start: date, end: date, fmt: str) -> tuple[Dashboard, bytes | str]:
    """The dashboard of the actor's scope as a PDF, XLSX or CSV file, with its audit row."""
    result = dashboard(actor=actor, start=start, end=end)
    if fmt == "pdf":
        content: bytes | str = pdf(result, charts(result))
    elif fmt == "xlsx":
        content = xlsx(result)
    else:
        content = csv_text(result)
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.dashboard",
        object_id=result.programme.code,
        reason=f"{start}–{end} as {fmt}",
    )
    return result, content

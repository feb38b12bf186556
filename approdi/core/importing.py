"""All-or-nothing imports of CSV and XLSX files (DESIGN.md §9, "Import formats").

A file is read whole, every row is validated, and only when no row has an error are the rows
written, in one transaction. Errors name the spreadsheet row (the header is row 1) and column.
Each kind of import registers an ``Importer`` with its columns, a row validator and a writer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 5 * 1024 * 1024
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class RowContext:
    """What a row validator needs: the row, its number, and where to put its errors."""

    number: int
    values: dict[str, str]
    errors: list[RowError]
    options: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            self.error(column, _("this column is required"))
        return value

    def choice(self, column: str, choices, *, required: bool = True, default: str = "") -> str:
        value = self.text(column, required=required).lower()
        if not value:
            return default
        allowed = [str(c) for c in choices]
        if value not in allowed:
            self.error(
                column, _("'%(value)s' is not one of: %(allowed)s") % {"value": value, "allowed": ", ".join(allowed)}
            )
            return default
        return value

    def date(self, column: str, *, required: bool = True) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        self.error(column, _("'%(value)s' is not a date (use YYYY-MM-DD or DD/MM/YYYY)") % {"value": value})
        return None

    def integer(
        self, column: str, *, required: bool = True, minimum: int | None = None, default: int | None = None
    ) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            self.error(column, _("'%(value)s' is not a whole number") % {"value": value})
            return default
        if minimum is not None and number < minimum:
            self.error(column, _("must be at least %(minimum)s") % {"minimum": minimum})
            return default
        return number

    def lookup(self, column: str, table: dict[str, Any], *, required: bool = True, label: str = "") -> Any:
        value = self.text(column, required=required)
        if not value:
            return None
        found = table.get(value.lower())
        if found is None:
            self.error(column, _("unknown %(what)s '%(value)s'") % {"what": label or column, "value": value})
        return found


@dataclass(frozen=True)
class Importer:
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    # Builds lookup tables once per file (codes of organisations, areas, ...).
    prepare: Callable[[dict[str, Any]], dict[str, Any]]
    # Validates one row into a plain value; records errors on the context.
    validate: Callable[[RowContext], Any]
    # Writes every validated value; runs inside the import's transaction.
    write: Callable[[list[Any], dict[str, Any]], int]
    # Records that belong to a programme (contacts, referrals, placements) need one named.
    needs_programme: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def read_table(content: bytes, filename: str) -> list[list[str]]:
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFailed(
            [RowError(0, "", _("the file is larger than %(mb)s MB") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})]
        )
    if Path(filename).suffix.lower() == ".xlsx":
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(0, "", _("the file is not UTF-8 text (save it as CSV UTF-8 or XLSX)"))]) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise ImportFailed([RowError(0, "", _("the file is not a valid XLSX workbook"))]) from None
    rows = []
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        cells = []
        for cell in row:
            if cell is None:
                cells.append("")
            elif isinstance(cell, datetime):
                cells.append(cell.date().isoformat())
            elif isinstance(cell, date):
                cells.append(cell.isoformat())
            elif isinstance(cell, float) and cell.is_integer():
                cells.append(str(int(cell)))
            else:
                cells.append(str(cell))
        rows.append(cells)
    return rows


def run_import(kind: str, content: bytes, filename: str, *, dry_run: bool = False, options: dict | None = None) -> int:
    """Validates the whole file and writes it only when every row is valid. Returns rows written."""
    importer = REGISTRY[kind]
    options = dict(options or {})
    if importer.needs_programme and options.get("programme") is None:
        raise ImportFailed([RowError(0, "", _("this kind of import needs a programme"))])
    table = [row for row in read_table(content, filename) if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFailed([RowError(1, "", _("the file is empty"))])
    header = [cell.strip().lower() for cell in table[0]]
    missing = [c for c in importer.required if c not in header]
    unknown = [c for c in header if c and c not in importer.columns]
    errors = [RowError(1, c, _("required column is missing")) for c in missing]
    errors += [RowError(1, c, _("unknown column")) for c in unknown]
    if errors:
        raise ImportFailed(errors)
    if len(table) == 1:
        raise ImportFailed([RowError(2, "", _("the file has no rows under the header"))])
    lookups = importer.prepare(options)
    values = []
    for number, row in enumerate(table[1:], start=2):
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        context = RowContext(number=number, values=cells, errors=errors, options={**options, **lookups})
        before = len(errors)
        value = importer.validate(context)
        if len(errors) == before:
            values.append(value)
    if errors:
        raise ImportFailed(errors)
    if dry_run:
        return len(values)
    with transaction.atomic():
        return importer.write(values, {**options, **lookups})


def template_csv(kind: str) -> str:
    return ",".join(REGISTRY[kind].columns) + "\n"

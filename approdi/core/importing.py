"""All-or-nothing imports of CSV and XLSX files (DESIGN.md §9, "Import formats").

A file is read whole, every row is validated, and only when no row has an error are the rows
written, in one transaction. Errors name the spreadsheet row (the header is row 1) and column.
Each kind of import registers an ``Importer`` with its columns, a row validator and a writer (in its
app's ``ready()``); ``approdi.network.imports.run_import`` runs one, audited.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .spreadsheets import FORMULA_START, NUMBER

# 100,000 contacts are about 7 MB of CSV. A workbook is a zip: it is refused when its members would
# inflate beyond MAX_XLSX_UNCOMPRESSED, or any large member more than MAX_XLSX_RATIO times (a zip bomb).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_ROWS = 200_000
MAX_COLUMNS = 50
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
        if "\x00" in value:
            self.error(column, _("contains a NUL character"))
            return ""
        if required and not value:
            self.error(column, _("this column is required"))
        return value

    def name(self, column: str, *, required: bool = True, max_length: int = 200) -> str:
        """A name or other free text that later exports print: never one a spreadsheet would run as a formula.

        Refused rather than quoted: a quote added here would become part of the stored name.
        """
        value = self.text(column, required=required)
        if value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
            self.error(
                column,
                _("starts with '%(char)s', which spreadsheets run as a formula: remove it") % {"char": value[0]},
            )
        elif len(value) > max_length:
            self.error(column, _("at most %(max)s characters") % {"max": max_length})
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


def refused(message: str) -> ImportFailed:
    return ImportFailed([RowError(0, "", message)])


def read_table(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """The rows that hold something, as (spreadsheet row number, cells), within the limits above."""
    if len(content) > MAX_IMPORT_BYTES:
        raise refused(_("the file is larger than %(mb)s MB") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if Path(filename).suffix.lower() == ".xlsx":
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(_("the file is not UTF-8 text (save it as CSV UTF-8 or XLSX)")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if any(cell.strip() for cell in row):
                _within_limits(len(rows) + 1, len(row))
                rows.append((number, row))
    except csv.Error as error:
        raise refused(_("the file is not valid CSV (%(error)s)") % {"error": error}) from None
    return rows


def _within_limits(rows: int, columns: int) -> None:
    """``rows``: the rows that hold something so far, the header included."""
    if rows > MAX_ROWS + 1:
        raise refused(_("the file has more than %(rows)s rows: split it") % {"rows": f"{MAX_ROWS:,}"})
    if columns > MAX_COLUMNS:
        raise refused(_("the file has more than %(columns)s columns") % {"columns": MAX_COLUMNS})


def _check_zip(content: bytes) -> None:
    """Refuses a workbook that would inflate beyond the limits, before anything decompresses it.

    Python's zipfile never inflates a member beyond the size its header declares, so the declared
    sizes are a bound on the work openpyxl can be made to do.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise refused(_("the file is not a valid XLSX workbook")) from None
    total = sum(member.file_size for member in members)
    inflated = any(
        member.file_size > 1024 * 1024 and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_XLSX_UNCOMPRESSED or inflated:
        raise refused(
            _("the workbook expands to more than %(mb)s MB or is compressed suspiciously: save it again or as CSV")
            % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )


def _open_sheet(content: bytes, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
        return workbook.worksheets[0]
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise refused(_("the file is not a valid XLSX workbook")) from None


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    _check_zip(content)
    sheet = _open_sheet(content, data_only=False)
    rows: list[tuple[int, list[str]]] = []
    formulas: list[tuple[int, int]] = []
    # Read-only sheets give every row from the first, empty ones too: the index is the row number.
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        filled = [c for c in row if c.value is not None]
        if filled:  # rows only formatted, down to the millionth, cost nothing to keep
            _within_limits(len(rows) + 1, len(filled))
            rows.append((number, [_cell_text(c.value) for c in row]))
            formulas += [(number, index) for index, c in enumerate(row) if c.data_type == "f"]
    if formulas:
        _use_cached_values(content, rows, set(formulas))
    return rows


class FormulaWithoutValue(str):
    """A formula cell the file holds no computed value for (saved by a program that does not compute)."""


def _use_cached_values(content: bytes, rows: list[tuple[int, list[str]]], formulas: set[tuple[int, int]]) -> None:
    """Replaces each formula by the value the spreadsheet program computed and saved with it."""
    sheet = _open_sheet(content, data_only=True)
    kept = dict(rows)
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        for index, cell in enumerate(row):
            if (number, index) in formulas:
                kept[number][index] = FormulaWithoutValue("") if cell.value is None else _cell_text(cell.value)


def _filled(cell: str) -> bool:
    return bool(cell.strip()) or isinstance(cell, FormulaWithoutValue)


def validate_file(importer: Importer, content: bytes, filename: str, options: dict) -> tuple[list[Any], dict]:
    """Every row validated, or ImportFailed with every error. Returns the values and the importer's lookups.

    Writing them, once per file, is ``approdi.network.imports.run_import``'s (it audits, so it sits above).
    """
    table = [(n, row) for n, row in read_table(content, filename) if any(_filled(cell) for cell in row)]
    if not table:
        raise ImportFailed([RowError(1, "", _("the file is empty"))])
    header_number, header_row = table[0]
    header = [cell.strip().lower() for cell in header_row]
    missing = [c for c in importer.required if c not in header]
    unknown = [c for c in header if c and c not in importer.columns]
    errors = [RowError(header_number, c, _("required column is missing")) for c in missing]
    errors += [RowError(header_number, c, _("unknown column")) for c in unknown]
    if errors:
        raise ImportFailed(errors)
    if len(table) == 1:
        raise ImportFailed([RowError(header_number + 1, "", _("the file has no rows under the header"))])
    lookups = importer.prepare(options)
    values = []
    for number, row in table[1:]:
        for column, cell in zip(header, row, strict=False):
            if isinstance(cell, FormulaWithoutValue):
                errors.append(
                    RowError(number, column, _("formula without a value: save the file in Excel or LibreOffice first"))
                )
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        context = RowContext(number=number, values=cells, errors=errors, options={**options, **lookups})
        before = len(errors)
        value = importer.validate(context)
        if len(errors) == before:
            values.append(value)
    if errors:
        raise ImportFailed(errors)
    return values, lookups


def template_csv(kind: str) -> str:
    return ",".join(REGISTRY[kind].columns) + "\n"

"""All-or-nothing imports of CSV and XLSX files (DESIGN.md §9, "Import formats").

A file is read and validated a chunk of rows at a time (``Reading``); its rows are written chunk by chunk
in one transaction, which an error in any row undoes: nothing of the file stays. Memory holds a chunk,
not the file's rows. Errors name the spreadsheet row (the header is row 1) and column.
Each kind of import registers an ``Importer`` with its columns, a row validator and a writer (in its
app's ``ready()``); ``approdi.network.imports.run_import`` runs one, audited.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .spreadsheets import FORMULA_START, NUMBER

# A file is limited in rows (settings.APPRODI_IMPORT_MAX_ROWS, 200,000 unless set) and in bytes by as many rows
# of BYTES_PER_ROW: a contact with every column is 70-75 bytes (7.2 MB for 100,000), a referral with notes more.
# A workbook is a zip: it is refused when its members would inflate beyond MAX_XLSX_UNCOMPRESSED, or any large
# member more than MAX_XLSX_RATIO times (a zip bomb).
BYTES_PER_ROW = 160
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_COLUMNS = 50
# Rows validated, built and written at a time; errors kept before the rest of a file goes unchecked.
CHUNK_ROWS = 2_000
MAX_ERRORS = 1_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def max_rows() -> int:
    return settings.APPRODI_IMPORT_MAX_ROWS


def max_bytes() -> int:
    return max_rows() * BYTES_PER_ROW


def limits_text() -> str:
    """The limits in words, for the import page and the command's help."""
    return _("at most %(rows)s rows and %(mb)s MB (CSV or XLSX)") % {
        "rows": f"{max_rows():,}",
        "mb": f"{max_bytes() / 1_000_000:.0f}",
    }


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
        if value in choices:
            return value
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
        quick = quick_date(value)
        if quick is not None:
            return quick
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

    def lookup(self, column: str, table: dict[str, Any], *, required: bool = True, label: str | Promise = "") -> Any:
        value = self.text(column, required=required)
        if not value:
            return None
        found = table.get(value.lower())
        if found is None:
            self.error(column, _("unknown %(what)s '%(value)s'") % {"what": label or column, "value": value})
        return found


def quick_date(value: str) -> date | None:
    """A date written in full in one of DATE_FORMATS (2024-03-01, 01/03/2024), read without ``strptime``'s
    machinery; None for anything else, which ``strptime`` then reads or refuses."""
    if len(value) != 10:
        return None
    if value[4] == "-" and value[7] == "-":
        year, month, day = value[:4], value[5:7], value[8:]
    elif value[2] == "/" and value[5] == "/":
        year, month, day = value[6:], value[3:5], value[:2]
    else:
        return None
    digits = year + month + day
    if not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class Importer:
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    # Builds lookup tables once per file (codes of organisations, areas, ...).
    prepare: Callable[[dict[str, Any]], dict[str, Any]]
    # Validates one row into a plain value; records errors on the context.
    validate: Callable[[RowContext], Any]
    # Writes validated values; runs inside the import's transaction.
    write: Callable[[list[Any], dict[str, Any]], int]
    # Records that belong to a programme (contacts, referrals, placements) need one named.
    needs_programme: bool = False
    # Written a chunk at a time (large files of independent rows); otherwise the whole file's values at once.
    chunked: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def refused(message: str) -> ImportFailed:
    return ImportFailed([RowError(0, "", message)])


def read_rows(source: BinaryIO, filename: str) -> Iterator[tuple[int, list[str]]]:
    """The rows that hold something, as (spreadsheet row number, cells), one at a time, within the limits above."""
    source.seek(0, io.SEEK_END)
    if source.tell() > max_bytes():
        raise refused(_("the file is larger than %(mb)s MB") % {"mb": f"{max_bytes() / 1_000_000:.0f}"})
    source.seek(0)
    if Path(filename).suffix.lower() == ".xlsx":
        return _read_xlsx(source)
    # A count first (a fraction of a second for 100,000 rows): a file over the limit is refused before any row
    # is checked. A workbook's rows are counted as they are read: its count would cost a second reading.
    for _row in _read_csv(source):
        pass
    source.seek(0)
    return _read_csv(source)


def _read_csv(source: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        count = 0
        for number, row in enumerate(csv.reader(text, dialect), start=1):
            if any(cell.strip() for cell in row):
                count += 1
                _within_limits(count, len(row))
                yield number, row
    except UnicodeDecodeError:
        raise refused(_("the file is not UTF-8 text (save it as CSV UTF-8 or XLSX)")) from None
    except csv.Error as error:
        raise refused(_("the file is not valid CSV (%(error)s)") % {"error": error}) from None
    finally:
        if not source.closed:
            text.detach()  # the caller's file stays open


def _within_limits(rows: int, columns: int) -> None:
    """``rows``: the rows that hold something so far, the header included."""
    if rows > max_rows() + 1:
        raise refused(_("the file has more than %(rows)s rows: split it") % {"rows": f"{max_rows():,}"})
    if columns > MAX_COLUMNS:
        raise refused(_("the file has more than %(columns)s columns") % {"columns": MAX_COLUMNS})


def _check_zip(source: BinaryIO) -> None:
    """Refuses a workbook that would inflate beyond the limits, before anything decompresses it.

    Python's zipfile never inflates a member beyond the size its header declares, so the declared
    sizes are a bound on the work openpyxl can be made to do.
    """
    try:
        members = zipfile.ZipFile(source).infolist()
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


def _open_sheet(source: BinaryIO, *, data_only: bool):
    from openpyxl import load_workbook

    try:
        source.seek(0)
        workbook = load_workbook(source, read_only=True, data_only=data_only)
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


def _read_xlsx(source: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    _check_zip(source)
    source.seek(0)
    content = source.read()  # a workbook is compressed: its bytes are few beside the rows they hold
    sheet = _open_sheet(io.BytesIO(content), data_only=False)
    # The values a spreadsheet program computed and saved with its formulas: a second reading of the same
    # sheet, opened at the first formula and moved on in step with the first (rows come in order).
    computed: Iterator[tuple[int, Any]] | None = None
    count = 0
    # Read-only sheets give every row from the first, empty ones too: the index is the row number.
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        filled = [c for c in row if c.value is not None]
        if not filled:  # rows only formatted, down to the millionth, cost nothing to skip
            continue
        count += 1
        _within_limits(count, len(filled))
        cells = [_cell_text(c.value) for c in row]
        formulas = [index for index, c in enumerate(row) if c.data_type == "f"]
        if formulas:
            if computed is None:
                values = _open_sheet(io.BytesIO(content), data_only=True)
                computed = enumerate(values.iter_rows(max_col=MAX_COLUMNS + 1), start=1)
            cached = next((r for n, r in computed if n == number), ())
            for index in formulas:
                value = cached[index].value if index < len(cached) else None
                cells[index] = FormulaWithoutValue("") if value is None else _cell_text(value)
        yield number, cells


class FormulaWithoutValue(str):
    """A formula cell the file holds no computed value for (saved by a program that does not compute)."""


def _filled(cell: str) -> bool:
    return bool(cell.strip()) or isinstance(cell, FormulaWithoutValue)


class Reading:
    """A file read and validated a chunk of rows at a time: the header now, the rows as ``chunks`` is iterated.

    Header errors, an empty file or one without rows refuse it here. A row's errors go to ``errors`` and the row is
    left out; the caller writes nothing once there is one, and keeps reading to report the others, up to
    MAX_ERRORS. ``lookups`` are the importer's (``prepare``), built once per file.
    """

    def __init__(self, importer: Importer, source: BinaryIO, filename: str, options: dict):
        self.importer, self.options = importer, options
        # A CSV's rows come without the empty ones; a workbook's may hold formulas, and cells of spaces.
        self.workbook = Path(filename).suffix.lower() == ".xlsx"
        rows = read_rows(source, filename)
        self.rows = (item for item in rows if any(_filled(cell) for cell in item[1])) if self.workbook else rows
        self.errors: list[RowError] = []
        self.count = 0  # rows validated without an error
        first = next(self.rows, None)
        if first is None:
            raise ImportFailed([RowError(1, "", _("the file is empty"))])
        number, header_row = first
        self.header = [cell.strip().lower() for cell in header_row]
        missing = [c for c in importer.required if c not in self.header]
        unknown = [c for c in self.header if c and c not in importer.columns]
        errors = [RowError(number, c, _("required column is missing")) for c in missing]
        errors += [RowError(number, c, _("unknown column")) for c in unknown]
        if errors:
            raise ImportFailed(errors)
        self.next_row = next(self.rows, None)
        if self.next_row is None:
            raise ImportFailed([RowError(number + 1, "", _("the file has no rows under the header"))])
        self.lookups = importer.prepare(options)

    def chunks(self, size: int | None = None) -> Iterator[list[Any]]:
        """The valid rows' values, ``size`` rows (CHUNK_ROWS) read at a time (fewer where rows had errors)."""
        size = size or CHUNK_ROWS
        rows = itertools.chain([self.next_row], self.rows) if self.next_row is not None else self.rows
        self.next_row = None
        context_options = {**self.options, **self.lookups}
        while batch := list(itertools.islice(rows, size)):
            values = []
            for number, row in batch:
                before = len(self.errors)
                value = self._validate(number, row, context_options)
                if len(self.errors) == before:
                    values.append(value)
            self.count += len(values)
            yield values
            if len(self.errors) >= MAX_ERRORS:
                self.errors.append(
                    RowError(
                        batch[-1][0],
                        "",
                        _("more than %(count)s errors: the rest of the file was not checked")
                        % {"count": f"{MAX_ERRORS:,}"},
                    )
                )
                return

    def _validate(self, number: int, row: list[str], options: dict) -> Any:
        errors = self.errors
        for column, cell in zip(self.header, row, strict=False) if self.workbook else ():
            if isinstance(cell, FormulaWithoutValue):
                errors.append(
                    RowError(number, column, _("formula without a value: save the file in Excel or LibreOffice first"))
                )
        cells = dict(zip(self.header, (cell.strip() for cell in row), strict=False))
        return self.importer.validate(RowContext(number=number, values=cells, errors=errors, options=options))


def template_csv(kind: str) -> str:
    return ",".join(REGISTRY[kind].columns) + "\n"

"""Every CSV and XLSX the application writes goes through here, so that no cell runs as a formula.

Text from users (a referring body, an organisation's name) can start with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return; Excel and LibreOffice then evaluate it as a formula (``=HYPERLINK(…)`` sends
the reader's data away). OWASP's rule: such a text cell gets a leading single quote, which spreadsheet
programs show as text. Numbers stay numeric cells, and a text that is only a number (``-12``, ``+3.5``)
is left alone: it cannot be a formula.

Use ``csv_writer`` instead of ``csv.writer`` and ``new_workbook`` instead of ``openpyxl.Workbook``;
``tests/security/test_formula_injection.py`` checks that nothing else builds either.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """The value, with a quote before a text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


class _SafeCsvWriter:
    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> _SafeCsvWriter:
    """``csv.writer`` whose rows are neutralised."""
    return _SafeCsvWriter(stream, **kwargs)


class _SafeSheet(Worksheet):
    def append(self, iterable):
        return super().append(safe_row(iterable))


class _SafeWriteOnlySheet(WriteOnlyWorksheet):
    def append(self, row):
        return super().append(safe_row(row))


class _SafeWorkbook(Workbook):
    def __init__(self, write_only: bool = False):
        super().__init__(write_only=write_only)
        if not write_only:
            self._sheets[0] = _SafeSheet(self)

    def create_sheet(self, title=None, index=None):
        sheet = (_SafeWriteOnlySheet if self.write_only else _SafeSheet)(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook(*, write_only: bool = False) -> Workbook:
    """``openpyxl.Workbook`` whose sheets neutralise every appended row (write rows with ``append``)."""
    return _SafeWorkbook(write_only=write_only)

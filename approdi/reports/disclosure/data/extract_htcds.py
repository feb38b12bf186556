"""Extracts HTCDS 2.0's field names and code lists into htcds_2_0.json (beside this script).

    .venv/bin/python approdi/reports/disclosure/data/extract_htcds.py ../shared/standards/htcds

Reads the standard's two files, unchanged copies published by IOM under CC BY 4.0:
- ``HTCDS-Field-Standards-2.0.ods``: every field, its prefix, type and allowed codes (the source of
  truth here). An .ods file is a zip holding ``content.xml``: read with the standard library.
- ``HTCDS-Excel-Spreadsheet-v2.0.xlsx``: the toolkit's data-entry template; only its header row is
  kept, as the column order of a flat case file.

The output is versioned with the code: re-run this script only when a new version of the standard
is adopted, and review the diff (tests/reports/test_htcds.py checks the file against the sources
whenever they are present).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ODS = "HTCDS-Field-Standards-2.0.ods"
XLSX = "HTCDS-Excel-Spreadsheet-v2.0.xlsx"
OUTPUT = Path(__file__).with_name("htcds_2_0.json")
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
COLUMNS = [
    "section",
    "status",
    "core",
    "prefix",
    "field",
    "label",
    "name",
    "type",
    "salesforce",
    "values",
    "value_labels",
    "description",
    "notes",
]
# Value lists that point to another standard instead of listing codes.
EXTERNAL = {"ISO 3166": "ISO 3166-1 alpha-2", "ISO 639-2": "ISO 639-2"}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _cell_text(cell) -> str:
    return "\n".join("".join(p.itertext()) for p in cell.iter(f"{TEXT}p"))


def ods_rows(path: Path) -> list[list[str]]:
    root = ElementTree.fromstring(zipfile.ZipFile(path).read("content.xml"))  # noqa: S314 - the standard's own file
    rows = []
    for row in root.iter(f"{TABLE}table-row"):
        cells: list[str] = []
        for cell in row.iter(f"{TABLE}table-cell"):
            repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
            cells.extend([_cell_text(cell)] * min(repeat, len(COLUMNS)))
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            rows.append(cells[: len(COLUMNS)] + [""] * (len(COLUMNS) - len(cells)))
    return rows


def _codes(values: str, labels: str) -> tuple[list[str] | None, str | None]:
    for key, standard in EXTERNAL.items():
        if key in values or key in labels:
            return None, standard
    codes = [_clean(v) for v in values.split("\n") if _clean(v)]
    return (codes or None), None


def fields(path: Path) -> list[dict]:
    rows = ods_rows(path)
    if rows[0][:7] != [
        "Section",
        "Status",
        "Core",
        "Field Name Prefix",
        "Field Name",
        "Field Label",
        "Field Name including Prefix",
    ]:
        raise SystemExit(f"{path.name}: unexpected header {rows[0]}")
    found, section = [], ""
    for cells in rows[1:]:
        row = dict(zip(COLUMNS, cells, strict=True))
        if row["section"] and not row["prefix"]:
            section = _clean(row["section"])
            continue
        name = _clean(row["name"]) or (_clean(row["prefix"]) + _clean(row["field"]))
        if not re.fullmatch(r"[a-z]{3}_[A-Za-z]+", name):  # example questions of the assessment sections
            continue
        codes, standard = _codes(row["values"], row["value_labels"])
        labels = [_clean(v) for v in row["value_labels"].split("\n") if _clean(v)] if codes else None
        found.append(
            {
                "name": name,
                "prefix": _clean(row["prefix"]),
                "section": section,
                "label": _clean(row["label"]),
                "type": _clean(row["type"]),
                "status": _clean(row["status"]),
                "core": _clean(row["core"]) == "Core",
                "codes": codes,
                "code_labels": labels,
                "code_standard": standard,
            }
        )
    return found


def template_columns(path: Path) -> list[str]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    return [str(v).strip() for v in header if v]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract(directory: Path) -> dict:
    ods, xlsx = directory / ODS, directory / XLSX
    return {
        "standard": "Human Trafficking Case Data Standard (HTCDS)",
        "version": "2.0",
        "published": "2021-12-24",
        "publisher": "International Organization for Migration (IOM)",
        "licence": "CC BY 4.0 (http://creativecommons.org/licenses/by/4.0/); use implies no endorsement by IOM",
        "sources": {ODS: _digest(ods), XLSX: _digest(xlsx)},
        "fields": fields(ods),
        # The toolkit template's header, as published (it spells one field vic_TraffickinStatusDecisionMakingOrg).
        "template_columns": template_columns(xlsx),
    }


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    data = extract(Path(argv[1]))
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {OUTPUT} ({len(data['fields'])} fields)")


if __name__ == "__main__":
    main(sys.argv)

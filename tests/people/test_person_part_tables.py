"""The phone's copy of the normalisation rule carries Python's Unicode tables (approdi.people.phone_tables)."""

from pathlib import Path

from approdi.people import phone_tables

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "approdi" / "person-part.js"


def test_the_scripts_tables_are_pythons():
    text = SCRIPT.read_text()
    start = text.index(phone_tables.BEGIN)
    end = text.index(phone_tables.END) + len(phone_tables.END)
    found = "\n".join(line.strip() for line in text[start:end].splitlines())
    assert found == phone_tables.tables(), "regenerate with: python -m approdi.people.phone_tables"

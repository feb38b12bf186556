"""A4 documents in Bootstrap Italia's Titillium Web (its latin-ext subset covers the names we meet)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from fpdf import FPDF


def _font(weight: str) -> str:
    found = finders.find(f"fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-{weight}.ttf")
    return str(found) if found else ""


def new_document(title: str) -> tuple[FPDF, str]:
    """A document with one page started, and the font family to write in (Helvetica if the theme's is missing)."""
    document = FPDF(format="A4")
    document.set_title(title)
    document.set_creator("Approdi")
    regular, bold = _font("regular"), _font("700")
    family = "Helvetica"
    if regular and bold:
        document.add_font("Titillium", "", regular)
        document.add_font("Titillium", "B", bold)
        family = "Titillium"
    document.add_page()
    return document, family

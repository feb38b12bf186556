"""A4 documents in Bootstrap Italia's Titillium Web (its latin-ext subset covers the names we meet).

Every page carries the issuer's letterhead (its logo when one is configured, its name, a line under
them) and a footer with the page number out of the total ("Pagina 1 di 3"), so that a printed page
is never separated from what it belongs to.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from fpdf import FPDF

logger = logging.getLogger(__name__)
LOGO_HEIGHT = 14  # mm


def _font(weight: str) -> str:
    found = finders.find(f"fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-{weight}.ttf")
    return str(found) if found else ""


class Document(FPDF):
    """An FPDF page with a letterhead at the top and "Page n of N" at the bottom of every page."""

    family = "Helvetica"
    issuer = ""
    subtitle = ""
    logo = ""
    footer_text = ""

    def header(self) -> None:
        if not (self.issuer or self.logo):
            return
        top = self.get_y()
        left = self.l_margin
        if self.logo:
            try:
                drawn = self.image(self.logo, x=left, y=top, h=LOGO_HEIGHT)
                left += drawn.rendered_width + 4
            except Exception:  # a broken logo file must not stop the report: it is printed without it
                logger.warning("the report logo %s could not be drawn", self.logo, exc_info=True)
                self.logo = ""
        self.set_xy(left, top)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 6, self.issuer, align="L", new_x="LEFT", new_y="NEXT")
        if self.subtitle:
            self.set_font(self.family, "", 9)
            self.multi_cell(0, 4.5, self.subtitle, align="L", new_x="LEFT", new_y="NEXT")
        bottom = max(self.get_y(), top + (LOGO_HEIGHT if self.logo else 0)) + 2
        self.set_draw_color(0, 102, 204)
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_draw_color(0, 0, 0)
        self.set_xy(self.l_margin, bottom + 4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        if self.footer_text:
            self.cell(self.epw * 0.7, 5, self.footer_text)
        self.set_x(self.w - self.r_margin - self.epw * 0.3)
        pages = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(self.epw * 0.3, 5, pages, align="R")
        self.set_text_color(0, 0, 0)


def logo_of(programme) -> str:
    """The configured logo for the programme's lead entity: ``APPRODI_REPORT_LOGO`` is a file, or a folder of them."""
    configured = settings.APPRODI_REPORT_LOGO
    if not configured:
        return ""
    path = Path(configured)
    if path.is_dir():
        lead = programme.lead_organisation
        found = [path / f"{lead.code}.{suffix}" for suffix in ("png", "jpg", "jpeg")] if lead else []
        return next((str(p) for p in found if p.is_file()), "")
    return str(path) if path.is_file() else ""


def issued_by(programme) -> dict[str, str]:
    """The letterhead of a programme's document: its lead entity (and its logo), and the programme under it."""
    lead = programme.lead_organisation
    return {
        "issuer": lead.name if lead else "",
        "subtitle": f"{programme.name} ({programme.code})",
        "logo": logo_of(programme),
    }


def new_document(
    title: str, *, issuer: str = "", subtitle: str = "", logo: str | Path = "", footer: str = ""
) -> tuple[FPDF, str]:
    """A document with one page started, and the font family to write in (Helvetica if the theme's is missing).

    ``issuer`` and ``subtitle`` head every page (with ``logo``, an image file, when given); ``footer`` is written
    at the bottom of every page, left of the page number.
    """
    document = Document(format="A4")
    document.set_title(title)
    document.set_creator("Approdi")
    document.set_auto_page_break(True, margin=18)
    regular, bold = _font("regular"), _font("700")
    if regular and bold:
        document.add_font("Titillium", "", regular)
        document.add_font("Titillium", "B", bold)
        document.family = "Titillium"
    document.issuer, document.subtitle, document.footer_text = issuer, subtitle, footer
    document.logo = str(logo) if logo and Path(logo).is_file() else ""
    document.add_page()
    return document, document.family

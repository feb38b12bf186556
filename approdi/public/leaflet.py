"""The public site's content as a leaflet the street units and the desks hand out: one PDF per language and size.

It is drawn from the texts the coordinators edit (selectors.page_texts), at each request: a changed text is in
the next leaflet printed, with nothing to regenerate by hand. Arabic is shaped and laid out right to left by
HarfBuzz (fpdf2's text shaping); each script is drawn in a font that has its glyphs (fonts/README.md).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

from .languages import HELPLINE, RIGHT_TO_LEFT

FONTS = Path(__file__).resolve().parent / "fonts"

# The script of each language that is not written in the Latin or Cyrillic alphabet: (font file, HarfBuzz script).
SCRIPTS = {
    "ar": ("NotoNaskhArabic-Regular.ttf", "arab"),
    "zh-hans": ("DroidSansFallbackFull.ttf", "hani"),
}
LATIN = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")


@dataclass(frozen=True)
class Size:
    """A leaflet's paper, in mm, and the type sizes that fit it."""

    width: float
    height: float
    margin: float
    title: float
    heading: float
    body: float
    helpline: float
    qr: float


SIZES = {
    "a5": Size(width=148, height=210, margin=10, title=17, heading=12, body=10, helpline=22, qr=30),
    "a6": Size(width=105, height=148, margin=7, title=13, heading=9.5, body=8, helpline=17, qr=24),
}
# What the leaflet says, in this order: the rest of the site (the form, its errors) is for the web.
SECTIONS = [("offer_title", "offer"), ("who_title", "who"), ("safe_title", "safe")]


class _Leaflet(FPDF):
    def __init__(self, *, language: str, size: Size) -> None:
        super().__init__(unit="mm", format=(size.width, size.height))
        self.size = size
        self.rtl = language in RIGHT_TO_LEFT
        self.set_margins(size.margin, size.margin, size.margin)
        self.set_auto_page_break(True, margin=size.margin)
        self.add_font("latin", "", str(FONTS / LATIN[0]))
        self.add_font("latin", "B", str(FONTS / LATIN[1]))
        self.family_name = "latin"
        if language in SCRIPTS:
            font, script = SCRIPTS[language]
            self.add_font("script", "", str(FONTS / font))
            self.add_font("script", "B", str(FONTS / font))  # these fonts have no bold: headings are larger instead
            self.family_name = "script"
            # A digit or a Latin name inside the text is drawn by the Latin font.
            self.set_fallback_fonts(["latin"])
            self.script, self.language = script, language.split("-")[0]
            self._shape()
        self.align = "R" if self.rtl else "L"

    @contextmanager
    def left_to_right(self) -> Iterator[None]:
        """A phone number or an address, read left to right in every language (an Arabic line would turn it round)."""
        if self.text_shaping:
            self.set_text_shaping(False)
            yield
            self._shape()
        else:
            yield

    def _shape(self) -> None:
        direction = "rtl" if self.rtl else "ltr"
        self.set_text_shaping(use_shaping_engine=True, script=self.script, language=self.language, direction=direction)

    def text_block(self, text: str, *, points: float, bold: bool = False, gap: float = 1.5) -> None:
        self.set_font(self.family_name, "B" if bold else "", points)
        self.multi_cell(0, points * 0.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def points_block(self, lines: list[str], *, points: float) -> None:
        """One point a line, each with its bullet on the side the line begins and the words hanging beside it."""
        self.set_font(self.family_name, "", points)
        indent = 4
        width = self.w - self.l_margin - self.r_margin - indent
        for line in lines:
            top = self.get_y()
            bullet_x = self.w - self.r_margin - indent if self.rtl else self.l_margin
            self.set_xy(bullet_x, top)
            self.set_font("latin", "", points)
            self.cell(indent, points * 0.5, "•", align="C")
            self.set_font(self.family_name, "", points)
            self.set_xy(self.l_margin if self.rtl else self.l_margin + indent, top)
            self.multi_cell(width, points * 0.5, line, align=self.align, new_x="LMARGIN", new_y="NEXT")
            self.ln(0.6)
        self.ln(1.5)


def leaflet_pdf(*, language: str, size: str, texts: dict[str, str], address: str) -> bytes:
    """The leaflet in ``language`` at ``size`` ("a5" or "a6"), its QR code leading to ``address`` (the page online)."""
    paper = SIZES[size]
    pdf = _Leaflet(language=language, size=paper)
    pdf.set_title(texts["title"])
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_text_color(0, 64, 128)
    pdf.text_block(texts["title"], points=paper.title, bold=True, gap=2)
    pdf.set_text_color(0, 0, 0)
    pdf.text_block(texts["intro"], points=paper.body, gap=3)
    for heading, points in SECTIONS:
        pdf.set_text_color(0, 64, 128)
        pdf.text_block(texts[heading], points=paper.heading, bold=True, gap=1)
        pdf.set_text_color(0, 0, 0)
        pdf.points_block(_lines(texts[points]), points=paper.body)
    _helpline(pdf, texts=texts, paper=paper, address=address)
    return bytes(pdf.output())


def _helpline(pdf: _Leaflet, *, texts: dict[str, str], paper: Size, address: str) -> None:
    """The helpline and the QR code side by side, kept together on one page."""
    needed = paper.qr + 10
    if pdf.get_y() + needed > paper.height - paper.margin:
        pdf.add_page()
    top = pdf.get_y() + 2
    pdf.set_draw_color(0, 102, 204)
    pdf.line(paper.margin, top - 1, paper.width - paper.margin, top - 1)
    qr_x = paper.margin if pdf.rtl else paper.width - paper.margin - paper.qr
    pdf.image(_qr_png(address), x=qr_x, y=top + 1, w=paper.qr, h=paper.qr)
    text_left = paper.margin + (paper.qr + 3 if pdf.rtl else 0)
    text_width = paper.width - 2 * paper.margin - paper.qr - 3
    pdf.set_xy(text_left, top + 1)
    pdf.set_text_color(0, 64, 128)
    pdf.set_font(pdf.family_name, "B", paper.heading)
    pdf.multi_cell(text_width, paper.heading * 0.5, texts["call_title"], align=pdf.align, new_x="LEFT", new_y="NEXT")
    pdf.set_font("latin", "B", paper.helpline)
    with pdf.left_to_right():
        pdf.multi_cell(text_width, paper.helpline * 0.5, HELPLINE, align=pdf.align, new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.family_name, "", paper.body)
    pdf.multi_cell(text_width, paper.body * 0.5, texts["call"], align=pdf.align, new_x="LEFT", new_y="NEXT")
    pdf.set_font("latin", "", paper.body * 0.8)
    pdf.set_xy(qr_x - 5, top + paper.qr + 1.5)
    with pdf.left_to_right():
        pdf.cell(paper.qr + 10, paper.body * 0.4, address.split("://", 1)[-1], align="C")


def _qr_png(address: str) -> io.BytesIO:
    png = io.BytesIO()
    segno.make(address, error="m").save(png, kind="png", scale=8, border=2)
    png.seek(0)
    return png


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]

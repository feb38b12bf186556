"""Plain, accessible SVG charts, drawn once on the server: the page shows them inline, the PDF embeds them.

No JavaScript and no network: each function returns a ``Chart`` whose ``svg`` is a complete SVG
document with ``role="img"``, a ``<title>`` and a ``<desc>`` it is labelled by, a text label on
every bar, and colours that keep at least 4.5:1 against white for text and 3:1 for bars. The same
string goes into the page and, through fpdf2, into the PDF; the figures are also shown as a table
beside every chart, the accessible alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.translation import gettext as _

FONT = "Titillium Web, Titillium, sans-serif"  # Bootstrap Italia's font; the PDF registers it as Titillium
TEXT = "#1a1a1a"  # 17.4:1 on white
BAR = "#0066cc"  # Bootstrap Italia's primary: 5.6:1 on white
TRACK = "#e6ecf2"  # the unreached part of a target: decoration, the figures are written beside it
TRACK_EDGE = "#5c6f82"  # 5.2:1: the target's end is visible without colour vision
AXIS = "#5c6f82"
WIDTH = 640
HEADER = 28  # the title line
LABEL_WIDTH, LABEL_CHARACTERS = 240, 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Progress:
    label: str
    result: int
    target: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    svg: str


def number(value: float) -> str:
    """A figure as the reader writes it (3.575 in Italian, 3,575 in English)."""
    return number_format(value, force_grouping=True)


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{TEXT}" text-anchor="{anchor}"{weight}>'
        f"{escape(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, *, stroke: str = "") -> str:
    edge = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return f'<rect x="{x:g}" y="{y:g}" width="{max(width, 0):g}" height="{height:g}" fill="{fill}"{edge}/>'


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _document(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> Chart:
    """The SVG document: its title written on top (seen) and as <title> (read), the drawing below it."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    height += HEADER
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(chart_id)} width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f"font-family={quoteattr(FONT)}>"
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"<desc id={quoteattr(desc_id)}>{escape(description)}</desc>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        + _text(8, 19, _short(title, 90), size=14, bold=True)
        + f'<g transform="translate(0 {HEADER})">'
        + "".join(body)
        + "</g></svg>"
    )
    return Chart(id=chart_id, title=title, description=description, width=width, height=height, svg=svg)


def _describe(bars: Sequence[Bar]) -> str:
    if not bars or not any(b.value for b in bars):
        return _("No figures to show for this period.")
    top = max(bars, key=lambda b: b.value)
    return _("%(count)s values; the highest is %(label)s with %(value)s. The same figures are in the table.") % {
        "count": len(bars),
        "label": top.label,
        "value": number(top.value),
    }


def bar_chart(*, chart_id: str, title: str, bars: Sequence[Bar], suffix: str = "") -> Chart:
    """Horizontal bars, one per row, the label on the left and the figure written after the bar."""
    row, bar_height, top = 26, 16, 10
    label_width, value_width = LABEL_WIDTH, 80
    plot = WIDTH - label_width - value_width - 10
    height = top * 2 + row * max(len(bars), 1)
    largest = max((b.value for b in bars), default=0) or 1
    body = [f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - top + 4}" stroke="{AXIS}"/>']
    for n, item in enumerate(bars):
        y = top + n * row
        length = plot * item.value / largest
        body.append(_text(label_width - 8, y + 13, _short(item.label, LABEL_CHARACTERS), anchor="end"))
        body.append(_rect(label_width, y + 1, length, bar_height, BAR))
        body.append(_text(label_width + length + 6, y + 13, f"{number(item.value)}{suffix}"))
    if not bars:
        body.append(_text(label_width + 8, top + 13, _("No figures to show for this period.")))
    return _document(chart_id, title, _describe(bars), WIDTH, height, body)


def column_chart(*, chart_id: str, title: str, bars: Sequence[Bar]) -> Chart:
    """Vertical columns in time order (months), each with its figure above and its label below."""
    column, gap, left, plot, top = 26, 12, 16, 150, 22
    width = max(WIDTH, left * 2 + len(bars) * (column + gap))
    height = top + plot + 34
    largest = max((b.value for b in bars), default=0) or 1
    base = top + plot
    body = [f'<line x1="{left - 4}" y1="{base}" x2="{width - left + 4}" y2="{base}" stroke="{AXIS}"/>']
    for n, item in enumerate(bars):
        x = left + n * (column + gap) + gap / 2
        length = plot * item.value / largest
        body.append(_rect(x, base - length, column, length, BAR))
        body.append(_text(x + column / 2, base - length - 5, number(item.value), anchor="middle", size=11))
        body.append(_text(x + column / 2, base + 16, item.label, anchor="middle", size=11))
    if not bars:
        body.append(_text(left + 8, top + 13, _("No figures to show for this period.")))
    return _document(chart_id, title, _describe(bars), width, height, body)


def progress_chart(*, chart_id: str, title: str, rows: Sequence[Progress]) -> Chart:
    """Results against targets: a framed track as long as the target, filled as far as the result."""
    row, bar_height, top = 30, 18, 10
    label_width, value_width = LABEL_WIDTH, 150
    plot = WIDTH - label_width - value_width - 10
    height = top * 2 + row * max(len(rows), 1)
    body = []
    for n, item in enumerate(rows):
        y = top + n * row
        share = item.result / item.target if item.target else 0
        body.append(_text(label_width - 8, y + 14, _short(item.label, LABEL_CHARACTERS), anchor="end"))
        body.append(_rect(label_width, y + 1, plot, bar_height, TRACK, stroke=TRACK_EDGE))
        body.append(_rect(label_width, y + 1, plot * min(share, 1), bar_height, BAR))
        body.append(
            _text(
                label_width + plot + 8,
                y + 14,
                f"{number(item.result)} / {number(item.target)} ({number(round(100 * share))}%)",
            )
        )
    if rows:
        reached = sum(1 for r in rows if r.target and r.result >= r.target)
        description = _("%(reached)s of %(count)s targets reached. The same figures are in the table.") % {
            "reached": reached,
            "count": len(rows),
        }
    else:
        description = _("This programme has no targets.")
        body.append(_text(label_width + 8, top + 14, description))
    return _document(chart_id, title, description, WIDTH, height, body)

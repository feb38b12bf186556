"""The SVG charts: well-formed, labelled for screen readers, a written figure on every bar, enough contrast,
escaped text, and drawable by fpdf2 into the PDF without the network."""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import translation

from approdi.core.pdf import new_document
from approdi.reports.common import charts
from approdi.reports.common.charts import Bar, Progress, bar_chart, column_chart, progress_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart) -> Element:
    return fromstring(chart.svg)


def texts(root: Element) -> list[str]:
    """The written text of the drawing, after its visible title."""
    title, *rest = [t.text for t in root.iter(f"{SVG}text")]
    assert title == root.find(f"{SVG}title").text[:90]
    return rest


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(colour: str, background: str = "#ffffff") -> float:
    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(autouse=True)
def italian():
    with translation.override("it"):
        yield


def test_a_bar_chart_is_an_image_labelled_by_its_title_and_description():
    chart = bar_chart(chart_id="chart-area", title="Contatti per area", bars=[Bar("Milano", 3575), Bar("Como", 12)])
    root = parse(chart)
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by == ["chart-area-title", "chart-area-desc"]
    assert root.find(f"{SVG}title").get("id") == "chart-area-title"
    assert root.find(f"{SVG}title").text == "Contatti per area"
    assert "Milano" in root.find(f"{SVG}desc").text and "3.575" in root.find(f"{SVG}desc").text
    # Every bar has its label and its figure written out (Italian grouping), not only its length.
    assert texts(root) == ["Milano", "3.575", "Como", "12"]
    lengths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")][1:]  # the first is the background
    assert lengths[0] > lengths[1] > 0


def test_colours_keep_the_contrast_of_wcag_aa():
    assert contrast(charts.TEXT) >= 4.5
    assert contrast(charts.BAR) >= 3  # non-text contrast of the bars (1.4.11)
    assert contrast(charts.TRACK_EDGE) >= 3  # the end of a target's track
    assert contrast(charts.AXIS) >= 3
    found = set(
        re.findall(
            r'(?:fill|stroke)="(#[0-9a-f]{6})"', column_chart(chart_id="c", title="t", bars=[Bar("01/24", 3)]).svg
        )
    )
    assert found <= {"#ffffff", charts.TEXT, charts.BAR, charts.AXIS}


def test_text_is_escaped_and_long_labels_are_shortened():
    chart = bar_chart(
        chart_id="chart-x", title='A & B <"c">', bars=[Bar("Côte d'Ivoire & <script>", 1), Bar("x" * 60, 2)]
    )
    root = parse(chart)  # well-formed despite the markup characters
    assert root.find(f"{SVG}title").text == 'A & B <"c">'
    assert next(t.text for t in root.iter(f"{SVG}text")) == 'A & B <"c">'  # the visible title too
    assert "<script>" not in chart.svg
    labels = texts(root)
    assert labels[0] == "Côte d'Ivoire & <script>"
    assert labels[2].endswith("…") and len(labels[2]) == charts.LABEL_CHARACTERS


def test_progress_shows_result_target_and_share_and_caps_the_bar_at_the_target():
    chart = progress_chart(
        chart_id="chart-targets",
        title="Risultati",
        rows=[Progress("Contatti in strada", 4500, 4000), Progress("Persone accolte", 150, 200)],
    )
    root = parse(chart)
    assert texts(root) == ["Contatti in strada", "4.500 / 4.000 (112%)", "Persone accolte", "150 / 200 (75%)"]
    rects = [r for r in root.iter(f"{SVG}rect")][1:]
    track, done, track2, done2 = (float(r.get("width")) for r in rects)
    assert done == track and done2 == pytest.approx(0.75 * track2)
    assert "1 di 2" in root.find(f"{SVG}desc").text or "1 of 2" in root.find(f"{SVG}desc").text


def test_columns_follow_the_months_in_order():
    bars = [Bar(f"{m:02d}/24", v) for m, v in ((1, 10), (2, 0), (3, 30))]
    root = parse(column_chart(chart_id="chart-monthly-street", title="Contatti per mese", bars=bars))
    assert texts(root) == ["10", "01/24", "0", "02/24", "30", "03/24"]
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")][1:]
    assert heights[1] == 0 and heights[2] == 3 * heights[0]


def test_an_empty_chart_says_so():
    root = parse(bar_chart(chart_id="chart-empty", title="Niente", bars=[]))
    assert texts(root) and root.find(f"{SVG}desc").text == texts(root)[0]


def test_fpdf2_draws_the_svg_with_its_text(settings):
    chart = bar_chart(chart_id="chart-pdf", title="Contatti", bars=[Bar("Milano", 3575)])
    document, _family = new_document("prova")
    document.set_compression(False)
    document.image(io.BytesIO(chart.svg.encode()), w=180)
    content = bytes(document.output())
    assert content.startswith(b"%PDF")
    assert b" re f" in content  # the bar, drawn as a vector rectangle
    assert b"BT" in content and b"Tj" in content  # and its text, written as text

"""The deadline badges read at 4.5:1 or more (issue #19: "Entro 14 giorni" read at 2.39:1, axe serious).

Each badge as the template renders it, on the page's own style sheets (Bootstrap Italia's and Approdi's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.browser


def style_sheets() -> str:
    theme = finders.find("css/bootstrap-italia.min.css")
    assert theme, "Bootstrap Italia's style sheet is not found"
    own = Path(settings.BASE_DIR) / "static" / "approdi" / "approdi.css"
    return "".join(f"<style>{Path(path).read_text()}</style>" for path in (theme, own))


@pytest.mark.parametrize("level", [0, 7, 14, 30])
def test_a_deadline_badge_reads_at_4_5_to_1(browser, axe, level):
    with translation.override("it"):
        badge = render_to_string("cases/_deadline_level.html", {"level": level, "days_left": level})
    page = browser.new_page()
    try:
        page.set_content(
            f"<html lang='it'><head><title>t</title>{style_sheets()}</head><body><main><p>{badge}</p>"
            "</main></body></html>"
        )
        results = axe.run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    finally:
        page.close()
    assert not results.response["violations"], results.response["violations"][0]["nodes"][0]["any"][0]["message"]

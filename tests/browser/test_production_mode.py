"""Production as production, in a browser: the README's waitress behind a TLS proxy (tests/production_site.py).

Every user signs in with password and second factor and opens every entry of her menu: no page may fail,
and the theme's typefaces must really load (before, the manifest storage made every page a 500, and in
every mode the fonts were declared nowhere).
"""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import VIEWPORTS, menu_links, sign_in
from tests.production_site import USERS

pytestmark = pytest.mark.production

THEME_FAMILIES = {"Titillium Web", "Lora", "Roboto Mono"}
LOADED_FAMILIES = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(face => face.status === "loaded").map(face => face.family.replaceAll('"', ""));
}"""


@pytest.fixture
def production_page(browser, production_site):
    context = browser.new_context(
        **VIEWPORTS["desktop"], locale="it-IT", base_url=production_site.url, ignore_https_errors=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.violations = violations
    yield page
    context.close()


@pytest.mark.parametrize("username", [u for u, _, _ in USERS if u != "probe"])
def test_every_menu_page_answers_with_the_theme_fonts_behind_the_proxy(production_page, username):
    page = production_page
    sign_in(page, username)
    assert urlparse(page.url).scheme == "https"

    links = menu_links(page, "desktop")
    assert len(links) >= 2
    for text, href in links:
        response = page.goto(href)
        assert response.status == 200, f"{username}: menu entry {text!r} ({href}) answered {response.status}"
        assert urlparse(page.url).scheme == "https"
        page.locator("h1").first.wait_for()

    loaded = set(page.evaluate(LOADED_FAMILIES))
    assert "Titillium Web" in loaded, f"the theme's body font did not load; loaded: {sorted(loaded)}"
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith('"Titillium Web"'), body_font
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
    assert not page.violations, page.violations


def test_the_sign_in_page_loads_with_the_theme_fonts_behind_the_proxy(production_page):
    page = production_page
    response = page.goto("/accounts/login/")
    assert response.status == 200 and urlparse(page.url).scheme == "https"
    page.locator("input[name=username]").wait_for()
    loaded = set(page.evaluate(LOADED_FAMILIES))
    assert "Titillium Web" in loaded, f"the sign-in page's body font did not load; loaded: {sorted(loaded)}"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Titillium Web"')
    assert not page.violations, page.violations

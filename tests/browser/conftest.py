"""Browser tests: Debian's chromium, driven by Playwright, against pytest-django's ``live_server``.

- One chromium per session, a new context (cookies, viewport) per test.
- Every test runs on a desktop (1280x800) and a phone (360x740) viewport, unless it pins one.
- Without chromium (or Playwright) every test here is skipped, and the run ends with a banner
  saying so: a skipped browser suite must never look like a passing one.

Playwright's sync API runs an asyncio event loop in the main thread, so Django's
"async unsafe" guard must be relaxed for the database calls the fixtures make.
"""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django_otp.oath import totp

from tests.builders import PASSWORD, TOTP_HEX

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # every test here is skipped below, loudly
    Axe = expect = sync_playwright = None

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    SKIP_REASON = "BROWSER TESTS SKIPPED: Debian's chromium is not installed (apt-get install chromium)"
elif sync_playwright is None or Axe is None:
    SKIP_REASON = "BROWSER TESTS SKIPPED: Playwright or axe-playwright-python is not installed (make install-dev)"
else:
    SKIP_REASON = None

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}
# WCAG 2.1 AA is the target; axe's rules are tagged with the success criteria they check.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"critical", "serious"}
# The menu depends on the role: users whose menus differ (role, where they work).
MENU_ROLES = [("coordinator", "lead"), ("dpo", "lead"), ("admin", "lead"), ("outreach", "partner")]
MENU_ROLE_IDS = [f"{role}@{at}" for role, at in MENU_ROLES]


# --- skipping, loudly -------------------------------------------------------------------------


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_DIR in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item of the session, not only this directory's.
    for item in items:
        if not _is_browser_test(item):
            continue
        if item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not SKIP_REASON:
        return
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if not skipped:
        return
    terminalreporter.write_sep("!", SKIP_REASON, red=True, bold=True)
    terminalreporter.write_line(
        f"{len(skipped)} browser test(s) did NOT run: sign-in, menus, language switch and accessibility "
        "are untested in a real browser.",
        red=True,
        bold=True,
    )
    terminalreporter.write_sep("!", red=True, bold=True)


# --- browser, contexts and pages --------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    """The viewport's name; a test pins one with ``@pytest.mark.parametrize("viewport", ["desktop"])``."""
    return request.param


@pytest.fixture
def page(browser, viewport, live_server):
    # The users are Italian: their browsers ask for Italian, as the application's default language.
    context = browser.new_context(
        **VIEWPORTS[viewport], locale="it-IT", base_url=live_server.url, service_workers="block"
    )
    context.set_default_timeout(10_000)
    # An assertion waits as long as an action: on a loaded CI machine an htmx answer can take over five seconds.
    expect.set_options(timeout=10_000)
    page = context.new_page()
    # Whatever a test does, the Content-Security-Policy must not have to block anything on the way.
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


# --- people -----------------------------------------------------------------------------------


@pytest.fixture
def live_network(transactional_db, network):
    """The shared network of tests/conftest.py, committed for real so the live server sees it."""
    return network


def totp_code(drift: int = 0) -> str:
    return f"{totp(bytes.fromhex(TOTP_HEX), drift=drift):06d}"


def wrong_code() -> str:
    """A 6-digit code the device rejects, whatever the tolerance window."""
    valid = {totp_code(drift) for drift in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


def path_of(page) -> str:
    return urlparse(page.url).path


def wait_for_path(page, path: str) -> None:
    page.wait_for_url(lambda url: urlparse(url).path == path)


def submit(page) -> None:
    """Presses the main form's submit button and waits for the next page.

    The header has forms of its own (language, sign out): the page's form is the one in <main>.
    """
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_in_password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    wait_for_path(page, "/accounts/two-factor/")


def sign_in(page, username: str) -> None:
    """Signs in as a user does: password, then the authenticator's current code."""
    sign_in_password(page, username)
    page.locator("input[name=code]").fill(totp_code())
    submit(page)
    wait_for_path(page, "/")


@pytest.fixture
def signed_in(page, live_network, make_user) -> Callable:
    """``signed_in(role, at="lead"|"partner")``: makes a user with that role, signs in, returns the user.

    It checks the landing too: the home page, with the user's organisation in the header.
    """

    def go(role: str, *, at: str = "partner"):
        organisation = getattr(live_network, at)
        user = make_user(f"{role}-{at}", organisation, role, live_network.programme)
        sign_in(page, user.username)
        assert path_of(page) == "/"
        expect(page.locator("[data-testid=organisation]")).to_have_text(organisation.name)
        return user

    return go


# --- menu -------------------------------------------------------------------------------------


def open_menu(page, viewport: str):
    """Returns the main menu, after opening it with the burger button on a phone, as a user must.

    Opening an open menu leaves it open.
    """
    menu = page.locator("[data-testid=main-menu]")
    burger = page.locator("button.custom-navbar-toggler")
    if viewport == "phone":
        expect(burger, "the burger button should be visible on a phone").to_be_visible()
        if burger.get_attribute("aria-expanded") != "true":
            expect(menu, "on a phone the menu should be collapsed behind the burger button").to_be_hidden()
            burger.click()
        expect(burger, "the burger button should announce the open menu").to_have_attribute("aria-expanded", "true")
    else:
        expect(burger, "on a desktop the menu is open, without a burger button").to_be_hidden()
    expect(menu, "the main menu should be visible").to_be_visible()
    return menu


def menu_links(page, viewport: str) -> list[tuple[str, str]]:
    """The (text, href) of every entry of the main menu, as the user sees it."""
    menu = open_menu(page, viewport)
    links = menu.locator("a").all()
    assert links, "the main menu has no entries"
    for link in links:
        assert link.is_visible(), f"menu entry {link.get_attribute('href')} is not visible"
    return [(" ".join(link.inner_text().split()), link.get_attribute("href")) for link in links]


# --- accessibility ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe():
    return Axe()


def blocking_violations(axe, page) -> list[str]:
    """axe's critical and serious WCAG 2.1 AA violations on the page, one readable paragraph each."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")  # layout (and so overflow, contrast) is final
    results = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = "\n".join(
            f"      - {node.get('html', '')}\n        ({' '.join(node.get('failureSummary', '').split())})"
            for node in violation["nodes"]
        )
        found.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation.get('helpUrl', '')})\n"
            f"    on {page.url} ({page.viewport_size['width']}x{page.viewport_size['height']})\n{nodes}"
        )
    return found


def wait_for_throttle(seconds: float = 1.1) -> None:
    """django-otp throttles a device for 1 s after a failed code."""
    time.sleep(seconds)

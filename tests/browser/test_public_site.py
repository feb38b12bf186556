"""The public help site in a real browser: every page in every language fits 320 px and 1280 px, is axe clean,
asks nothing of another host and weighs under 100 KB; "leave quickly" leaves no way back; a request is filed."""

from datetime import time
from urllib.parse import urlparse

import pytest
from django_scopes import scopes_disabled

from approdi.outreach.models import Referral
from approdi.public.languages import CODES, HTML_LANG
from approdi.public.models import Desk, PublicText
from approdi.public.starting_texts import add_missing_texts

from .conftest import CHROMIUM_ARGS, blocking_violations  # noqa: F401 - the session's chromium settings

BUDGET = 100 * 1024
WIDTHS = (320, 1280)
WIDTH_OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def public_site(transactional_db, live_network, live_server):
    """The texts the migration writes (a transactional test empties the tables it finds) and one public desk."""
    add_missing_texts(PublicText)
    Desk.objects.create(
        organisation=live_network.lead,
        name="Sportello antitratta",
        address="Via delle Rose 12, 20121 Milano",
        weekdays="01234",
        opens=time(9),
        closes=time(13),
    )
    return live_server


def open_context(browser, live_server, *, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, base_url=live_server.url, java_script_enabled=javascript
    )
    context.set_default_timeout(30_000)  # a machine busy with other work
    return context


@pytest.mark.parametrize("viewport", ["phone"])
def test_every_public_page_is_light_local_and_accessible_in_every_language(browser, axe, public_site, viewport):
    context = open_context(browser, public_site)
    page = context.new_page()
    requests, sizes = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "requestfinished",
        lambda request: sizes.append(sum(request.sizes()[k] for k in ("responseBodySize", "responseHeadersSize"))),
    )
    problems = []
    host = urlparse(public_site.url).netloc
    paths = ["/help/", "/today/"] + [f"/help/{code}/{page_}" for code in CODES for page_ in ("", "ask/")]
    try:
        for path in paths:
            for width in WIDTHS:
                requests.clear()
                sizes.clear()
                page.set_viewport_size({"width": width, "height": 800})
                response = page.goto(path, wait_until="load")
                assert response is not None and response.status == 200, path
                elsewhere = [url for url in requests if urlparse(url).netloc != host]
                if elsewhere:
                    problems.append(f"{path}: requests to another host {elsewhere}")
                if sum(sizes) > BUDGET:
                    problems.append(f"{path}: {sum(sizes)} bytes transferred, over {BUDGET}")
                if page.evaluate(WIDTH_OVERFLOW):
                    problems.append(f"{path} at {width} px: wider than the screen")
                problems += blocking_violations(axe, page)
            code = path.split("/")[2] if path.count("/") > 2 else ""
            if code in CODES:
                assert page.evaluate("document.documentElement.lang") == HTML_LANG[code]
                assert page.evaluate("document.documentElement.dir") == ("rtl" if code == "ar" else "ltr")
                assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if code == "ar" else "ltr")
        assert context.cookies() == []  # nothing was set, in any language, on any page
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", ["phone"])
def test_leave_quickly_replaces_the_page_so_back_does_not_return(browser, public_site, viewport):
    context = open_context(browser, public_site)
    page = context.new_page()
    page.goto("/today/")  # where she was before: any page
    page.goto("/help/uk/")
    page.locator("[data-testid=leave]").click()
    page.wait_for_url("**/today/")
    page.go_back()
    assert urlparse(page.url).path != "/help/uk/"
    context.close()

    without_script = open_context(browser, public_site, javascript=False)
    page = without_script.new_page()
    page.goto("/help/uk/")
    page.locator("[data-testid=leave]").click()
    page.wait_for_url("**/today/")  # a plain link does it without JavaScript
    without_script.close()


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_request_in_arabic_reaches_the_queue_and_shows_only_her_code(browser, public_site, viewport):
    context = open_context(browser, public_site)
    page = context.new_page()
    page.goto("/help/ar/")
    page.locator("[data-testid=ask]").click()
    page.get_by_label("واتساب").check()
    page.get_by_label("رقم هاتفك أو بريدك الإلكتروني").fill("+39 333 765 4321")
    page.get_by_label("رسالتك").fill("أحتاج إلى مساعدة")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    reference = page.locator("[data-testid=reference]").inner_text()
    assert "765" not in page.content() and "أحتاج" not in page.content()
    assert context.cookies() == []
    context.close()
    with scopes_disabled():
        referral = Referral.objects.get(reference=reference)
    assert (referral.source_type, referral.channel, referral.phone) == ("self", "web", "+39 333 765 4321")

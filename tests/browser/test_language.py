"""The language switch in the header: Italian by default, English on request, and back."""

import pytest
from django.utils import translation

from .conftest import expect, path_of

pytestmark = pytest.mark.browser


def test_switch_to_english_and_back_to_italian(page, signed_in):
    signed_in("coordinator", at="lead")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "it")

    page.locator("button[name=language][value=en]").click()

    expect(html).to_have_attribute("lang", "en")
    assert path_of(page) == "/", "switching language should keep the user on the same page"
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    expect(page.locator("button[name=language][value=en]")).to_have_count(0)

    page.locator("button[name=language][value=it]").click()

    expect(html).to_have_attribute("lang", "it")
    assert path_of(page) == "/"
    expect(page.locator("button[name=language][value=en]")).to_be_visible()
    with translation.override("it"):  # whatever the Italian catalogue says today
        sign_out = translation.gettext("Sign out")
    expect(page.get_by_role("button", name=sign_out, exact=True)).to_be_visible()


def test_the_sign_in_page_starts_in_italian_and_switches_to_english(page, live_server):
    page.goto("/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "it")

    page.locator("button[name=language][value=en]").click()

    expect(html).to_have_attribute("lang", "en")
    assert path_of(page) == "/accounts/login/"
    expect(page.locator("input[name=username]")).to_be_visible()

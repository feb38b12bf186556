"""Keyboard only: a user who cannot use a mouse signs in with Tab, typing and Enter."""

import pytest

from .conftest import PASSWORD, expect, path_of, totp_code, wait_for_path

pytestmark = pytest.mark.browser


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector)


def tab_to(page, selector: str, *, most: int = 25) -> int:
    """Presses Tab until the focus is on ``selector``; returns how many presses it took."""
    for presses in range(most + 1):
        if focused_matches(page, selector):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus after {most} presses of Tab")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_sign_in_with_the_keyboard_only(page, viewport, live_network, make_user):
    user = make_user("coordinatrice", live_network.lead, "coordinator", live_network.programme)
    page.goto("/accounts/login/")

    tab_to(page, "input[name=username]")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert focused_matches(page, "input[name=password]"), "Tab from the username should reach the password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    wait_for_path(page, "/accounts/two-factor/")
    tab_to(page, "input[name=code]")
    page.keyboard.type(totp_code())
    page.keyboard.press("Enter")

    wait_for_path(page, "/")
    assert path_of(page) == "/"
    expect(page.locator("[data-testid=organisation]")).to_have_text("Comune di Prova")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page, viewport, signed_in):
    signed_in("coordinator", at="lead")
    page.goto("/accounts/me/")  # a page without autofocus

    page.keyboard.press("Tab")

    skip = page.locator("a.skip-link")
    assert focused_matches(page, "a.skip-link"), "the first Tab stop should be the 'skip to content' link"
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main"), "the skip link should move the focus to the main content"

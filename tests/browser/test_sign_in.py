"""Signing in as a user does: password, then the authenticator's code, then the home page."""

import pytest

from .conftest import path_of, sign_in, sign_in_password, submit, totp_code, wait_for_throttle, wrong_code

pytestmark = pytest.mark.browser


def test_sign_in_with_password_and_code_lands_on_home(page, live_network, make_user):
    user = make_user("coordinatrice", live_network.lead, "coordinator", live_network.programme)

    sign_in(page, user.username)

    assert path_of(page) == "/"
    assert page.locator("[data-testid=organisation]").inner_text().strip() == "Comune di Prova"

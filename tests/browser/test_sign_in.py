"""Signing in as a user does: password, then the authenticator's code, then the home page."""

import pytest

from .conftest import (
    expect,
    path_of,
    sign_in,
    sign_in_password,
    submit,
    totp_code,
    wait_for_path,
    wait_for_throttle,
    wrong_code,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("role", "at", "organisation_name"),
    [("coordinator", "lead", "Comune di Prova"), ("outreach", "partner", "Cooperativa Alfa")],
    ids=["coordinator@lead", "outreach@partner"],
)
def test_password_then_code_lands_on_home_with_the_organisation(
    page, live_network, make_user, role, at, organisation_name
):
    user = make_user(f"{role}-user", getattr(live_network, at), role, live_network.programme)

    sign_in(page, user.username)

    assert path_of(page) == "/"
    expect(page.locator("[data-testid=organisation]")).to_have_text(organisation_name)
    expect(page.locator("h1")).to_contain_text(user.username)


def test_wrong_code_shows_an_error_and_stays_on_the_code_page(page, live_network, make_user):
    user = make_user("coordinatrice", live_network.lead, "coordinator", live_network.programme)
    sign_in_password(page, user.username)

    page.locator("input[name=code]").fill(wrong_code())
    submit(page)

    assert path_of(page) == "/accounts/two-factor/"
    code = page.locator("input[name=code]")
    expect(code).to_be_visible()
    expect(code).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_code-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).not_to_be_empty()
    described_by = (code.get_attribute("aria-describedby") or "").split()
    assert "id_code-error" in described_by, "the error message is not tied to the field for screen readers"
    expect(page.locator("[data-testid=main-menu]")).to_have_count(0)  # nothing opens without the second factor

    # The user can still get in with the right code, once django-otp's one-second throttle has passed.
    wait_for_throttle()
    page.locator("input[name=code]").fill(totp_code())
    submit(page)
    wait_for_path(page, "/")
    assert path_of(page) == "/"
    expect(page.locator("[data-testid=organisation]")).to_have_text("Comune di Prova")

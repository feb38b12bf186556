"""Each role lands where its work starts, on a phone (issue #19): after signing in, the panel of her day's work
is on the home page and its first action is on screen at 360 px, without scrolling sideways."""

from __future__ import annotations

import pytest

from .conftest import expect

pytestmark = pytest.mark.browser

LANDINGS = [
    ("outreach", "partner", "[data-testid=home-new-outing]"),
    ("filtro", "lead", "[data-testid=home-queue] a.btn"),
    ("shelter", "partner", "[data-testid=home-structures] a.btn-primary"),  # the bed board (beside the night entry)
    ("case_worker", "partner", "[data-testid=home-open-my-work]"),
    ("coordinator", "lead", "[data-testid=home-targets] a.btn"),
]


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize(("role", "at", "start"), LANDINGS, ids=[role for role, _at, _start in LANDINGS])
def test_each_role_lands_where_its_work_starts(page, viewport, signed_in, role, at, start):
    signed_in(role, at=at)
    action = page.locator(f"main {start}")
    expect(action).to_be_visible()
    box = action.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

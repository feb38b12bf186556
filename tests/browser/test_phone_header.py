"""The header on a 360-px phone (issue #19): each of its rows on one line, and the programme switch saying which
edition she is in (its code and years readable, not "DA-202")."""

from __future__ import annotations

import pytest

from approdi.accounts.models import Membership

from .conftest import expect

pytestmark = pytest.mark.browser

# One line: every part of the row starts above the bottom of every other (none has wrapped below another).
ONE_LINE = """(row) => {
  const parts = [...row.children].map((c) => c.getBoundingClientRect()).filter((r) => r.height > 1);
  const lowestTop = Math.max(...parts.map((r) => r.top)), highestBottom = Math.min(...parts.map((r) => r.bottom));
  return lowestTop < highestBottom && Math.max(...parts.map((r) => r.right)) <= window.innerWidth; }"""
# The width the selected option's text needs up to the edition's years, in the select's own font, against the room
# the select gives its text.
SHOWS_THE_EDITION = """(select) => { const text = select.options[select.selectedIndex].text;
  const shown = text.slice(0, text.indexOf(')') + 1);
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {shown, needs: Math.ceil(context.measureText(shown).width), room: Math.floor(room)}; }"""


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_header_fits_a_phone_and_names_the_edition(page, viewport, live_network, make_user):
    from .conftest import sign_in

    network = live_network
    network.lead.name = "Comune di Milano – Direzione Welfare e Salute, Area Diritti e Inclusione"
    network.lead.save(update_fields=["name"])
    network.programme.code, network.programme.name = "DA-2025", "Derive e Approdi 2025"
    network.programme.save(update_fields=["code", "name"])
    user = make_user("coordinatrice-della-rete", network.lead, "coordinator", network.programme)
    Membership.objects.create(
        user=user, organisation=network.lead, role="coordinator", programme=network.other_programme
    )

    sign_in(page, user.username)
    for row in ("div.it-header-slim-wrapper-content", "div.it-header-center-content-wrapper"):
        assert page.locator(row).evaluate(ONE_LINE), f"{row} wraps or overflows: {page.locator(row).bounding_box()}"
    switch = page.locator("#programme-switch")
    expect(switch).to_be_visible()
    expect(switch.locator("option:checked")).to_contain_text("DA-2025 (2024–")
    fit = switch.evaluate(SHOWS_THE_EDITION)
    assert fit["needs"] <= fit["room"], (
        f"the switch cuts {fit['shown']!r}: it needs {fit['needs']} px, has {fit['room']}"
    )
    expect(page.get_by_label("Programma")).to_be_visible()  # the label is still there for a screen reader
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

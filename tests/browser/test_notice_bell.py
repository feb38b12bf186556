"""The header's bell on a 360-px phone: on the header's one line, read by a screen reader as how many things need
her, and leading to My work's "What needs you", where she marks a notice read (no WCAG violation on the way)."""

from __future__ import annotations

import pytest

from tests.builders.case_world import open_territorial_case
from tests.builders.people import registered_person

from .conftest import blocking_violations, expect, sign_in
from .test_phone_header import ONE_LINE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_bell_fits_a_phone_says_how_many_and_leads_to_what_needs_her(page, viewport, axe, live_network, make_user):
    from datetime import date

    network = live_network
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    manager = make_user("assistente-sociale-della-rete", network.partner, "case_worker", network.programme)
    person = registered_person(network, code="AP-BELL1-00001", created_by=filtro)
    open_territorial_case(  # the Ufficio Filtro gives her the case: a notice waits for her
        filtro=filtro, person=person, start=date(2024, 2, 1), case_manager=manager, reason="Percorso territoriale"
    )

    sign_in(page, manager.username)
    row = page.locator("div.it-header-slim-wrapper-content")
    assert row.evaluate(ONE_LINE), f"the header's row wraps or overflows: {row.bounding_box()}"
    bell = page.get_by_role("link", name="Che cosa ti aspetta: 1 elemento")
    expect(bell).to_be_visible()
    bell.click()
    needs = page.locator("[data-testid=needs-you]")
    expect(needs).to_contain_text("Un caso assegnato a te")
    expect(needs).to_contain_text("AP-BELL1-00001")
    assert blocking_violations(axe, page) == []
    needs.get_by_role("button", name="Segna come letto").click()
    expect(page.get_by_role("link", name="Che cosa ti aspetta: 0 elementi")).to_be_visible()
    expect(page.locator("[data-testid=needs-you]")).to_contain_text("Niente ti aspetta.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

"""The night path on a 360-px phone (issue #13): the on-call educator takes a woman into the last free emergency
bed at 3 a.m.; the next morning the Ufficio Filtro finds the entry at the top of its queue, records her consent and
decides her path, and the night's stay is her first placement (not a second one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.shelter.models import NightEntry, Placement, PlacementRequest
from tests.builders import registered_person
from tests.builders.shelter import emergency_structure, place

from .conftest import expect, path_of
from .test_filtro_and_shelter import Desk, send, tick

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_night_path_on_a_phone(page, viewport, live_network, make_user, time_machine):
    night = emergency_structure(live_network, beds=2)
    filtro = make_user("filtro-mattina", live_network.lead, "filtro", live_network.programme)
    operator = make_user("reperibile", live_network.partner, "shelter", live_network.programme)
    # One of the two emergency beds is taken: tonight's woman gets the last one.
    resident = registered_person(live_network, code="AP-OSPITE-GIA01", created_by=filtro)
    place(filtro, resident, night, stage="emergency", start=timezone.localdate() - timedelta(days=3))
    time_machine.move_to(timezone.localtime().replace(hour=3, minute=0, second=0, microsecond=0), tick=True)
    desk, problems = Desk(page), []

    # 3 a.m.: the helpline calls the on-call educator.
    desk.sign_in(operator)
    page.locator("[data-testid=night-entry-link]").tap()
    page.wait_for_url("**/shelter/night-entry/")
    form = page.locator("[data-testid=night-entry]")
    expect(form.locator("input:checked")).to_have_count(0)  # nothing answered for her in advance
    tick(page, form.locator("input[name=structure][value=S-NOTTE]"), problems)
    tick(page, form.locator("input[name=gender][value=woman]"), problems)
    form.locator("[name=age_band]").select_option("21-23")
    form.locator("[name=language]").fill("inglese")
    form.locator("[name=nationality]").select_option("NG")
    form.locator("[name=referred_by]").select_option("helpline")
    form.locator("[name=needs]").fill("Ferita a una mano")
    send(page, form, tap=True)
    assert path_of(page) == "/shelter/board/"
    row = page.locator("tr[data-code=S-NOTTE]")
    expect(row.locator("[data-testid=night-S-NOTTE]")).to_be_visible()  # the board shows her at once
    expect(row.locator("td").first).to_have_text("0")  # the last bed is taken
    with scopes_disabled():
        entry = NightEntry.objects.select_related("placement__person").get()
    code = entry.placement.person.code
    desk.sign_out()

    # The next morning: the Ufficio Filtro regularises the entry.
    time_machine.move_to(timezone.localtime() + timedelta(hours=6), tick=True)
    desk.sign_in(filtro)
    page.goto("/filtro/")
    entries = page.locator("[data-testid=night-entries]")
    expect(entries).to_contain_text(code)
    entries.get_by_role("link", name=code).tap()
    page.wait_for_url(f"**/filtro/people/{entry.placement.person_id}/")
    expect(page.locator("[data-testid=night-entry]")).to_contain_text("Ferita a una mano")
    consent = page.locator(f"form[action='/filtro/people/{entry.placement.person_id}/consent/']")
    consent.locator("[name=purpose]").select_option("services")
    consent.locator("[name=granted]").select_option("yes")
    send(page, consent, tap=True)
    page.goto(f"/filtro/people/{entry.placement.person_id}/decision/")
    form = page.locator("main form[method=post]")
    tick(page, form.locator("input[name=kind][value=residential]"), problems)
    form.locator("[name=stage]").select_option("emergency")
    form.locator("[name=reason]").fill("Accolta di notte tramite il Numero Verde: resta in pronto intervento.")
    send(page, form, tap=True)
    assert path_of(page) == f"/filtro/people/{entry.placement.person_id}/"
    expect(page.locator("[data-testid=night-entry]")).to_have_count(0)
    page.goto("/filtro/")
    expect(page.locator("[data-testid=night-entries]")).to_have_count(0)

    with scopes_disabled():
        entry.refresh_from_db()
        stays = list(Placement.objects.filter(person_id=entry.placement.person_id))
        request = PlacementRequest.objects.get(person_id=entry.placement.person_id)
    assert entry.regularised_by == filtro
    assert [s.pk for s in stays] == [entry.placement_id]  # her first placement is the night's stay
    assert (stays[0].request_id, request.status) == (request.pk, "placed")
    assert not problems, "\n".join(problems)

"""A lead coordinator sets up a Tavolo emersione, schedules its meeting, records the attendance and gives two
actions to two users; each user finds her action on My work and marks it done. Every page passes axe (no critical
or serious WCAG 2.1 AA violation), on a desktop and on a phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from approdi.governance.models import Meeting, MeetingAction, Table

from .conftest import blocking_violations, sign_in, submit

pytestmark = pytest.mark.browser


def tick(page, label: str) -> None:
    """Ticks a checkbox as a user does, on its label (Bootstrap Italia draws the box on the label)."""
    page.locator("label.form-check-label").filter(has_text=label).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def test_a_coordinator_runs_a_tavolo_emersione_and_each_user_finds_her_action(
    page, axe, signed_in, live_network, make_user
):
    operatrice = make_user("giulia-cw", live_network.partner, "case_worker", live_network.programme)
    legale = make_user("marta-legal", live_network.partner, "legal", live_network.programme)
    signed_in("coordinator", at="lead")
    yesterday = timezone.localdate() - timedelta(days=1)

    page.goto(reverse("governance:table_list"))
    found = blocking_violations(axe, page)
    page.goto(reverse("governance:table_new"))
    found += blocking_violations(axe, page)
    page.locator("#id_name").fill("Tavolo emersione")
    page.locator("#id_kind").select_option("emersione")
    page.locator("#id_recurrence").select_option("2")
    page.locator("#id_first_day").fill(yesterday.isoformat())
    page.locator("#id_start_time").fill("10:00")
    tick(page, operatrice.username)
    tick(page, legale.username)
    submit(page)
    with scopes_disabled():
        table = Table.objects.get(name="Tavolo emersione")
    expect(page.locator("[data-testid=planned] li")).to_have_count(3)
    found += blocking_violations(axe, page)

    page.locator("[data-testid=schedule]").click()
    page.wait_for_load_state()
    found += blocking_violations(axe, page)
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_agenda").fill("1. Segnalazioni dalla Commissione\n2. Varie")
    submit(page)
    with scopes_disabled():
        meeting = Meeting.objects.get(table=table)
    found += blocking_violations(axe, page)

    page.locator("[data-testid=record]").click()
    page.wait_for_load_state()
    found += blocking_violations(axe, page)
    page.locator("#id_status").select_option("held")
    tick(page, operatrice.username)
    tick(page, legale.username)
    page.locator("#id_minutes").fill("Esaminata la segnalazione di AP-0001.")
    page.locator("#id_decisions").fill("Scheda di invio comune")
    submit(page)
    expect(page.locator("[data-testid=status]")).to_have_text("Svolto")
    expect(page.locator("[data-testid=present] li")).to_have_count(2)

    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    for owner, what in ((operatrice, "Diffondere la scheda ai CAS"), (legale, "Nota sul permesso art. 18")):
        form = page.locator("[data-testid=action-form]")
        form.locator("#id_action-description").fill(what)
        form.locator("#id_action-owner").select_option(str(owner.pk))
        form.locator("#id_action-due").fill(due)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=actions] tbody tr")).to_have_count(2)
    found += blocking_violations(axe, page)

    for owner, what in ((operatrice, "Diffondere la scheda ai CAS"), (legale, "Nota sul permesso art. 18")):
        page.context.clear_cookies()
        sign_in(page, owner.username)
        page.goto(reverse("cases:my_work"))
        mine = page.locator("[data-testid=table-actions] li")
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(what)
        found += blocking_violations(axe, page)
        with page.expect_navigation():
            mine.get_by_role("button").click()
        expect(page.locator("[data-testid=table-actions]")).to_have_count(0)
    with scopes_disabled():
        assert set(MeetingAction.objects.filter(meeting=meeting).values_list("status", flat=True)) == {"done"}
    assert not found, "\n".join(found)

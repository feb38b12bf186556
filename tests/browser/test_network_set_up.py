"""A lead coordinator sets a new edition up on the pages: the edition, two partners and a structure, before
inviting anyone; she finds the edition in the programme switcher. Every page passes axe (no critical or serious
WCAG 2.1 AA violation), on a desktop and on a phone."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from approdi.accounts.models import Membership
from approdi.network.models import Partnership, Programme
from approdi.shelter.models import Structure

from .conftest import blocking_violations, path_of, submit

pytestmark = pytest.mark.browser


def test_a_lead_coordinator_sets_a_new_edition_up(page, axe, signed_in, live_network):
    year = timezone.localdate().year
    coordinator = signed_in("coordinator", at="lead")

    page.goto(reverse("network:new_edition"))
    found = blocking_violations(axe, page)
    page.locator("#id_code").fill("P-NUOVA")
    page.locator("#id_name").fill("Programma nuovo")
    page.locator("#id_start").fill(f"{year}-01-01")
    page.locator("#id_end").fill(f"{year + 1}-12-31")
    page.locator("#id_funder").fill("Dipartimento Pari Opportunità")
    page.locator("#id_budget").fill("850000")
    submit(page)
    assert path_of(page) == reverse("network:programme_list")
    found += blocking_violations(axe, page)

    switcher = page.locator("#programme-switch")
    expect(switcher.locator("option", has_text="P-NUOVA")).to_have_count(1)
    carried = Membership.objects.get(user=coordinator, programme__code="P-NUOVA")
    with page.expect_navigation():
        switcher.select_option(str(carried.pk))

    page.goto(reverse("network:partners"))
    found += blocking_violations(axe, page)
    for code in ("partner", "other"):
        page.locator("#id_organisation").select_option(code)
        submit(page)
        expect(page.locator(f"[data-testid=partner-{code}]")).to_be_visible()

    page.goto(reverse("shelter:structure_new"))
    found += blocking_violations(axe, page)
    page.locator("#id_code").fill("S-NUOVA")
    page.locator("#id_name").fill("Casa Nuova")
    page.locator("#id_organisation").select_option(str(live_network.partner.pk))
    page.locator("#id_type").select_option("women")
    page.locator("#id_area").select_option(label="Milano")
    page.locator("#id_beds").fill("6")
    page.locator("#id_gender").select_option("women")
    # Above it, the structures of her earlier edition could continue in this one: this one is new.
    expect(page.locator("#id_carry-structure option", has_text="S-ALFA")).to_have_count(1)
    with page.expect_navigation():
        page.locator("main form").last.locator("button[type=submit]").click()
    assert path_of(page) == reverse("shelter:structure_list")
    expect(page.locator("main")).to_contain_text("S-NUOVA")
    found += blocking_violations(axe, page)

    programme = Programme.objects.get(code="P-NUOVA")
    assert programme.lead_organisation == live_network.lead
    partners = set(Partnership.objects.filter(programme=programme).values_list("organisation__code", flat=True))
    assert partners == {"lead", "partner", "other"}
    with scopes_disabled():
        assert list(Structure.objects.get(code="S-NUOVA").programmes.all()) == [programme]
    # Nobody invited yet: the coordinator's carried role is the edition's only one.
    assert list(Membership.objects.filter(programme=programme)) == [carried]
    assert not found, "\n".join(found)


def test_the_other_set_up_pages_are_accessible(page, axe, signed_in):
    signed_in("admin", at="lead")
    found = []
    for url in (
        reverse("network:edition"),
        reverse("network:organisations"),
        reverse("network:areas"),
        reverse("network:materials"),
        reverse("shelter:structure_settings", args=["S-ALFA"]),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        found += blocking_violations(axe, page)
    # A refused form shows its errors accessibly too.
    page.goto(reverse("network:edition"))
    page.locator("#id_line-amount").fill("-1")
    with page.expect_navigation():
        page.locator("main form").last.locator("button[type=submit]").click()
    expect(page.locator("#id_line-contributor-error")).to_be_visible()
    found += blocking_violations(axe, page)
    assert not found, "\n".join(found)

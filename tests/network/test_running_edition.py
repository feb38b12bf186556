"""Users start in the edition running today, not the newest one; the header marks an ended edition."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from approdi.accounts.scoping import resolve_membership
from approdi.network.models import Programme
from tests.builders import verified_client
from tests.network.test_dates import TODAY, english

pytestmark = pytest.mark.django_db


def test_users_start_in_the_edition_running_today_not_the_newest(network, make_user):
    upcoming = Programme.objects.create(
        code="P-NEXT",
        name="Prossima",
        start=date(TODAY().year + 2, 1, 1),
        end=date(TODAY().year + 3, 6, 30),
        lead_organisation=network.lead,
    )
    user = make_user("strada", network.partner, "outreach", network.other_programme)
    for programme in (network.programme, upcoming):
        user.memberships.create(organisation=network.partner, role="outreach", programme=programme)
    assert resolve_membership(user).programme == network.programme
    page = verified_client(user).get(reverse("core:home"))
    assert page.context["active_membership"].programme == network.programme


def test_without_a_running_edition_the_newest_stands_in(network, make_user):
    Programme.objects.filter(pk=network.programme.pk).update(end=date(2025, 6, 30))
    user = make_user("strada", network.partner, "outreach", network.other_programme)
    user.memberships.create(organisation=network.partner, role="outreach", programme=network.programme)
    assert resolve_membership(user).programme == network.programme


def test_the_header_marks_an_ended_edition(network, make_user, running):
    user = make_user("strada", network.partner, "outreach", network.programme)
    page = english(user).get(reverse("core:home")).content.decode()
    assert 'data-testid="programme-ended"' in page and "P-1 ended on 30/06/2025" in page
    italian = verified_client(user).get(reverse("core:home")).content.decode()
    assert "P-1 conclusa il 30/06/2025" in italian
    user.memberships.create(organisation=network.partner, role="outreach", programme=running)
    user = type(user).objects.get(pk=user.pk)
    now = english(user).get(reverse("core:home")).content.decode()
    assert 'data-testid="programme-ended"' not in now  # the running edition is the default now
    assert "P-1 (2024–2025) · Programma uno · Outreach operator · ended" in now


def test_the_demo_users_start_in_the_running_edition_that_holds_the_case_paths(db):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from approdi.accounts.models import User
    from approdi.cases.models import Case, ServiceDelivery
    from approdi.demo.seeds import load_demo

    call_command("load_demo", "--quiet")
    assert not any(load_demo().values())  # a second load adds nothing
    today = TODAY()
    for username in ("strada", "operatrice", "legale", "filtro", "coordinatrice"):
        programme = resolve_membership(User.objects.get(username=username)).programme
        assert programme.start <= today <= programme.end, username
    with scopes_disabled():
        cases = Case.objects.filter(programme=programme)
        assert cases.count() == 4  # three paths and an assisted return under way (approdi/demo/cases.py)
        deliveries = ServiceDelivery.objects.filter(case__programme=programme)
        assert deliveries.exists() and all(programme.start <= d.date <= today for d in deliveries)
        assert not Case.objects.filter(programme__code="DA-2023").exists()
    operatrice = User.objects.get(username="operatrice")
    switch = verified_client(operatrice)
    ended = operatrice.memberships.get(programme__code="DA-2023")
    switch.post(reverse("accounts:switch"), {"membership": ended.pk})
    assert "DA-2023 conclusa il 31/12/2024" in switch.get(reverse("core:home")).content.decode()

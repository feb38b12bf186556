"""A helpline referral shows the Ufficio Filtro who was on call when the call came in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.oncall.models import OnCallShift
from approdi.outreach.models import Referral
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift(network, make_user, filtro):
    user = make_user("reperibile", network.partner, "shelter", network.programme)
    user.first_name, user.last_name = "Rita", "Reperibile"
    user.save()
    now = timezone.now()
    with scopes_disabled():
        return OnCallShift.objects.create(
            programme=network.programme,
            organisation=network.partner,
            user=user,
            phone="333 7654321",
            start=now - timedelta(hours=2),
            end=now + timedelta(hours=2),
            created_by=filtro,
        )


def referral(network, filtro, source_type: str, day=None) -> Referral:
    with scopes_disabled():
        return Referral.objects.create(
            programme=network.programme,
            organisation=network.lead,
            date=day or timezone.localdate(),
            source_type=source_type,
            person_code="AB12",
            created_by=filtro,
        )


def page(filtro, found: Referral) -> str:
    return open_as(filtro).get(reverse("intake:referral", args=[found.pk])).content.decode()


def test_a_helpline_referral_names_who_was_on_call(network, filtro, shift):
    shown = page(filtro, referral(network, filtro, "helpline"))
    on_call = shown[shown.index('data-testid="on-call"') : shown.index("</dd>", shown.index('data-testid="on-call"'))]
    assert "Rita Reperibile" in on_call and "Cooperativa Alfa" in on_call and "333 7654321" in on_call


def test_a_helpline_call_when_nobody_was_on_call_says_so(network, filtro, shift):
    shown = page(filtro, referral(network, filtro, "helpline", day=timezone.localdate() - timedelta(days=3)))
    assert "Nobody was on call." in shown and "Rita Reperibile" not in shown


def test_other_referrals_do_not_name_the_on_call_operator(network, filtro, shift):
    shown = page(filtro, referral(network, filtro, "police"))
    assert 'data-testid="on-call"' not in shown and "Rita Reperibile" not in shown

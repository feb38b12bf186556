"""The street operator's day in fewer steps (issue #19): her home page starts an outing, a computed code
carries the facts she gave, a contact turns into a referral with its code, and the counts open on this week."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.outreach.models import Contact
from approdi.people.person_code import code_from_facts
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(network, people):
    return people("outreach")


def test_the_operators_home_page_starts_an_outing(network, operator):
    home = verified_client(operator.owner).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("outreach:outing_create")}" data-testid="home-new-outing"' in home
    # Whom the outreach rules do not let record a contact is not offered one.
    other = verified_client(operator.member).get(reverse("core:home")).content.decode()
    assert "home-new-outing" not in other


def test_use_this_code_carries_the_gender_and_nationality_given(operator):
    client = verified_client(operator.owner)
    facts = {"given_name": "Joy", "family_name": "Osas", "birth_year": 1999, "nationality": "NG", "gender": "woman"}
    page = client.post(reverse("outreach:person_code"), facts).content.decode()
    assert code_from_facts(**facts) in page
    assert 'data-fill-gender="woman"' in page and 'data-fill-nationality="NG"' in page


def _coded_contact(network, code: str) -> Contact:
    with scopes_disabled():
        return Contact.objects.create(
            programme=network.programme,
            organisation=network.partner,
            channel="street",
            date=timezone.localdate(),
            area=network.area,
            person_code=code,
            gender="woman",
            nationality="NG",
            exploitation="sexual",
        )


def test_a_contact_opens_a_referral_with_its_code_and_facts(network, operator):
    code = code_from_facts(nickname="Stella", nationality="NG")
    contact = _coded_contact(network, code)
    client = verified_client(operator.owner)
    detail = client.get(reverse("outreach:contact_detail", args=[contact.pk])).content.decode()
    link = f"{reverse('outreach:referral_create')}?contact={contact.pk}"
    assert link in detail
    form = client.get(link).context["form"]
    assert form.initial["person_code"] == code
    assert (form.initial["gender"], form.initial["nationality"], form.initial["exploitation"]) == (
        "woman",
        "NG",
        "sexual",
    )
    # Who refers her and how urgent it is are hers to choose: nothing suggested.
    assert "source_type" not in form.initial and "urgency" not in form.initial


def test_a_contact_of_another_organisation_prefills_nothing(network, people, operator):
    contact = _coded_contact(network, code_from_facts(nickname="Stella", nationality="NG"))
    outsider = verified_client(operator.outsider)
    response = outsider.get(reverse("outreach:referral_create"), {"contact": contact.pk})
    assert response.status_code == 404  # not hers to see, so not hers to copy


def test_the_counts_open_on_this_week(network, operator):
    wednesday = timezone.make_aware(datetime(2026, 3, 11, 10, 0))
    with time_machine.travel(wednesday, tick=False):
        form = verified_client(operator.owner).get(reverse("outreach:counts")).context["form"]
    assert (form.initial["date_from"], form.initial["date_to"]) == (date(2026, 3, 9), date(2026, 3, 11))
    assert date(2026, 3, 9) - timedelta(days=1) > network.programme.start  # a week inside the edition

"""Faster contact entry on a phone (issue #19): the nationalities this programme meets most head the list, the
outing's site is remembered from one contact to the next (nothing about the person is), "Use this code" fills
the age band when the year of birth leaves no doubt, and the counter says what it counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.outreach import selectors
from approdi.outreach.codes import age_band_of_birth_year
from approdi.outreach.models import Contact, Outing, OutingSite
from tests.builders import acting, verified_client
from tests.builders.pages import open_as, options_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(people):
    return people("outreach")


@pytest.fixture
def tonight(network, operator):
    with scopes_disabled():
        outing = Outing.objects.create(
            programme=network.programme,
            organisation=network.partner,
            team="Unità Nord",
            date=timezone.localdate(),
            shift="night",
            area=network.area,
            created_by=operator.owner,
        )
        OutingSite.objects.create(outing=outing, name="Viale Monza", people_seen=4)
        OutingSite.objects.create(outing=outing, name="Via Padova", people_seen=2)
    return outing


def met(network, organisation, nationality: str, times: int) -> None:
    with scopes_disabled():
        for _ in range(times):
            Contact.objects.create(
                programme=network.programme,
                organisation=organisation,
                channel="street",
                date=timezone.localdate(),
                area=network.area,
                nationality=nationality,
            )


def chosen(select: str) -> list[str]:
    """The answers a list has chosen beforehand (its empty choice aside)."""
    return re.findall(r'value="([^"]+)" selected', select)


def contact_select(page: str, name: str) -> str:
    return options_of(page, f"contact_{name}")


def test_the_nationalities_met_most_come_first_and_none_is_chosen(network, operator, tonight):
    met(network, network.partner, "RO", 2)
    met(network, network.other, "NG", 3)  # another partner's contacts teach the programme's list too
    page = open_as(operator.owner).get(reverse("outreach:outing_detail", args=[tonight.pk])).content.decode()
    nationalities = contact_select(page, "nationality")
    most_met = re.search(r'<optgroup label="Most met by this programme">(.*?)</optgroup>', nationalities, re.S)
    assert most_met, nationalities[:400]
    assert re.findall(r'value="(\w\w)"', most_met.group(1)) == ["NG", "RO"]
    assert not chosen(nationalities)
    facts = options_of(page, "facts_nationality")
    assert facts.index('value="NG"') < facts.index('value="AF"')  # the calculator's list too


def test_frequent_nationalities_are_read_once_per_request(network, operator):
    met(network, network.partner, "NG", 1)
    with acting(operator.owner) as actor, CaptureQueriesContext(connection) as queries:
        first = selectors.frequent_nationalities(actor=actor)
        again = selectors.frequent_nationalities(actor=actor)
    assert first == again == ["NG"]
    assert sum("nationality" in q["sql"] for q in queries.captured_queries) == 1


def test_the_site_is_remembered_and_nothing_about_the_person(operator, tonight):
    with scopes_disabled():
        padova = tonight.sites.get(name="Via Padova")
    client = verified_client(operator.owner)
    answer = client.post(
        reverse("outreach:outing_add_contact", args=[tonight.pk]),
        {"site": padova.pk, "gender": "woman", "nationality": "NG", "age_band": "21-23"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert re.search(rf'<option value="{padova.pk}" selected>Via Padova', contact_select(answer, "site"))
    for name in ("nationality", "age_band"):
        assert not chosen(contact_select(answer, name)), name
    # Gender is a row of buttons, the most met nationalities one-tap chips: none of them chosen either.
    assert 'name="gender" value="woman"' in answer and not re.search(r'<input[^>]*name="gender"[^>]*checked', answer)
    assert 'aria-pressed="true"' not in answer
    page = client.get(reverse("outreach:outing_detail", args=[tonight.pk])).content.decode()
    assert re.search(rf'<option value="{padova.pk}" selected>Via Padova', options_of(page, "group_site"))


def test_use_this_code_fills_the_age_band_only_when_the_year_leaves_no_doubt(operator):
    today = timezone.localdate()
    assert age_band_of_birth_year(today.year - 25, today) == "24-26"  # 24 or 25
    assert age_band_of_birth_year(today.year - 24, today) == ""  # 23 or 24: two bands, no guess
    assert age_band_of_birth_year(None, today) == ""
    client = verified_client(operator.owner)
    facts = {"nickname": "Stella", "nationality": "RO", "birth_year": today.year - 25}
    assert 'data-fill-age_band="24-26"' in client.post(reverse("outreach:person_code"), facts).content.decode()
    facts["birth_year"] = today.year - 24
    assert 'data-fill-age_band=""' in client.post(reverse("outreach:person_code"), facts).content.decode()


def test_the_counter_says_how_many_people_and_how_they_were_met(network, operator, tonight):
    client = open_as(operator.owner)
    add = reverse("outreach:outing_add_contact", args=[tonight.pk])
    for _ in range(8):
        client.post(add, {"gender": "woman"})
    client.post(reverse("outreach:outing_add_headcount", args=[tonight.pk]), {"headcount": 2})
    page = client.get(reverse("outreach:outing_detail", args=[tonight.pk])).content.decode()
    total = re.search(r'data-testid="contact-total">(.*?)</p>', page, re.S).group(1)
    assert " ".join(total.split()) == "10 people met: 8 alone, 2 in 1 group"
    italian = open_as(operator.owner, language="it").get(reverse("outreach:outing_detail", args=[tonight.pk]))
    total = re.search(r'data-testid="contact-total">(.*?)</p>', italian.content.decode(), re.S).group(1)
    assert " ".join(total.split()) == "10 persone incontrate: 8 da sole, 2 in 1 gruppo"

"""Counts of contacts and distinct people, and the four §9 figures, against a hand count."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.outreach import figures
from approdi.outreach.models import Contact, Referral
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def contact(network, org, channel, day, headcount=1, code="", first=None, gender="", nationality=""):
    return Contact.objects.create(
        programme=network.programme,
        organisation=org,
        channel=channel,
        date=day,
        headcount=headcount,
        person_code=code,
        first_contact=first,
        gender=gender,
        nationality=nationality,
        area=network.area,
    )


def referral(network, org, day, source, code=""):
    return Referral.objects.create(
        programme=network.programme, organisation=org, date=day, source_type=source, person_code=code
    )


@pytest.fixture
def dataset(network):
    p, o = network.partner, network.other
    with scopes_disabled():
        contact(
            network, p, "street", date(2024, 3, 1), code="AP-AAAAA-AAAAA", first=True, gender="woman", nationality="NG"
        )
        contact(
            network, p, "street", date(2024, 3, 8), code="AP-AAAAA-AAAAA", first=False, gender="woman", nationality="NG"
        )
        contact(network, p, "street", date(2024, 3, 8), headcount=6)
        contact(
            network,
            o,
            "street",
            date(2024, 3, 9),
            code="AP-BBBBB-BBBBB",
            first=True,
            gender="trans_woman",
            nationality="BR",
        )
        contact(network, p, "indoor", date(2024, 3, 10), headcount=2)
        contact(
            network,
            p,
            "drop_in",
            date(2024, 3, 31),
            code="AP-AAAAA-AAAAA",
            first=False,
            gender="woman",
            nationality="NG",
        )
        contact(network, p, "street", date(2024, 4, 1), headcount=9)  # after the period
        contact(network, p, "street", date(2024, 2, 29), headcount=4)  # before it
        referral(network, p, date(2024, 3, 2), "cas", "AP-CCCCC-CCCCC")
        referral(network, o, date(2024, 3, 3), "police", "AP-CCCCC-CCCCC")  # same person: counted once
        referral(network, p, date(2024, 3, 4), "helpline")  # no code: a person of its own
        referral(network, p, date(2024, 3, 5), "helpline")  # another
        referral(network, p, date(2024, 3, 6), "self", "AP-DDDDD-DDDDD")  # excluded
        referral(network, p, date(2024, 3, 7), "outreach", "AP-EEEEE-EEEEE")  # excluded
        referral(network, p, date(2024, 4, 2), "cas", "AP-FFFFF-FFFFF")  # after the period
    return network


def test_figures_follow_the_counting_rules(dataset):
    with scopes_disabled():
        result = figures.outreach_figures(
            Contact.objects.all(), Referral.objects.all(), start=date(2024, 3, 1), end=date(2024, 3, 31)
        )
    assert result == {
        "street_contacts": 9,
        "indoor_contacts": 2,
        "low_threshold_accesses": 1,
        "persons_referred_by_bodies": 3,
    }


def test_coordinator_counts_the_whole_programme(dataset, people):
    client = verified_client(people("coordinator", at=dataset.lead).owner)
    page = client.get(reverse("outreach:counts"), {"date_from": "2024-03-01", "date_to": "2024-03-31"})
    result = page.context["result"]
    assert result["totals"] == {"contacts": 12, "people": 2, "anonymous": 8, "first": 2, "repeat": 2}
    assert result["figures"]["street_contacts"] == 9
    by_gender = {row["gender"]: (row["contacts"], row["people"]) for row in result["by_gender"]}
    assert by_gender == {"": (8, 0), "woman": (3, 1), "trans_woman": (1, 1)}
    assert {row["nationality"]: row["people"] for row in result["by_nationality"]}["NG"] == 1


def test_outreach_operator_counts_their_own_organisation(dataset, people):
    client = verified_client(people("outreach").owner)
    result = client.get(reverse("outreach:counts"), {"date_from": "2024-03-01", "date_to": "2024-03-31"}).context[
        "result"
    ]
    assert result["totals"]["contacts"] == 11 and result["totals"]["people"] == 1


def test_filters_by_channel_and_area(dataset, people):
    client = verified_client(people("coordinator", at=dataset.lead).owner)
    result = client.get(
        reverse("outreach:counts"),
        {"date_from": "2024-03-01", "date_to": "2024-03-31", "channel": "indoor", "area": dataset.area.pk},
    ).context["result"]
    assert result["totals"]["contacts"] == 2


def test_bad_period_is_a_form_error(dataset, people):
    client = verified_client(people("coordinator", at=dataset.lead).owner)
    page = client.get(reverse("outreach:counts"), {"date_from": "2024-03-31", "date_to": "2024-03-01"})
    assert page.context["result"] is None and "date_to" in page.context["form"].errors


def test_roles_without_counts_are_refused(dataset, people):
    assert verified_client(people("shelter").owner).get(reverse("outreach:counts")).status_code == 403


def test_counts_page_queries_are_pinned(dataset, people, max_queries):
    client = verified_client(people("coordinator", at=dataset.lead).owner)
    client.get("/")
    with max_queries(18):
        client.get(reverse("outreach:counts"), {"date_from": "2024-03-01", "date_to": "2024-03-31"})

"""The counts page's figures (people by code in one pass, contacts from the tally) equal a query per figure.

Random contacts (coded people met again under another channel, gender, nationality or exploitation, anonymous
groups, first contacts unknown), in two programmes and three organisations, and a random period that starts and
ends anywhere in a month; for a coordinator (the whole programme) and an outreach operator (her organisation), with
and without the page's filters. The expected figures are the page's former queries — one aggregate for the totals,
one ``COUNT(DISTINCT)`` per breakdown, one per §9 figure — written with the rules of ``outreach.figures``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from approdi.accounts.models import Membership, User
from approdi.outreach import figures
from approdi.outreach.models import Contact, Referral
from approdi.outreach.selectors import CountFilters, counts
from tests.builders import acting
from tests.builders.network import two_programmes

FIRST = date(2024, 1, 1)
RUNNING_END = date(date.today().year + 1, 12, 31)
CODES = ("", "AP-AAAAA-AAAAA", "AP-BBBBB-BBBBB", "AP-CCCCC-CCCCC", "AP-DDDDD-DDDDD")

day = st.integers(0, 120)  # four months: periods start and end inside months and across them
contact = st.fixed_dictionaries(
    {
        "programme": st.sampled_from([0, 0, 0, 1]),
        "organisation": st.integers(0, 2),
        "channel": st.sampled_from(("street", "indoor", "drop_in")),
        "day": day,
        "code": st.sampled_from(CODES),
        "headcount": st.integers(1, 4),  # only an anonymous record is a group
        "first": st.sampled_from((None, True, False)),
        "area": st.one_of(st.none(), st.integers(0, 1)),
        "exploitation": st.sampled_from(("", "sexual", "labour")),
        "nationality": st.sampled_from(("", "NG", "RO")),
        "gender": st.sampled_from(("", "woman", "trans_woman")),
    }
)
query = st.fixed_dictionaries(
    {
        "actor": st.sampled_from(("coordinator", "outreach")),
        "area": st.one_of(st.none(), st.integers(0, 1)),
        "organisation": st.one_of(st.none(), st.integers(0, 2)),
        "channel": st.sampled_from(("", "street", "indoor")),
    }
)


def query_per_figure(filters: CountFilters) -> dict:
    """The page's figures as it counted them before, in the acting user's scope."""
    rows = figures.dated(Contact.objects.all(), filters.date_from, filters.date_to)
    referrals = Referral.objects.all()
    if filters.area_id:
        rows = rows.filter(area_id=filters.area_id)
    if filters.organisation_id:
        rows = rows.filter(organisation_id=filters.organisation_id)
        referrals = referrals.filter(organisation_id=filters.organisation_id)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    totals = rows.aggregate(
        contacts=figures.contacts(),
        people=figures.distinct_codes(),
        anonymous=figures.contacts(Q(person_code="")),
        first=figures.contacts(Q(first_contact=True)),
        repeat=figures.contacts(Q(first_contact=False)),
    )

    def breakdown(field: str) -> list[dict]:
        grouped = rows.values(field).annotate(contacts=figures.contacts(), people=figures.distinct_codes())
        return list(grouped.order_by("-contacts", field))

    own = {"organisation_id": filters.organisation_id} if filters.organisation_id else {}
    return {
        "totals": totals,
        **{f"by_{d}": breakdown(d) for d in ("channel", "gender", "nationality", "exploitation")},
        "figures": figures.outreach_figures(
            Contact.objects.filter(**own), referrals, start=filters.date_from, end=filters.date_to
        ),
    }


class TestCountsMatchAQueryPerFigure(HypothesisTestCase):
    def world(self):
        programmes, partners, areas = two_programmes(FIRST, RUNNING_END)
        lead = partners[0]
        actors = {}
        for role, organisation in (("coordinator", lead), ("outreach", partners[1])):
            actors[role] = User.objects.create(username=role)
            Membership.objects.create(user=actors[role], organisation=organisation, programme=programmes[0], role=role)
        return programmes, partners, areas, actors

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(st.lists(contact, max_size=30), st.lists(query, min_size=1, max_size=3), day, st.integers(0, 90))
    def test_the_page_counts_what_a_query_per_figure_counts(self, contacts, queries, first_day, length):
        programmes, partners, areas, actors = self.world()
        with scopes_disabled():
            Contact.objects.bulk_create(
                Contact(
                    programme=programmes[c["programme"]],
                    organisation=partners[c["organisation"]],
                    channel=c["channel"],
                    date=FIRST + timedelta(days=c["day"]),
                    person_code=c["code"],
                    headcount=1 if c["code"] else c["headcount"],
                    first_contact=c["first"],
                    area=None if c["area"] is None else areas[c["area"]],
                    exploitation=c["exploitation"],
                    nationality=c["nationality"],
                    gender=c["gender"],
                )
                for c in contacts
            )
            for i, c in enumerate(contacts[:8]):  # referrals: some from bodies, some not, some without a code
                Referral.objects.create(
                    programme=programmes[c["programme"]],
                    organisation=partners[c["organisation"]],
                    date=FIRST + timedelta(days=c["day"]),
                    source_type=("police", "self", "helpline")[i % 3],
                    person_code=c["code"],
                )
        start = FIRST + timedelta(days=first_day)
        for q in queries:
            filters = CountFilters(
                date_from=start,
                date_to=start + timedelta(days=length),
                area_id=None if q["area"] is None else areas[q["area"]].pk,
                organisation_id=None if q["organisation"] is None else partners[q["organisation"]].pk,
                channel=q["channel"],
            )
            with acting(actors[q["actor"]]) as actor:
                assert counts(actor=actor, filters=filters) == query_per_figure(filters)

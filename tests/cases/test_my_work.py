""" "My work": today's appointments and hearings, overdue actions, deadlines with their level, transfers, reviews."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import (
    Appointment,
    Case,
    Goal,
    Hearing,
    LegalMatter,
    Permit,
    PlanAction,
    Review,
    TeamMember,
    Transfer,
)
from approdi.people.models import Person
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def give_work(case_world, network, count: int) -> None:
    """``count`` cases of the manager, each with one item of every kind, and a transfer sent to her."""
    today = timezone.localdate()
    manager = case_world.manager
    with scopes_disabled():
        for n in range(count):
            person = Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-WORK{n:02d}-{n:05d}",
                created_by=manager,
            )
            case = Case.objects.create(
                programme=network.programme,
                person=person,
                lead_organisation=network.partner,
                case_manager=manager,
                type="territorial",
                start=today - timedelta(days=200),
            )
            TeamMember.objects.create(
                case=case, user=manager, organisation=network.partner, role="case_manager", added_by=manager
            )
            Appointment.objects.create(
                case=case,
                starts_at=at(today, 10),
                title=f"Colloquio di verifica {n}",
                operator=manager,
                created_by=manager,
            )
            goal = Goal.objects.create(case=case, domain="language", description="Italiano A2", created_by=manager)
            PlanAction.objects.create(
                goal=goal, description=f"Iscrizione al CPIA {n}", owner=manager, due=today - timedelta(days=3)
            )
            matter = LegalMatter.objects.create(
                case=case,
                kind="criminal_proceeding",
                date=today - timedelta(days=100),
                authority="Procura",
                created_by=manager,
            )
            Hearing.objects.create(
                matter=matter, starts_at=at(today, 11), place=f"Tribunale aula {n}", created_by=manager
            )
            Permit.objects.create(
                case=case,
                type="art18_social",
                status="issued",
                application_date=today - timedelta(days=190),
                questura="Milano",
                issue_date=today - timedelta(days=180),
                expiry=today + timedelta(days=5),
                created_by=manager,
            )
            Review.objects.create(
                case=case,
                date=today - timedelta(days=90),
                summary="Verifica",
                next_review=today - timedelta(days=1),
                reviewed_by=manager,
            )
            # A case of the other partner, proposed to the manager.
            offered = Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-OFFER{n:02d}-{n:05d}",
                created_by=manager,
            )
            other_case = Case.objects.create(
                programme=network.programme,
                person=offered,
                lead_organisation=network.other,
                case_manager=case_world.outsider,
                type="territorial",
                start=today - timedelta(days=10),
            )
            Transfer.objects.create(
                case=other_case,
                from_organisation=network.other,
                to_organisation=network.partner,
                to_user=manager,
                reason="Trasferimento a Milano",
                requested_by=case_world.outsider,
            )


def test_the_manager_sees_her_day_her_deadlines_and_what_waits_for_her(case_world, network):
    give_work(case_world, network, 1)
    page = open_as(case_world.manager).get(reverse("cases:my_work"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Colloquio di verifica 0" in text
    assert "Tribunale aula 0" in text
    assert "Iscrizione al CPIA 0" in text
    assert "AP-WORK00-00000" in text
    deadlines = text[text.index('data-testid="deadlines"') :]
    deadlines = deadlines[: deadlines.index("</table>")]
    # The permit expires in 5 days: level 7, said in words and not by colour alone; the hearing is today.
    assert "Within 7 days" in deadlines and "bg-danger" in deadlines and "in 5 days" in deadlines
    assert "Due today or past" in deadlines
    with scopes_disabled():
        transfer = Transfer.objects.get()
    assert reverse("cases:transfer", args=[transfer.pk]) in text
    reviews = text[text.index('data-testid="reviews"') :]
    assert "AP-WORK00-00000" in reviews[: reviews.index("</ul>")]


def test_levels_30_and_14_are_told_apart(case_world, network):
    give_work(case_world, network, 1)
    today = timezone.localdate()
    with scopes_disabled():
        permit = Permit.objects.get()
        permit.expiry = today + timedelta(days=12)
        permit.save()
    text = open_as(case_world.manager).get(reverse("cases:my_work")).content.decode()
    assert "Within 14 days" in text and "in 12 days" in text
    with scopes_disabled():
        permit.expiry = today + timedelta(days=29)
        permit.save()
    text = open_as(case_world.manager).get(reverse("cases:my_work")).content.decode()
    assert "Within 30 days" in text and "in 29 days" in text


def test_nobody_else_sees_the_managers_work(case_world, network):
    give_work(case_world, network, 1)
    for user in (case_world.colleague, case_world.outsider, case_world.educator):
        text = open_as(user).get(reverse("cases:my_work")).content.decode()
        assert "Colloquio di verifica 0" not in text, user.username
        assert "AP-WORK00-00000" not in text, user.username
    assert open_as(case_world.coordinator).get(reverse("cases:my_work")).status_code == 403


def test_the_dashboard_takes_the_same_queries_for_one_or_many_items(case_world, network, max_queries):
    client = open_as(case_world.manager)
    give_work(case_world, network, 1)
    client.get(reverse("cases:my_work"))  # warm the session
    # 17: with the header's bell and the unread notices, the emergency-access banner, the transferred people's
    # follow-ups and the governance tables' actions (one each)
    with max_queries(17) as one:
        client.get(reverse("cases:my_work"))
    give_work_more(case_world, network)
    with max_queries(17) as many:
        text = client.get(reverse("cases:my_work")).content.decode()
    assert "Colloquio di verifica 7" in text
    assert many.count == one.count


def give_work_more(case_world, network) -> None:
    """Seven more cases with their items (codes that do not collide with the first one's)."""
    with scopes_disabled():
        Person.objects.filter(code__startswith="AP-WORK").update(code="AP-FIRST-00000")
        Person.objects.filter(code__startswith="AP-OFFER").update(code="AP-FIRSTO-00000")
    give_work(case_world, network, 8)


def test_the_home_page_and_the_menu_lead_to_the_cases(case_world):
    home = open_as(case_world.manager).get(reverse("core:home")).content.decode()
    assert reverse("cases:my_work") in home
    assert reverse("cases:case_list") in home
    coordinator_home = open_as(case_world.coordinator).get(reverse("core:home")).content.decode()
    assert reverse("cases:my_work") not in coordinator_home
    assert f'href="{reverse("cases:case_list")}"' not in coordinator_home


def test_my_work_reads_no_identity_of_the_people_it_lists(case_world, network):
    """A list shows codes: no statement of the page reads a person's ciphertext (each row would decrypt it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    give_work(case_world, network, 2)
    client = open_as(case_world.manager)
    client.get(reverse("cases:my_work"))
    with CaptureQueriesContext(connection) as queries:
        text = client.get(reverse("cases:my_work")).content.decode()
    assert "AP-WORK01-00001" in text and "Within 7 days" in text  # the permit and the hearing are listed
    identity = [f'"intake_person"."{name}"' for name in Person.IDENTITY_FIELDS]
    read = [q["sql"] for q in queries.captured_queries if any(column in q["sql"] for column in identity)]
    assert read == []


def test_the_most_overdue_twenty_are_shown_and_the_twenty_first_is_one_tap_away(case_world, network):
    """A long list keeps its 20 most overdue actions; "1 more" opens the whole list, where the last one waits."""
    today = timezone.localdate()
    give_work(case_world, network, 1)
    with scopes_disabled():
        goal = Goal.objects.get()
        for n in range(20):  # 21 in all with give_work's, due 3 days ago; these are older, the oldest first
            PlanAction.objects.create(
                goal=goal,
                description=f"Azione arretrata {n:02d}",
                owner=case_world.manager,
                due=today - timedelta(days=40 - n),
            )
    client = open_as(case_world.manager)
    text = client.get(reverse("cases:my_work")).content.decode()
    overdue = text[text.index('data-testid="overdue"') :]
    overdue = overdue[: overdue.index("</section>")]
    assert "Azione arretrata 00" in overdue and "Azione arretrata 19" in overdue
    assert "Iscrizione al CPIA 0" not in overdue  # the least overdue of 21
    assert "1 more: show the whole list" in overdue
    assert f'href="{reverse("cases:my_work")}?all=overdue#overdue-title"' in overdue
    whole = client.get(reverse("cases:my_work"), {"all": "overdue"}).content.decode()
    whole = whole[whole.index('data-testid="overdue"') :]
    whole = whole[: whole.index("</section>")]
    assert "Iscrizione al CPIA 0" in whole and "Azione arretrata 00" in whole
    assert 'data-testid="more-overdue"' not in whole
    # The home page counts them all, and leads to the whole list too.
    home = client.get(reverse("core:home")).content.decode()
    assert "?all=overdue" in home


def test_the_api_still_lists_every_overdue_action(case_world, network):
    """GET /api/v1/my-work keeps its contract: whole lists (docs/contracts.md), the page alone is bounded."""
    from approdi.accounts.services import issue_token

    today = timezone.localdate()
    give_work(case_world, network, 1)
    with scopes_disabled():
        goal = Goal.objects.get()
        for n in range(24):
            PlanAction.objects.create(
                goal=goal, description=f"A{n}", owner=case_world.manager, due=today - timedelta(days=9)
            )
    token = issue_token(user=case_world.manager)[1]
    body = open_as(case_world.manager).get("/api/v1/my-work", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(body["overdue_actions"]) == 25
    assert body["overdue_actions"][0]["owner"] == case_world.manager.username
    assert body["overdue_actions"][0]["person_code"] == "AP-WORK00-00000"

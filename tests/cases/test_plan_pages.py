"""The individual plan and the appointments, in the browser's terms: goals, actions, reviews, history."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Appointment, Case, Goal, GoalProgress, PlanAction, Review
from approdi.cases.services import plan as plan_services
from tests.builders import acting
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def url(name, case, *args) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *args])


def detail(case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def add_goal(world, domain="language", description="Reach A2 in Italian") -> Goal:
    with acting(world.manager) as manager:
        case = Case.objects.get(pk=world.case.pk)
        return plan_services.add_goal(actor=manager, case=case, domain=domain, description=description)


def close(case) -> None:
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(status="closed", end=date(2024, 6, 1), outcome="autonomy")


def test_the_team_adds_a_goal_and_an_action_and_marks_it_done(case_world):
    world = case_world
    client = open_as(world.educator)
    answer = client.post(url("goal_add", world.case), {"domain": "work", "description": "Find a job in catering"})
    assert answer.status_code == 302 and answer["Location"] == detail(world.case) + "#plan"
    with scopes_disabled():
        goal = Goal.objects.get(case=world.case)
    assert goal.get_domain_display() == "Work"

    form = client.get(url("action_add", world.case, goal.pk)).content.decode()
    assert "Find a job in catering" in form and f'value="{world.legal.pk}"' in form
    assert f'value="{world.colleague.pk}"' not in form  # not on the team: not offered
    due = (timezone.localdate() - timedelta(days=3)).isoformat()
    answer = client.post(
        url("action_add", world.case, goal.pk), {"description": "Write a CV", "owner": world.legal.pk, "due": due}
    )
    assert answer.status_code == 302
    page = client.get(detail(world.case)).content.decode()
    assert "Write a CV" in page and "overdue" in page

    with scopes_disabled():
        action = PlanAction.objects.get(goal=goal)
    client = open_as(world.legal)  # the action is hers: she marks it done
    assert client.post(url("action_done", world.case, action.pk)).status_code == 302
    with scopes_disabled():
        action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    page = client.get(detail(world.case)).content.decode()
    assert "done on" in page and "overdue" not in page
    # Done twice: refused with a message, nothing changes.
    again = client.post(url("action_done", world.case, action.pk), follow=True).content.decode()
    assert "This action is done already." in again


def test_an_action_owner_off_the_team_is_refused_on_the_form(case_world):
    goal = add_goal(case_world)
    answer = open_as(case_world.manager).post(
        url("action_add", case_world.case, goal.pk),
        {"description": "Enrol at the CPIA", "owner": case_world.colleague.pk, "due": "2024-09-01"},
    )
    assert answer.status_code == 200
    assert "is-invalid" in answer.content.decode()
    with scopes_disabled():
        assert not PlanAction.objects.exists()


def test_a_review_records_every_goal_and_the_history_keeps_each_picture(case_world):
    world = case_world
    language = add_goal(world, "language", "Reach A2 in Italian")
    housing = add_goal(world, "housing", "Find a shared flat")
    client = open_as(world.manager)
    form = client.get(url("plan_review", world.case)).content.decode()
    assert "Reach A2 in Italian" in form and "Find a shared flat" in form
    today = timezone.localdate()
    first = today - timedelta(days=60)
    answer = client.post(
        url("plan_review", world.case),
        {
            "day": first.isoformat(),
            "summary": "Good start",
            "next_review": (first + timedelta(days=30)).isoformat(),
            f"status_{language.pk}": "achieved",
            f"note_{language.pk}": "A2 certificate obtained",
            f"status_{housing.pk}": "open",
            f"note_{housing.pk}": "Looking with the housing desk",
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#plan")
    client.post(
        url("plan_review", world.case),
        {
            "day": today.isoformat(),
            "summary": "Housing dropped for now",
            f"status_{language.pk}": "achieved",
            f"status_{housing.pk}": "dropped",
        },
    )
    with scopes_disabled():
        assert Review.objects.filter(case=world.case).count() == 2
        assert GoalProgress.objects.filter(goal=housing).order_by("review__date").first().status == "open"
        housing.refresh_from_db()
    assert housing.status == "dropped"

    history = client.get(url("plan_history", world.case)).content.decode()
    older = history.index("Good start")
    newer = history.index("Housing dropped for now")
    assert newer < older  # newest first
    # The first review still shows the flat search in progress, with its note.
    first_review = history[older:]
    assert "Looking with the housing desk" in first_review and "In progress" in first_review
    assert "Dropped" in history[newer:older]


def test_the_next_review_comes_after_the_review(case_world):
    goal = add_goal(case_world)
    answer = open_as(case_world.manager).post(
        url("plan_review", case_world.case),
        {"day": "2024-05-01", "summary": "x", "next_review": "2024-04-01", f"status_{goal.pk}": "open"},
    )
    assert answer.status_code == 200 and "The next review comes after this one." in answer.content.decode()
    with scopes_disabled():
        assert not Review.objects.exists()


def test_appointments_upcoming_and_past(case_world):
    world = case_world
    client = open_as(world.manager)
    form = client.get(url("appointment_add", world.case)).content.decode()
    assert f'value="{world.educator.pk}"' in form and f'value="{world.colleague.pk}"' not in form
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = client.post(
        url("appointment_add", world.case),
        {
            "day": tomorrow.isoformat(),
            "time": "10:30",
            "title": "Medical visit",
            "place": "ASST Santi Paolo e Carlo",
            "operator": world.educator.pk,
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#appointments")
    client.post(
        url("appointment_add", world.case),
        {"day": "2024-03-01", "time": "09:00", "title": "First interview", "operator": world.manager.pk},
    )
    with scopes_disabled():
        (visit,) = [a for a in Appointment.objects.all() if a.title == "Medical visit"]  # encrypted: no lookup
    assert timezone.localtime(visit.starts_at).hour == 10 and visit.operator == world.educator
    page = client.get(detail(world.case)).content.decode()
    upcoming = page[page.index('data-testid="appointments-upcoming"') :]
    past = page[page.index('data-testid="appointments-past"') :]
    assert upcoming.index("Medical visit") < upcoming.index("</table>")
    assert "First interview" in past and "Medical visit" not in past


@pytest.mark.parametrize("name", ["goal_add", "plan_review", "plan_history", "appointment_add"])
def test_who_opens_the_plan_pages(case_world, name):
    target = url(name, case_world.case)
    assert open_as(case_world.educator).get(target).status_code == 200  # on the team
    assert open_as(case_world.filtro).get(target).status_code == 200  # the programme's Ufficio Filtro
    assert open_as(case_world.colleague).get(target).status_code == 404  # same organisation, off the team
    assert open_as(case_world.outsider).get(target).status_code == 404  # another partner
    assert open_as(case_world.coordinator).get(target).status_code == 403  # no case role


def test_outsiders_cannot_write_to_the_plan(case_world):
    goal = add_goal(case_world)
    for user in (case_world.colleague, case_world.outsider):
        client = open_as(user)
        assert client.post(url("goal_add", case_world.case), {"domain": "work", "description": "x"}).status_code == 404
        body = {"description": "x", "owner": user.pk, "due": "2024-09-01"}
        assert client.post(url("action_add", case_world.case, goal.pk), body).status_code == 404
    with scopes_disabled():
        assert Goal.objects.count() == 1 and not PlanAction.objects.exists()


def test_a_goal_of_another_case_is_not_found_here(case_world, network):
    goal = add_goal(case_world)
    with scopes_disabled():
        other = Case.objects.create(
            programme=network.programme,
            person=case_world.person,
            lead_organisation=network.partner,
            type="territorial",
            status="suspended",
            start=date(2024, 1, 1),
        )
        other.members.create(
            user=case_world.manager, organisation=network.partner, role="case_manager", added_by=case_world.manager
        )
    assert open_as(case_world.manager).get(url("action_add", other, goal.pk)).status_code == 404


def test_a_closed_case_shows_no_plan_forms_and_refuses_writes(case_world):
    goal = add_goal(case_world)
    close(case_world.case)
    client = open_as(case_world.manager)
    page = client.get(detail(case_world.case)).content.decode()
    assert "Reach A2 in Italian" in page
    assert url("goal_add", case_world.case) not in page and url("action_add", case_world.case, goal.pk) not in page
    answer = client.post(url("goal_add", case_world.case), {"domain": "work", "description": "Too late"})
    assert answer.status_code == 200 and "The case is closed" in answer.content.decode()
    with scopes_disabled():
        assert Goal.objects.count() == 1

"""My work shows work still to do, and an action is marked done by whom owes it (issue #19): the overdue action
of a closed case leaves My work; a legal advisor on the team cannot mark another person's action done, on the
page or through the API."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.cases.models import Case, Goal, PlanAction
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def action_of(world, owner, *, days_late: int = 3) -> PlanAction:
    with scopes_disabled():
        goal = Goal.objects.create(case=world.case, domain="housing", description="Casa", created_by=world.manager)
        return PlanAction.objects.create(
            goal=goal, description="Chiamare il CPIA", owner=owner, due=timezone.localdate() - timedelta(days=days_late)
        )


def done_on(action) -> date | None:
    with scopes_disabled():
        action.refresh_from_db()
    return action.done_on


def test_an_overdue_action_of_a_closed_case_leaves_my_work(case_world):
    action_of(case_world, case_world.manager)
    my_work = reverse("cases:my_work")
    assert "Chiamare il CPIA" in open_as(case_world.manager).get(my_work).content.decode()
    with scopes_disabled():
        Case.objects.filter(pk=case_world.case.pk).update(status="closed", end=date(2024, 6, 1), outcome="autonomy")
    assert "Chiamare il CPIA" not in open_as(case_world.manager).get(my_work).content.decode()


def test_the_legal_advisor_cannot_mark_the_managers_action_done(case_world):
    action = action_of(case_world, case_world.manager)
    done = reverse("cases:action_done", args=[case_world.case.pk, action.pk])
    page = open_as(case_world.legal).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Chiamare il CPIA" in page and done not in page
    assert open_as(case_world.legal).post(done).status_code == 403
    assert done_on(action) is None
    # A colleague of the organisation off the team, and a case worker of another partner, do not see the case.
    assert open_as(case_world.colleague).post(done).status_code == 404
    assert open_as(case_world.outsider).post(done).status_code == 404
    assert done_on(action) is None
    # Whom it is owed by and the case manager do.
    assert (
        done
        in open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    )
    assert open_as(case_world.manager).post(done).status_code == 302
    assert done_on(action) == timezone.localdate()


def test_the_api_keeps_the_same_rule(case_world):
    action = action_of(case_world, case_world.manager)

    def post(user):
        token = issue_token(user=user)[1]
        return Client().post(
            f"/api/v1/actions/{action.pk}/done",
            {"date": timezone.localdate().isoformat()},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert post(case_world.legal).status_code == 403
    assert post(case_world.outsider).status_code == 404
    assert done_on(action) is None
    own = action_of(case_world, case_world.legal)
    action = own
    assert post(case_world.legal).status_code == 200
    assert done_on(own) == timezone.localdate()

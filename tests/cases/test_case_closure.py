"""Closing a case from its page: outcome, the exit record when it is the person's last open case."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case
from approdi.people.models import ProgrammeRecord
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def close(user, case, **body):
    return open_as(user).post(reverse("cases:case_close", args=[case.pk]), body, follow=True)


def test_closing_the_last_open_case_writes_the_exit_record(case_world):
    today = timezone.localdate()
    answer = close(case_world.manager, case_world.case, day=today.isoformat(), outcome="autonomy")
    text = answer.content.decode()
    assert answer.redirect_chain and answer.redirect_chain[-1][0].endswith("#closure")
    assert "exit record from the programme has been written" in text
    assert 'data-testid="closed"' in text
    assert reverse("cases:case_close", args=[case_world.case.pk]) not in text  # nothing left to change
    assert reverse("cases:team_add", args=[case_world.case.pk]) not in text
    with scopes_disabled():
        case = Case.objects.get(pk=case_world.case.pk)
        assert (case.status, case.end, case.outcome) == ("closed", today, "autonomy")
        exit_record = ProgrammeRecord.objects.get(person=case_world.person, kind="exit")
    assert (exit_record.date, exit_record.outcome) == (today, "autonomy")


def test_with_another_open_case_the_exit_record_waits(case_world, network):
    with scopes_disabled():
        Case.objects.create(
            programme=network.programme,
            person=case_world.person,
            lead_organisation=network.lead,
            type="residential",
            status="suspended",
            start=case_world.case.start,
        )
    answer = close(case_world.manager, case_world.case, day=timezone.localdate().isoformat(), outcome="other")
    assert "her exit record waits for the last one" in answer.content.decode()
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "closed"
        assert not ProgrammeRecord.objects.filter(person=case_world.person, kind="exit").exists()


def test_a_future_date_is_refused_on_the_form_and_nothing_changes(case_world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = close(case_world.manager, case_world.case, day=tomorrow.isoformat(), outcome="autonomy")
    text = answer.content.decode()
    assert answer.status_code == 200 and not answer.redirect_chain
    assert 'id="close_day-error"' in text
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"
        assert not ProgrammeRecord.objects.filter(kind="exit").exists()


def test_a_refused_exit_record_keeps_the_case_open_and_says_why(case_world):
    """The exit cannot come before the entry: the service's error lands on the date, in Italian."""
    with scopes_disabled():
        entry = ProgrammeRecord.objects.get(person=case_world.person, kind="entry")
    day = entry.date - timedelta(days=1)
    if day < case_world.case.start:
        pytest.skip("the entry record is dated the case's start")
    answer = open_as(case_world.manager, language="it").post(
        reverse("cases:case_close", args=[case_world.case.pk]), {"day": day.isoformat(), "outcome": "autonomy"}
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "L&#x27;uscita non può precedere l&#x27;ingresso" in text
    assert '<dd class="col-sm-8" data-testid="case-status"><strong>Attiva</strong>' in text  # not shown as closed
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"


def test_only_the_case_manager_or_the_filtro_closes(case_world):
    today = timezone.localdate().isoformat()
    for user, status in ((case_world.educator, 403), (case_world.legal, 403), (case_world.outsider, 404)):
        answer = open_as(user).post(
            reverse("cases:case_close", args=[case_world.case.pk]), {"day": today, "outcome": "other"}
        )
        assert answer.status_code == status, user.username
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"

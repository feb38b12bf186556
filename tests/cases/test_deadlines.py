"""Deadline alerts: the right days across month ends and leap years, and the daily e-mail command
(one mail per threshold reached and recipient, never twice, a missed day caught up once, the person by code only)."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases import deadlines
from approdi.cases.models import Case, DeadlineNotice, Permit
from approdi.cases.services import legal as legal_services
from approdi.people.models import Person
from tests.builders import acting
from tests.builders.cases import apply_for_permit, issue_permit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # 2028 is a leap year: 29 February counts.
        (date(2028, 3, 1), {30: date(2028, 1, 31), 14: date(2028, 2, 16), 7: date(2028, 2, 23)}),
        (date(2027, 3, 1), {30: date(2027, 1, 30), 14: date(2027, 2, 15), 7: date(2027, 2, 22)}),
        (date(2027, 3, 31), {30: date(2027, 3, 1), 14: date(2027, 3, 17), 7: date(2027, 3, 24)}),
        (date(2028, 3, 30), {30: date(2028, 2, 29), 14: date(2028, 3, 16), 7: date(2028, 3, 23)}),
        (date(2027, 1, 5), {30: date(2026, 12, 6), 14: date(2026, 12, 22), 7: date(2026, 12, 29)}),
    ],
)
def test_alert_dates_across_month_ends_and_leap_years(due, expected):
    assert deadlines.alert_dates(due) == expected


@pytest.mark.parametrize(
    ("days_left", "level"),
    [(31, None), (30, 30), (15, 30), (14, 14), (8, 14), (7, 7), (1, 7), (0, 0), (-3, 0)],
)
def test_the_level_is_the_tightest_threshold_reached(days_left, level):
    today = date(2028, 2, 20)
    assert deadlines.level(today + timedelta(days=days_left), today) == level


@pytest.fixture(autouse=True)
def _in_january_2028():
    """The deadlines below fall in 2028 and were applied for in 2027: the clock stands between the two,
    since a permit application or a complaint cannot be dated in the future."""
    with time_machine.travel(timezone.make_aware(datetime(2028, 1, 20, 10, 0)), tick=True):
        yield


def permit_expiring(world, expiry: date) -> Permit:
    applied = apply_for_permit(world.legal, world.case.pk, application_date=date(2027, 2, 1))
    return issue_permit(world.legal, applied, issue_date=date(2027, 3, 1), expiry=expiry)


def run(day: date, *options: str) -> str:
    out = StringIO()
    call_command("send_deadline_alerts", "--date", day.isoformat(), *options, stdout=out)
    return out.getvalue()


def sent_on(day: date) -> list:
    before = len(mail.outbox)
    run(day)
    return mail.outbox[before:]


def test_one_mail_per_threshold_and_recipient_never_twice_and_a_missed_day_caught_up_once(case_world):
    permit_expiring(case_world, date(2028, 3, 1))
    recipients = {case_world.manager.email, case_world.legal.email}  # the case manager and the legal advisor

    assert sent_on(date(2028, 1, 30)) == []  # 31 days before: nothing yet
    first = sent_on(date(2028, 1, 31))  # 30 days before
    assert {m.to[0] for m in first} == recipients and len(first) == 2
    assert sent_on(date(2028, 1, 31)) == [] and sent_on(date(2028, 2, 1)) == []  # never twice
    assert len(sent_on(date(2028, 2, 16))) == 2  # 14 days before
    # The command did not run from 17 to 24 February: the 7-day alert comes once, late, on the 25th.
    late = sent_on(date(2028, 2, 25))
    assert len(late) == 2 and all("5" in m.subject for m in late)  # days left
    assert sent_on(date(2028, 2, 26)) == [] and sent_on(date(2028, 2, 29)) == []
    with scopes_disabled():
        assert DeadlineNotice.objects.filter(recipient=case_world.manager).count() == 3


def test_a_missed_30_and_14_day_alert_is_caught_up_once_at_the_tightest_level(case_world):
    permit_expiring(case_world, date(2028, 3, 1))
    late = sent_on(date(2028, 2, 20))  # 10 days before, nothing sent so far: the 14-day alert only
    assert len(late) == 2
    with scopes_disabled():
        assert set(DeadlineNotice.objects.values_list("threshold", flat=True)) == {14, 30}
    assert sent_on(date(2028, 2, 21)) == []
    assert len(sent_on(date(2028, 2, 23))) == 2  # the 7-day alert still comes on its day


def test_the_mail_names_the_person_by_code_only(case_world):
    with scopes_disabled():
        Person.objects.filter(pk=case_world.person.pk).update(given_name="Blessing", family_name="Okoro")
    permit_expiring(case_world, date(2028, 3, 1))
    message = sent_on(date(2028, 2, 23))[0]
    text = message.subject + message.body
    assert case_world.person.code in text and "01/03/2028" in text
    assert "Blessing" not in text and "Okoro" not in text


def test_hearings_are_announced_too(case_world):
    with acting(case_world.legal) as legal:
        case = Case.objects.get(pk=case_world.case.pk)
        matter = legal_services.open_matter(
            actor=legal, case=case, kind="asylum", day=date(2027, 5, 1), authority="Commissione Territoriale di Milano"
        )
        legal_services.schedule_hearing(
            actor=legal, matter=matter, starts_at=timezone.make_aware(datetime(2028, 3, 10, 9, 0)), place="Via Testi"
        )
    # The day the hearing falls is its local day; alerts on 9 February, 25 February and 3 March.
    assert sent_on(date(2028, 2, 8)) == []
    assert len(sent_on(date(2028, 2, 9))) == 2
    assert sent_on(date(2028, 2, 24)) == []
    assert len(sent_on(date(2028, 2, 25))) == 2
    assert sent_on(date(2028, 3, 2)) == []
    assert len(sent_on(date(2028, 3, 3))) == 2


def test_closed_cases_are_silent_and_a_dry_run_sends_nothing(case_world):
    permit_expiring(case_world, date(2028, 3, 1))
    listed = run(date(2028, 2, 23), "--dry-run")
    assert case_world.person.code in listed and len(mail.outbox) == 0
    with scopes_disabled():
        assert not DeadlineNotice.objects.exists()
        Case.objects.filter(pk=case_world.case.pk).update(status="closed", end=date(2028, 1, 15), outcome="autonomy")
    assert sent_on(date(2028, 2, 23)) == []


def test_a_renewed_permit_is_no_longer_announced(case_world):
    permit = permit_expiring(case_world, date(2028, 3, 1))
    with acting(case_world.legal) as legal:
        legal_services.apply_for_permit(
            actor=legal,
            case=Case.objects.get(pk=case_world.case.pk),
            type="art18_social",
            application_date=date(2028, 1, 10),
            questura="Questura di Milano",
            previous=Permit.objects.get(pk=permit.pk),
        )
    assert sent_on(date(2028, 2, 23)) == []

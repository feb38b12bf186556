"""One period rule: every page, API call and command refuses a period the same way, with the same message."""

import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from approdi.accounts.services import issue_token
from approdi.core.period import CODE, FIELD, Period
from tests.builders import verified_client

pytestmark = pytest.mark.django_db

REVERSED = {"start": "2024-06-30", "end": "2024-01-01"}


def message() -> str:
    """The one message, in English, read from the rule itself rather than copied here."""
    with translation.override("en"):
        try:
            Period.of("2024-06-30", "2024-01-01")
        except ValidationError as error:
            return error.message_dict[FIELD][0]
    raise AssertionError("a reversed period was accepted")


@pytest.mark.parametrize(
    "start, end",
    [
        ("2024-06-30", "2024-01-01"),  # ends before it starts
        ("1999-12-31", "2024-01-01"),  # before the first year
        ("2024-01-01", "2100-01-01"),  # after the last year
        ("someday", "2024-01-01"),
        (None, "2024-01-01"),
    ],
)
def test_a_period_is_refused_on_one_field_with_one_code(start, end):
    with pytest.raises(ValidationError) as refused:
        Period.of(start, end)
    assert list(refused.value.error_dict) == [FIELD]
    assert [e.code for e in refused.value.error_dict[FIELD]] == [CODE]


def test_a_period_of_one_day_and_of_iso_strings_is_a_period():
    assert Period.of("2024-01-01", date(2024, 1, 1)) == Period(date(2024, 1, 1), date(2024, 1, 1))


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2025, 6, 15), (date(2025, 1, 1), date(2025, 12, 31))),  # a year inside the programme
        (date(2023, 3, 1), (date(2023, 3, 1), date(2023, 12, 31))),  # its first year begins on its first day
        (date(2022, 5, 1), (date(2023, 3, 1), date(2023, 12, 31))),  # not begun yet: its first year
        (date(2026, 2, 1), (date(2026, 1, 1), date(2026, 6, 30))),  # its last year ends on its last day
        (date(2030, 1, 1), (date(2026, 1, 1), date(2026, 6, 30))),  # ended: its last year
    ],
)
def test_the_running_year_is_clipped_to_the_programme(today, expected):
    programme = Period(date(2023, 3, 1), date(2026, 6, 30))  # anything with a start and an end
    assert Period.running_year(programme, today) == Period(*expected)


@pytest.fixture
def coordinator(network, make_user):
    return make_user("coordinatrice", network.lead, "coordinator", network.programme)


@pytest.mark.parametrize(
    "route, query",
    [
        ("reports:dashboard", REVERSED),
        ("reports:summary", REVERSED),
        ("reports:reimbursement", REVERSED),
        ("reports:publication", REVERSED),
        ("reports:htcds", REVERSED),
        ("outreach:counts", {"date_from": "2024-06-30", "date_to": "2024-01-01"}),
        ("shelter:occupancy", REVERSED),
    ],
)
def test_every_page_refuses_a_reversed_period_with_the_same_message(coordinator, route, query):
    client = verified_client(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    answer = client.get(reverse(route), query)
    assert answer.status_code == 200
    assert message() in html.unescape(answer.content.decode())


@pytest.mark.parametrize("route", ["reports:funder_prepare", "reports:job_create"])
def test_every_form_that_asks_for_a_period_refuses_it_with_the_same_message(coordinator, route):
    client = verified_client(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    answer = client.post(reverse(route), {**REVERSED, "kind": "summary", "fmt": "csv"})
    assert answer.status_code == 200
    assert message() in html.unescape(answer.content.decode())


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/outreach/counts", {"programme": "P-1", "from": "2024-06-30", "to": "2024-01-01"}),
        ("/api/v1/reports/summary", {"programme": "P-1", "from": "2024-06-30", "to": "2024-01-01"}),
    ],
)
def test_the_api_refuses_a_reversed_period_with_the_same_field_and_message(coordinator, path, params):
    _, key = issue_token(user=coordinator)
    answer = Client().get(path, params, HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {FIELD: [message()]}


def test_the_command_refuses_a_reversed_period_with_the_same_message(network):
    with translation.override("en"), pytest.raises(CommandError, match=re.escape(message())):
        call_command("report", "summary", "--programme", "P-1", "--from", "2024-06-30", "--to", "2024-01-01")


@pytest.mark.parametrize(
    "route, fields",
    [
        ("reports:dashboard", ("start", "end")),
        ("shelter:occupancy", ("start", "end")),
        # outreach:counts opens on the week so far (tests/outreach/test_street_day.py)
    ],
)
def test_the_figure_pages_default_to_the_running_year(coordinator, network, route, fields):
    """Their cost grows with the period: a whole programme of national data is not a page's default."""
    year = Period.running_year(network.programme, timezone.localdate())
    assert year.start.year == timezone.localdate().year  # the running edition holds today
    page = verified_client(coordinator).get(reverse(route))
    assert page.status_code == 200
    form = page.context["form"]
    assert [form[name].value() for name in fields] == [year.start, year.end]  # shown
    used = page.context["result"] if route == "reports:dashboard" else None
    if used is not None:
        assert (used.start, used.end) == (year.start, year.end)
    else:
        period = page.context["period"]
        assert [period[name] for name in fields] == [year.start, year.end]  # and counted

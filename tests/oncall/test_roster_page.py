"""The lead entity plans the on-call roster: gaps in red a week ahead, a printable sheet, an iCalendar file."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership
from approdi.audit.models import Action, AuditEntry
from approdi.oncall.models import OnCallShift
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db
URL = reverse("oncall:roster")


@pytest.fixture(autouse=True)
def _no_scope():
    with scopes_disabled():  # the test reads the table as a whole; pages enter their own scope
        yield


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def whole_week():
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return start, start + timedelta(days=7, hours=2)


@pytest.fixture
def planner(network, people):
    return people("coordinator", at=network.lead)


@pytest.fixture
def operator(network, make_user):
    """A shelter educator of the partner, who takes the helpline's calls at night."""
    user = make_user("reperibile", network.partner, "shelter", network.programme)
    user.first_name, user.last_name = "Rita", "Reperibile"
    user.save()
    return Membership.objects.get(user=user)


def add(client, membership, start, end, phone="333 1234567"):
    return client.post(URL, {"membership": membership.pk, "phone": phone, "start": local(start), "end": local(end)})


def test_a_planned_week_has_no_gaps_and_the_shift_is_audited(planner, operator):
    client = open_as(planner.owner)
    page = client.get(URL).content.decode()
    assert 'data-testid="gaps"' in page  # nobody on call yet: the coming week's nights are in red
    start, end = whole_week()
    assert add(client, operator, start, end).status_code == 302
    with scopes_disabled():
        shift = OnCallShift.objects.get()
        entry = AuditEntry.objects.get(object_type="oncall.oncallshift", object_id=str(shift.pk))
    assert (shift.user, shift.organisation, shift.phone) == (operator.user, operator.organisation, "333 1234567")
    assert (entry.actor, entry.action) == (planner.owner, Action.CREATE)
    page = client.get(URL).content.decode()
    assert 'data-testid="no-gaps"' in page and "Rita Reperibile" in page and "tel:333 1234567" in page


def test_a_gap_in_the_coming_week_is_shown_in_red(planner, operator):
    client = open_as(planner.owner)
    start, _end = whole_week()
    # She stops at 23:00, inside the night (off hours every day), whatever the hour the test runs at: stopping
    # during office hours the gap would open at the office's closing instead.
    stops = timezone.localtime(start + timedelta(days=3)).replace(hour=23)
    add(client, operator, start, stops)
    page = client.get(URL).content.decode()
    gaps = page[page.index('data-testid="gaps"') : page.index("</div>", page.index('data-testid="gaps"'))]
    assert "text-danger" in gaps
    assert f"{stops:%d/%m/%Y %H:%M}" in gaps  # the gap opens where she stops


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(-2, "A shift ends after it starts."), (24 * 15, "A shift lasts at most fourteen days")],
)
def test_a_shift_that_makes_no_sense_is_refused(planner, operator, hours, expected):
    client = open_as(planner.owner)
    start = timezone.now() + timedelta(days=1)
    response = add(client, operator, start, start + timedelta(hours=hours))
    assert response.status_code == 200 and expected in response.content.decode()
    assert not OnCallShift.objects.exists()


def test_two_people_on_call_at_once_is_refused(planner, operator, network, make_user):
    client = open_as(planner.owner)
    start = timezone.now() + timedelta(days=1)
    add(client, operator, start, start + timedelta(hours=12))
    second = Membership.objects.get(user=make_user("secondo", network.other, "shelter", network.programme))
    response = add(client, second, start + timedelta(hours=6), start + timedelta(hours=20))
    assert response.status_code == 200 and "is on call then already" in response.content.decode()
    assert OnCallShift.objects.count() == 1


def test_an_administrator_and_dpo_are_not_offered_as_on_call_staff(planner, network, make_user):
    make_user("dpo-lead", network.lead, "dpo", network.programme)
    page = open_as(planner.owner).get(URL).content.decode()
    assert "dpo-lead" not in page and "coordinator-member" in page  # a case worker of the lead entity is


def test_the_printable_roster_and_the_calendar_file(planner, operator):
    client = open_as(planner.owner)
    start, end = whole_week()
    add(client, operator, start, end, phone="02 1234, int. 5")
    sheet = client.get(reverse("oncall:roster_print")).content.decode()
    assert "data-print" in sheet and "Rita Reperibile" in sheet and "<nav" not in sheet
    response = client.get(reverse("oncall:roster_ical"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode()) <= 75 for line in lines)
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}" in lines
    assert "DESCRIPTION:02 1234\\, int. 5" in lines
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:On call: Rita Reperibile (Cooperativa Alfa)" in unfolded
    with scopes_disabled():
        assert AuditEntry.objects.filter(actor=planner.owner, action=Action.EXPORT).exists()


def test_a_shift_is_removed_and_it_is_audited(planner, operator):
    client = open_as(planner.owner)
    start = timezone.now() + timedelta(days=1)
    add(client, operator, start, start + timedelta(hours=12))
    shift = OnCallShift.objects.get()
    assert client.post(reverse("oncall:shift_remove", args=[shift.pk])).status_code == 302
    assert not OnCallShift.objects.exists()
    with scopes_disabled():
        assert AuditEntry.objects.filter(object_type="oncall.oncallshift", action=Action.DELETE).count() == 1


def test_the_filtro_reads_the_roster_but_does_not_plan_it(filtro, planner, operator):
    client = open_as(filtro)
    page = client.get(URL)
    assert page.status_code == 200 and 'id="shift-form"' not in page.content.decode()
    start = timezone.now() + timedelta(days=1)
    assert add(client, operator, start, start + timedelta(hours=12)).status_code == 403
    assert not OnCallShift.objects.exists()


def test_only_the_lead_entity_plans_it(planner, operator, network, make_user):
    # member: a case worker at the lead; outsider: a partner's coordinator.
    start = timezone.now() + timedelta(days=1)
    for user in (planner.member, planner.outsider):
        client = open_as(user)
        for name in ("oncall:roster", "oncall:roster_print", "oncall:roster_ical"):
            assert client.get(reverse(name)).status_code == 403
        assert add(client, operator, start, start + timedelta(hours=12)).status_code == 403
    assert not OnCallShift.objects.exists()
    shift = OnCallShift.objects.create(
        programme=network.programme,
        organisation=operator.organisation,
        user=operator.user,
        phone="1",
        start=start,
        end=start + timedelta(hours=1),
        created_by=planner.owner,
    )
    for user in (planner.member, planner.outsider):
        assert open_as(user).post(reverse("oncall:shift_remove", args=[shift.pk])).status_code == 403
    # The lead entity of another edition: the shift does not exist for it.
    away = make_user("coordinatrice-p2", network.lead, "coordinator", network.other_programme)
    assert open_as(away).post(reverse("oncall:shift_remove", args=[shift.pk])).status_code == 404
    assert OnCallShift.objects.filter(pk=shift.pk).exists()


def test_the_roster_keeps_its_queries_as_shifts_grow(planner, operator, max_queries):
    client = open_as(planner.owner)
    client.get("/")
    start = timezone.now() + timedelta(hours=1)
    add(client, operator, start, start + timedelta(hours=10))
    with max_queries(16) as first:
        client.get(URL)
    for day in range(1, 6):
        add(client, operator, start + timedelta(days=day), start + timedelta(days=day, hours=10))
    with max_queries(first.count):
        page = client.get(URL).content.decode()
    assert page.count('data-testid="shift-') == 6

"""Legal records on the case's pages: permits from application to renewal or conversion, complaints,
proceedings and asylum with their hearings, and deadlines with their alert level in words."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case, Hearing, LegalMatter, Permit
from approdi.cases.services import legal as legal_services
from tests.builders import acting
from tests.builders.cases import apply_for_permit, issue_permit
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def url(name, case, *args) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *args])


def detail(case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def issued_permit(world, *, expiry: date, type="art18_social", issue_date=date(2024, 3, 1)) -> Permit:
    return issue_permit(
        world.legal, apply_for_permit(world.legal, world.case.pk, type=type), issue_date=issue_date, expiry=expiry
    )


def matter(world, kind="criminal_proceeding", reference="RGNR 1234/2024") -> LegalMatter:
    with acting(world.legal) as legal:
        case = Case.objects.get(pk=world.case.pk)
        return legal_services.open_matter(
            actor=legal, case=case, kind=kind, day=date(2024, 3, 5), authority="Procura di Milano", reference=reference
        )


def test_a_permit_from_application_to_conversion_for_work(case_world):
    world = case_world
    client = open_as(world.legal)
    answer = client.post(
        url("permit_apply", world.case),
        {"type": "art18_social", "application_date": "2024-02-10", "questura": "Questura di Milano"},
    )
    assert answer.status_code == 302 and answer["Location"] == detail(world.case) + "#legal"
    with scopes_disabled():
        first = Permit.objects.get(case=world.case)
    issue = client.post(url("permit_issue", world.case, first.pk), {"issue_date": "2024-03-01", "expiry": "2024-09-01"})
    assert issue.status_code == 302
    page = client.get(detail(world.case)).content.decode()
    assert url("permit_follow", world.case, first.pk) in page

    form = client.get(url("permit_follow", world.case, first.pk)).content.decode()
    assert "Questura di Milano" in form and "converts it" in form
    answer = client.post(
        url("permit_follow", world.case, first.pk),
        {"type": "work", "application_date": "2024-08-01", "questura": "Questura di Milano"},
        follow=True,
    )
    assert "Conversion applied for." in answer.content.decode()
    with scopes_disabled():
        work = Permit.objects.get(previous=first)
    assert work.change == "conversion"
    client.post(url("permit_issue", world.case, work.pk), {"issue_date": "2024-08-20", "expiry": "2026-08-20"})
    with scopes_disabled():
        first.refresh_from_db()
    assert first.status == "converted"

    timeline = client.get(url("permit_timeline", world.case)).content.decode()
    steps = timeline[timeline.index('data-testid="permit-timeline"') :]
    assert steps.index("Art. 18 – social path") < steps.index("Conversion of the permit")
    assert "Converted" in steps and "Issued" in steps


def test_the_issue_form_checks_the_dates(case_world):
    world = case_world
    permit = apply_for_permit(world.legal, world.case.pk)
    client = open_as(world.legal)
    early = client.post(
        url("permit_issue", world.case, permit.pk), {"issue_date": "2024-02-01", "expiry": "2024-08-01"}
    )
    assert "The permit cannot be issued before the application." in early.content.decode()
    reversed_dates = client.post(
        url("permit_issue", world.case, permit.pk), {"issue_date": "2024-03-01", "expiry": "2024-03-01"}
    )
    assert "The expiry comes after the issue date." in reversed_dates.content.decode()
    with scopes_disabled():
        permit.refresh_from_db()
    assert permit.status == "applied"


def test_a_refusal_and_an_issued_permit_cannot_be_issued_again(case_world):
    world = case_world
    client = open_as(world.manager)  # the case manager records legal matters too
    client.post(
        url("permit_apply", world.case),
        {"type": "special_protection", "application_date": "2024-02-10", "questura": "Questura di Milano"},
    )
    with scopes_disabled():
        permit = Permit.objects.get(case=world.case)
    assert client.post(url("permit_refuse", world.case, permit.pk)).status_code == 302
    with scopes_disabled():
        permit.refresh_from_db()
    assert permit.status == "refused"
    again = client.post(
        url("permit_issue", world.case, permit.pk), {"issue_date": "2024-03-01", "expiry": "2024-09-01"}
    )
    assert "Only a permit applied for can be issued." in again.content.decode()


def test_expiry_shows_the_alert_level_in_words(case_world):
    world = case_world
    today = timezone.localdate()
    issued_permit(world, expiry=today + timedelta(days=10), issue_date=today - timedelta(days=1))
    page = open_as(world.manager).get(detail(world.case)).content.decode()
    permits = page[page.index('data-testid="permits"') :]
    assert "Within 14 days" in permits and "in 10 days" in permits


def test_once_a_conversion_is_applied_for_neither_the_case_page_nor_the_timeline_warns_of_the_old_expiry(case_world):
    """One rule (``deadlines.watched_permits``): the application that follows the permit is what the team
    watches now, on the case page as on the permit timeline (which used to go on warning)."""
    world = case_world
    today = timezone.localdate()
    permit = issued_permit(world, expiry=today + timedelta(days=10), issue_date=today - timedelta(days=30))
    client = open_as(world.legal)

    def warnings() -> tuple[int, int]:
        page = client.get(detail(world.case)).content.decode()
        timeline = client.get(url("permit_timeline", world.case)).content.decode()
        on_page = page[page.index('data-testid="permits"') :].split("</table>")[0]
        on_timeline = timeline[timeline.index('data-testid="permit-timeline"') :]
        return on_page.count('data-testid="deadline"'), on_timeline.count('data-testid="deadline"')

    assert warnings() == (1, 1)
    apply_for_permit(world.legal, world.case.pk, type="work", application_date=today, previous=permit)
    assert warnings() == (0, 0)


def test_matters_hearings_and_closure(case_world):
    world = case_world
    client = open_as(world.legal)
    answer = client.post(
        url("matter_open", world.case),
        {"kind": "asylum", "day": "2024-03-01", "authority": "Commissione Territoriale di Milano", "reference": ""},
    )
    assert answer.status_code == 302
    with scopes_disabled():
        asylum = LegalMatter.objects.get(case=world.case)
    form = client.get(url("hearing_add", world.case, asylum.pk)).content.decode()
    assert "Interview at the Commissione Territoriale" in form
    day = timezone.localdate() + timedelta(days=5)
    client.post(
        url("hearing_add", world.case, asylum.pk),
        {"day": day.isoformat(), "time": "09:30", "place": "Via Fulvio Testi"},
    )
    with scopes_disabled():
        hearing = Hearing.objects.get(matter=asylum)
    assert timezone.localtime(hearing.starts_at) == timezone.make_aware(datetime.combine(day, time(9, 30)))
    page = client.get(detail(world.case)).content.decode()
    matters = page[page.index('data-testid="matter"') :]
    assert "Within 7 days" in matters and "in 5 days" in matters

    closed = client.post(url("matter_close", world.case, asylum.pk), {"outcome": "Refugee status recognised"})
    assert closed.status_code == 302
    page = client.get(detail(world.case)).content.decode()
    assert "Refugee status recognised" in page
    assert url("matter_close", world.case, asylum.pk) not in page
    assert (
        "This matter is closed." in client.get(url("matter_close", world.case, asylum.pk), follow=True).content.decode()
    )


def test_a_complaint_has_no_hearings(case_world):
    world = case_world
    complaint = matter(world, kind="complaint")
    page = open_as(world.legal).get(detail(world.case)).content.decode()
    assert url("matter_close", world.case, complaint.pk) in page
    assert url("hearing_add", world.case, complaint.pk) not in page
    answer = open_as(world.legal).post(
        url("hearing_add", world.case, complaint.pk), {"day": "2024-05-01", "time": "09:00", "place": "Tribunale"}
    )
    assert "A complaint has no hearings" in answer.content.decode()


def test_legal_matters_are_shown_only_to_those_who_record_them(case_world):
    matter(case_world, reference="RGNR 1234/2024")
    assert "RGNR 1234/2024" in open_as(case_world.legal).get(detail(case_world.case)).content.decode()
    educators_page = open_as(case_world.educator).get(detail(case_world.case)).content.decode()
    assert "Procura di Milano" not in educators_page and "RGNR 1234/2024" not in educators_page
    assert url("matter_open", case_world.case) not in educators_page
    assert url("permit_apply", case_world.case) not in educators_page


LEGAL_PAGES = ["permit_apply", "permit_issue", "permit_follow", "matter_open", "matter_close", "hearing_add"]


@pytest.mark.parametrize("name", LEGAL_PAGES + ["permit_refuse"])
def test_only_legal_seats_record_legal_matters(case_world, name):
    world = case_world
    applied = apply_for_permit(world.legal, world.case.pk)
    issued = issued_permit(world, expiry=date(2026, 3, 1))
    proceeding = matter(world)
    args = {
        "permit_issue": [applied.pk],
        "permit_refuse": [applied.pk],
        "permit_follow": [issued.pk],
        "matter_close": [proceeding.pk],
        "hearing_add": [proceeding.pk],
    }.get(name, [])
    target = url(name, world.case, *args)
    if name != "permit_refuse":
        assert open_as(world.legal).get(target).status_code == 200
        assert open_as(world.filtro).get(target).status_code == 200
    # The educator is on the team but holds no legal seat: refused; off the team: as if missing.
    assert open_as(world.educator).get(target).status_code in (403, 405)
    assert open_as(world.educator).post(target, {"outcome": "x", "type": "work"}).status_code == 403
    assert open_as(world.colleague).post(target).status_code == 404
    assert open_as(world.outsider).post(target).status_code == 404
    with scopes_disabled():
        assert Permit.objects.count() == 2 and LegalMatter.objects.get().status == "open"
        assert Permit.objects.get(pk=applied.pk).status == "applied"


def test_the_legal_seats_read_the_permit_timeline_others_do_not(case_world):
    issued_permit(case_world, expiry=date(2026, 3, 1))
    target = url("permit_timeline", case_world.case)
    assert "Art. 18 – social path" in open_as(case_world.manager).get(target).content.decode()
    assert open_as(case_world.educator).get(target).status_code == 403
    assert open_as(case_world.colleague).get(target).status_code == 404
    assert open_as(case_world.outsider).get(target).status_code == 404
    assert open_as(case_world.coordinator).get(target).status_code == 403

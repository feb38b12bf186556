"""Integration activities on the case's pages: a kind chooser, then the fields of that kind; updates as it goes."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.cases.models import Activity
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def url(name, case, *args) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *args])


INTERNSHIP = {
    "kind": "internship",
    "provider": "Pasticceria Rossi",
    "sector": "Catering",
    "start": "2024-04-01",
    "end": "2024-09-30",
    "hours_per_week": "25",
    "monthly_allowance": "500.00",
    "paid_by": "Regione Lombardia (Dote Unica Lavoro)",
}


def test_the_chooser_then_the_fields_of_the_kind(case_world):
    client = open_as(case_world.educator)
    chooser = client.get(url("activity_add", case_world.case)).content.decode()
    assert 'type="radio"' in chooser and 'value="internship"' in chooser
    assert 'method="post"' not in chooser.split("<main")[1]  # no fields until a kind is chosen

    internship = client.get(url("activity_add", case_world.case), {"kind": "internship"}).content.decode()
    for label in ("Host employer", "Hours per week", "Monthly allowance (EUR)", "Who pays the allowance"):
        assert label in internship, label
    assert "Level" not in internship and "Certificate" not in internship

    course = client.get(url("activity_add", case_world.case), {"kind": "italian_course"}).content.decode()
    for label in ("School or provider (e.g. CPIA)", "Level", "Hours", "Attendance (%)", "Certificate obtained"):
        assert label in course, label
    assert "Monthly allowance" not in course


def test_htmx_gets_only_the_fields(case_world):
    fragment = open_as(case_world.educator).get(
        url("activity_add", case_world.case), {"kind": "employment"}, HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="activity-fields"') and "<html" not in text
    assert "Employer" in text and "Contract" in text


def test_an_internship_is_recorded_with_its_fields(case_world):
    client = open_as(case_world.manager)
    answer = client.post(url("activity_add", case_world.case), INTERNSHIP)
    assert answer.status_code == 302 and answer["Location"].endswith("#integration")
    with scopes_disabled():
        activity = Activity.objects.get(case=case_world.case)
    assert activity.kind == "internship" and activity.hours_per_week == 25 and activity.monthly_allowance == 500
    page = client.get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Pasticceria Rossi" in page and "Regione Lombardia (Dote Unica Lavoro)" in page and "€ 500.00" in page


def test_missing_required_fields_or_an_end_before_the_start_come_back(case_world):
    client = open_as(case_world.manager)
    answer = client.post(url("activity_add", case_world.case), {**INTERNSHIP, "provider": "", "sector": ""})
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'id="id_provider-error"' in text and 'id="id_sector-error"' in text
    answer = client.post(url("activity_add", case_world.case), {**INTERNSHIP, "end": "2024-03-01"})
    assert "The end comes before the start." in answer.content.decode()
    with scopes_disabled():
        assert not Activity.objects.exists()


def test_a_course_is_updated_with_attendance_certificate_and_completion(case_world):
    client = open_as(case_world.educator)
    client.post(
        url("activity_add", case_world.case),
        {"kind": "italian_course", "provider": "CPIA 5 Milano", "level": "A1", "start": "2024-03-01", "hours": "100"},
    )
    with scopes_disabled():
        course = Activity.objects.get(case=case_world.case)
    form = client.get(url("activity_update", case_world.case, course.pk)).content.decode()
    assert "Attendance (%)" in form and "Completed" in form and "Monthly allowance" not in form
    too_much = client.post(
        url("activity_update", case_world.case, course.pk), {"level": "A1", "attendance_percent": "120"}
    )
    assert too_much.status_code == 200
    before = client.post(url("activity_update", case_world.case, course.pk), {"level": "A1", "end": "2024-01-01"})
    assert "The end comes before the start." in before.content.decode()
    answer = client.post(
        url("activity_update", case_world.case, course.pk),
        {
            "level": "A2",
            "hours": "120",
            "attendance_percent": "85",
            "end": "2024-06-30",
            "certificate": "Certificazione A2 (CELI)",
            "completed": "on",
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        course.refresh_from_db()
    assert (course.level, course.attendance_percent, course.completed) == ("A2", 85, True)
    assert course.certificate == "Certificazione A2 (CELI)"
    page = client.get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "85%" in page and "completed" in page


def test_housing_asks_only_for_the_outcome_and_the_date(case_world):
    client = open_as(case_world.manager)
    form = client.get(url("activity_add", case_world.case), {"kind": "housing"}).content.decode()
    assert "Housing outcome" in form and "Employer" not in form
    answer = client.post(
        url("activity_add", case_world.case), {"kind": "housing", "housing": "shared_flat", "start": "2024-10-01"}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        assert Activity.objects.get().get_housing_display() == "Shared flat"


@pytest.mark.parametrize("name", ["activity_add", "activity_update"])
def test_who_opens_the_integration_pages(case_world, name):
    with scopes_disabled():
        activity = Activity.objects.create(
            case=case_world.case,
            kind="housing",
            housing="own_rental",
            start="2024-05-01",
            created_by=case_world.manager,
        )
    target = url(name, case_world.case, *([activity.pk] if name == "activity_update" else []))
    assert open_as(case_world.educator).get(target).status_code == 200
    assert open_as(case_world.colleague).get(target).status_code == 404
    assert open_as(case_world.outsider).get(target).status_code == 404
    assert open_as(case_world.coordinator).get(target).status_code == 403
    assert open_as(case_world.outsider).post(target, INTERNSHIP).status_code == 404
    with scopes_disabled():
        assert Activity.objects.count() == 1

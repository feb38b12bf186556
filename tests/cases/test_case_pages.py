"""The case list and the case page: who opens them, what they show, and the team's forms."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case, Hearing, LegalMatter, Note, Permit, TeamMember
from approdi.people.models import Person
from tests.builders.cases import consent_to_sharing, legal_and_general_notes
from tests.builders.pages import open_as, options_of

pytestmark = pytest.mark.django_db


def detail_url(case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def test_the_team_and_the_filtro_open_the_case_others_do_not(case_world):
    url = detail_url(case_world.case)
    for user in (case_world.manager, case_world.educator, case_world.legal, case_world.filtro):
        page = open_as(user).get(url)
        assert page.status_code == 200, user.username
        assert case_world.person.code in page.content.decode()
    # Same organisation but off the team, or another partner: as if the case did not exist.
    assert open_as(case_world.colleague).get(url).status_code == 404
    assert open_as(case_world.outsider).get(url).status_code == 404
    # A role that works on no case: refused outright.
    assert open_as(case_world.coordinator).get(url).status_code == 403
    assert open_as(case_world.coordinator).get(reverse("cases:case_list")).status_code == 403


def test_the_page_shows_the_code_never_the_name(case_world):
    with scopes_disabled():
        Person.objects.filter(pk=case_world.person.pk).update(given_name="Blessing", family_name="Okoro")
    text = open_as(case_world.manager).get(detail_url(case_world.case)).content.decode()
    assert case_world.person.code in text
    assert "Blessing" not in text and "Okoro" not in text


def test_the_header_names_the_lead_organisation_and_the_case_manager(case_world):
    text = open_as(case_world.educator).get(detail_url(case_world.case)).content.decode()
    assert "Cooperativa Alfa" in text  # the partner leads it since the assignment
    assert "manager" in text
    for anchor in ("#team", "#transfers", "#notes", "#diary", "#plan", "#appointments", "#closure"):
        assert f'href="{anchor}"' in text
    assert 'href="#legal"' not in text  # the educator holds no legal seat


def test_the_list_shows_the_users_cases_and_filters_them(case_world):
    listed = open_as(case_world.manager).get(reverse("cases:case_list")).content.decode()
    assert case_world.person.code in listed
    assert case_world.person.code not in open_as(case_world.colleague).get(reverse("cases:case_list")).content.decode()
    assert case_world.person.code not in open_as(case_world.outsider).get(reverse("cases:case_list")).content.decode()
    client = open_as(case_world.manager)
    assert case_world.person.code in client.get(reverse("cases:case_list"), {"code": "case1"}).content.decode()
    assert case_world.person.code not in client.get(reverse("cases:case_list"), {"code": "NOPE"}).content.decode()
    assert case_world.person.code not in client.get(reverse("cases:case_list"), {"status": "closed"}).content.decode()
    assert case_world.person.code in client.get(reverse("cases:case_list"), {"status": "active"}).content.decode()


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("AP-CASE1-00001", True),  # the whole code
        ("  ap-case1-00001 ", True),  # as typed: case and spaces do not matter
        ("AP-CASE1", True),  # its beginning
        ("case1-0", True),  # its beginning without the "AP-"
        ("00001", False),  # a code is an identifier: never searched inside
        ("AP-CASE2", False),
        ("--", False),  # nothing to look for
    ],
)
def test_the_list_finds_a_person_code_whole_or_by_its_beginning(typed, found, case_world):
    listed = open_as(case_world.manager).get(reverse("cases:case_list"), {"code": typed}).content.decode()
    assert (case_world.person.code in listed) is found


def _more_cases(case_world, network, count: int) -> None:
    with scopes_disabled():
        for n in range(count):
            person = Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-MORE{n:02d}-{n:05d}",
                created_by=case_world.filtro,
            )
            case = Case.objects.create(
                programme=network.programme,
                person=person,
                lead_organisation=network.partner,
                case_manager=case_world.manager,
                type="territorial",
                start=date(2024, 3, 1),
            )
            TeamMember.objects.create(
                case=case,
                user=case_world.manager,
                organisation=network.partner,
                role="case_manager",
                added_by=case_world.filtro,
            )


def test_the_list_takes_the_same_queries_for_few_or_many_cases(case_world, network, max_queries):
    client = open_as(case_world.manager)
    client.get(reverse("cases:case_list"))  # warm the session
    # 10: with the safety flags of the people listed, the emergency-access banner and the header's bell (one each)
    with max_queries(10) as few:
        assert client.get(reverse("cases:case_list")).status_code == 200
    _more_cases(case_world, network, 40)
    with max_queries(10) as many:
        page = client.get(reverse("cases:case_list"))
    assert page.content.decode().count('data-testid="case-row"') == 41
    assert many.count == few.count


def test_the_list_is_paginated(case_world, network):
    _more_cases(case_world, network, 55)
    client = open_as(case_world.manager)
    first = client.get(reverse("cases:case_list")).content.decode()
    second = client.get(reverse("cases:case_list"), {"page": 2}).content.decode()
    assert first.count('data-testid="case-row"') == 50
    assert second.count('data-testid="case-row"') == 6


def test_a_legal_note_is_not_in_the_educators_page(case_world):
    legal_and_general_notes(case_world)
    url = detail_url(case_world.case)
    legal_page = open_as(case_world.legal).get(url).content.decode()
    educator_page = open_as(case_world.educator).get(url).content.decode()
    assert "Denuncia depositata in Procura" in legal_page
    assert "Colloquio di verifica" in legal_page and "Colloquio di verifica" in educator_page
    assert "Denuncia depositata in Procura" not in educator_page


def test_a_health_note_written_for_the_team_stays_with_the_role(case_world):
    url = detail_url(case_world.case)
    answer = open_as(case_world.educator).post(
        reverse("cases:note_add", args=[case_world.case.pk]),
        {"day": "2024-03-05", "domain": "health", "confidentiality": "team", "text": "Visita ginecologica"},
        follow=True,
    )
    assert answer.status_code == 200
    assert "Note saved: only the" in answer.content.decode()
    assert "Visita ginecologica" in answer.content.decode()
    assert "Visita ginecologica" not in open_as(case_world.legal).get(url).content.decode()
    with scopes_disabled():
        assert Note.objects.get().confidentiality == "role"


def test_a_note_without_text_comes_back_with_the_error_and_nothing_saved(case_world):
    answer = open_as(case_world.educator).post(
        reverse("cases:note_add", args=[case_world.case.pk]),
        {"day": "2024-03-05", "domain": "general", "confidentiality": "team", "text": ""},
    )
    assert answer.status_code == 200
    assert 'data-testid="form-errors"' in answer.content.decode()
    assert 'id="note_text-error"' in answer.content.decode()
    with scopes_disabled():
        assert not Note.objects.exists()


def test_the_filtro_writes_no_note_off_the_team(case_world):
    page = open_as(case_world.filtro).get(detail_url(case_world.case)).content.decode()
    assert f'action="{reverse("cases:note_add", args=[case_world.case.pk])}"' not in page
    answer = open_as(case_world.filtro).post(
        reverse("cases:note_add", args=[case_world.case.pk]),
        {"day": "2024-03-05", "domain": "general", "confidentiality": "team", "text": "Nota"},
    )
    assert "Only members of the case team write notes on it." in answer.content.decode()


def test_the_manager_adds_a_colleague_and_removing_her_ends_her_access(case_world):
    url = detail_url(case_world.case)
    manager = open_as(case_world.manager)
    page = manager.get(url).content.decode()
    candidates = options_of(page, "team_user")
    assert f'value="{case_world.colleague.pk}"' in candidates  # same organisation: a candidate
    assert f'value="{case_world.outsider.pk}"' not in candidates  # another partner, and no consent to share
    assert f'value="{case_world.educator.pk}"' not in candidates  # on the team already
    assert "has not consented to share her case" in page
    answer = manager.post(
        reverse("cases:team_add", args=[case_world.case.pk]), {"user": case_world.colleague.pk, "role": "mediator"}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#team")
    assert open_as(case_world.colleague).get(url).status_code == 200
    with scopes_disabled():
        seat = TeamMember.objects.get(user=case_world.colleague, removed_at__isnull=True)
    manager.post(reverse("cases:team_remove", args=[case_world.case.pk, seat.pk]))
    assert open_as(case_world.colleague).get(url).status_code == 404


def test_with_consent_users_of_other_organisations_are_candidates(case_world):
    consent_to_sharing(case_world)
    page = open_as(case_world.manager).get(detail_url(case_world.case)).content.decode()
    assert f'value="{case_world.outsider.pk}"' in options_of(page, "team_user")
    assert "has consented to share her case" in page


def test_only_the_manager_changes_the_team(case_world):
    url = reverse("cases:team_add", args=[case_world.case.pk])
    body = {"user": case_world.colleague.pk, "role": "mediator"}
    assert open_as(case_world.educator).post(url, body).status_code == 403
    assert open_as(case_world.outsider).post(url, body).status_code == 404
    page = open_as(case_world.educator).get(detail_url(case_world.case)).content.decode()
    assert 'name="role"' not in page


def test_the_filtro_assigns_the_case_manager(case_world):
    url = detail_url(case_world.case)
    page = open_as(case_world.filtro).get(url).content.decode()
    assert reverse("cases:case_assign", args=[case_world.case.pk]) in page
    assert (
        reverse("cases:case_assign", args=[case_world.case.pk])
        not in open_as(case_world.manager).get(url).content.decode()
    )
    answer = open_as(case_world.filtro).post(
        reverse("cases:case_assign", args=[case_world.case.pk]), {"case_manager": case_world.colleague.pk}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).case_manager == case_world.colleague
    assert open_as(case_world.manager).get(url).status_code == 404  # she left the team
    assert (
        open_as(case_world.manager)
        .post(reverse("cases:case_assign", args=[case_world.case.pk]), {"case_manager": case_world.manager.pk})
        .status_code
        == 404
    )


def test_suspend_and_resume(case_world):
    client = open_as(case_world.manager)
    url = reverse("cases:case_status", args=[case_world.case.pk])
    assert client.post(url, {"status": "suspended"}).status_code == 302
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "suspended"
    page = client.get(detail_url(case_world.case)).content.decode()
    assert "The case is suspended." in page and "Resume the case" in page
    client.post(url, {"status": "active"})
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"
    assert open_as(case_world.educator).post(url, {"status": "suspended"}).status_code == 403


def test_the_list_shows_the_nearest_deadline_with_its_level(case_world):
    today = timezone.localdate()
    listed = reverse("cases:case_list")
    with scopes_disabled():
        Permit.objects.create(
            case=case_world.case,
            type="art18_social",
            status="issued",
            application_date=date(2024, 2, 1),
            questura="Milano",
            issue_date=date(2024, 2, 10),
            expiry=today + timedelta(days=10),
            created_by=case_world.legal,
        )
    text = open_as(case_world.manager).get(listed).content.decode()
    assert "Within 14 days" in text and "permit expiry" in text
    with scopes_disabled():
        matter = LegalMatter.objects.create(
            case=case_world.case,
            kind="complaint",
            date=date(2024, 2, 5),
            authority="Questura",
            created_by=case_world.legal,
        )
        Hearing.objects.create(
            matter=matter,
            starts_at=datetime.combine(today + timedelta(days=3), time(9), tzinfo=timezone.get_current_timezone()),
            place="Tribunale",
            created_by=case_world.legal,
        )
    text = open_as(case_world.manager).get(listed).content.decode()
    assert "Within 7 days" in text and "in 3 days" in text and "hearing" in text
    assert "Within 14 days" not in text  # only the nearest deadline is shown

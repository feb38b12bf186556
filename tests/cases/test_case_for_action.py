"""Write pages load the case with ``case_for_action``: the same 404 and 403 as the case page, no read-audit
row for a post (the service's own row says who acted), and only what the action needs."""

import pytest
from django.http import Http404
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases import selectors
from tests.builders import acting
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def case_rows(case, action: str) -> int:
    with scopes_disabled():
        return AuditEntry.objects.filter(action=action, object_type="cases.case", object_id=str(case.pk)).count()


def test_an_outsider_gets_404_as_on_the_case_page(case_world):
    for user in (case_world.colleague, case_world.outsider):
        with acting(user), pytest.raises(Http404):
            selectors.case_for_action(actor=user, pk=case_world.case.pk)
    note = reverse("cases:note_add", args=[case_world.case.pk])
    answer = open_as(case_world.colleague).post(note, {"day": "2024-03-05", "domain": "general", "text": "x"})
    assert answer.status_code == 404


def test_the_team_seat_is_read_with_the_case(case_world, django_assert_num_queries):
    with acting(case_world.educator) as educator:
        case = selectors.case_for_action(actor=educator, pk=case_world.case.pk)
        with django_assert_num_queries(0):
            assert educator.has_perm("cases.work_on_case", case)
            assert case.person.code == case_world.person.code


def test_a_post_writes_no_read_audit_row_the_form_page_and_the_case_page_do(case_world):
    case = case_world.case
    client = open_as(case_world.legal)
    apply = reverse("cases:permit_apply", args=[case.pk])
    answer = client.post(
        apply, {"type": "art18_social", "application_date": "2024-02-10", "questura": "Questura di Milano"}
    )
    assert answer.status_code == 302
    assert case_rows(case, "view") == 0
    assert client.get(apply).status_code == 200
    assert case_rows(case, "view") == 1
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert case_rows(case, "view") == 2


def test_a_refused_action_is_still_403_and_audited_as_refused(case_world):
    case = case_world.case
    answer = open_as(case_world.educator).post(
        reverse("cases:permit_apply", args=[case.pk]),
        {"type": "art18_social", "application_date": "2024-02-10", "questura": "Questura di Milano"},
    )
    assert answer.status_code == 403
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="denied", actor_username=case_world.educator.username).exists()
    assert case_rows(case, "view") == 0

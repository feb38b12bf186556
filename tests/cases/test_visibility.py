"""Who sees a case and its notes: the team; the Ufficio Filtro; never a colleague off the team or another partner."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from approdi.cases import selectors
from approdi.cases.services import case as case_services
from tests.builders import acting
from tests.builders.cases import consent_to_sharing, legal_and_general_notes

pytestmark = pytest.mark.django_db


def visible_codes(user) -> set[str]:
    with acting(user):
        return {c.person.code for c in selectors.case_list(actor=user)}


def test_the_team_and_the_filtro_see_the_case_others_do_not(case_world):
    code = case_world.person.code
    for user in (case_world.manager, case_world.educator, case_world.legal, case_world.filtro):
        assert visible_codes(user) == {code}, user.username
    assert visible_codes(case_world.colleague) == set()
    assert visible_codes(case_world.outsider) == set()
    with acting(case_world.outsider), pytest.raises(Http404):
        selectors.case_detail(actor=case_world.outsider, pk=case_world.case.pk)


def test_a_role_without_cases_is_refused(case_world):
    with acting(case_world.coordinator), pytest.raises(PermissionDenied):
        selectors.case_list(actor=case_world.coordinator)


def test_a_legal_note_is_invisible_to_the_shelter_educator_on_the_same_team(case_world):
    legal_and_general_notes(case_world)
    with acting(case_world.legal) as legal:
        case = selectors.case_detail(actor=legal, pk=case_world.case.pk)
        assert {n.text for n in selectors.notes(actor=legal, case=case)} == {
            "Denuncia depositata in Procura",
            "Colloquio di verifica",
        }
    with acting(case_world.educator) as educator:
        case = selectors.case_detail(actor=educator, pk=case_world.case.pk)
        assert [n.text for n in selectors.notes(actor=educator, case=case)] == ["Colloquio di verifica"]
    with acting(case_world.manager) as manager:
        case = selectors.case_detail(actor=manager, pk=case_world.case.pk)
        assert [n.text for n in selectors.notes(actor=manager, case=case)] == ["Colloquio di verifica"]


def test_sharing_with_another_organisation_needs_consent_and_can_be_revoked(case_world):
    from django.core.exceptions import ValidationError

    with acting(case_world.manager) as manager:
        case = selectors.case_detail(actor=manager, pk=case_world.case.pk)
        with pytest.raises(ValidationError) as refused:
            case_services.add_team_member(actor=manager, case=case, user=case_world.outsider, role="mediator")
        assert list(refused.value.message_dict) == ["user"]
    assert visible_codes(case_world.outsider) == set()
    consent_to_sharing(case_world)
    with acting(case_world.manager) as manager:
        case = selectors.case_detail(actor=manager, pk=case_world.case.pk)
        seat = case_services.add_team_member(actor=manager, case=case, user=case_world.outsider, role="mediator")
    assert visible_codes(case_world.outsider) == {case_world.person.code}
    with acting(case_world.manager) as manager:
        case = selectors.case_detail(actor=manager, pk=case_world.case.pk)
        case_services.remove_team_member(actor=manager, case=case, seat=seat)
    assert visible_codes(case_world.outsider) == set()

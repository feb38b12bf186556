"""On a case path, what was done cannot be dated in the future, and a service delivered belongs to an edition
whose period holds its day; what is planned (appointments, hearings, expiries) may lie ahead."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Hearing, LegalMatter, Note, Permit, Review, ServiceDelivery
from approdi.shelter.models import Placement
from approdi.shelter.services import place
from tests.builders import acting
from tests.builders.pages import open_as

from .test_api import Api

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def tomorrow():
    return today() + timedelta(days=1)


def count(model) -> int:
    with scopes_disabled():
        return model.objects.count()


def test_a_service_delivered_today_in_an_ended_edition_names_the_running_one(case_world, running):
    answer = open_as(case_world.manager).post(
        reverse("cases:service_add", args=[case_world.case.pk]),
        {"service_type": case_world.interview.pk, "day": today().isoformat(), "quantity": "1"},
    )
    assert answer.status_code == 200
    message = answer.context["form"].errors["day"][0]
    assert message.startswith("P-1 ended on ") and message.endswith("record this in P-3, the edition running today.")
    assert count(ServiceDelivery) == 0


def test_a_service_back_dated_into_an_ended_edition_is_closed_to_the_case_worker(case_world, running):
    answer = open_as(case_world.manager).post(
        reverse("cases:service_add", args=[case_world.case.pk]),
        {"service_type": case_world.interview.pk, "day": "2025-06-30", "quantity": "1"},
    )
    assert answer.status_code == 200
    message = answer.context["form"].errors["day"][0]
    assert message.startswith("P-1 ended on ") and "its figures are closed" in message
    assert count(ServiceDelivery) == 0


def test_the_api_refuses_a_service_dated_tomorrow_and_a_review_next_week(case_world):
    api = Api(case_world.manager, language="en")
    url = f"/api/v1/cases/{case_world.case.pk}"
    service = api.post(f"{url}/services", {"service_type": "interview", "date": tomorrow().isoformat()})
    assert service.status_code == 400
    assert service.json()["error"]["fields"] == {"date": ["The date cannot be in the future."]}
    review = api.post(f"{url}/reviews", {"date": (today() + timedelta(days=7)).isoformat(), "summary": "Bene"})
    assert review.status_code == 400
    assert review.json()["error"]["fields"] == {"date": ["The date cannot be in the future."]}
    assert count(ServiceDelivery) == 0 and count(Review) == 0


def test_legal_facts_cannot_lie_ahead_but_a_hearing_and_an_expiry_can(case_world):
    api = Api(case_world.legal, language="en")
    url = f"/api/v1/cases/{case_world.case.pk}"
    permit = {"type": "art18_social", "application_date": tomorrow().isoformat(), "questura": "Milano"}
    refused = api.post(f"{url}/permits", permit)
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["application_date"]
    matter = {"kind": "criminal_proceeding", "date": tomorrow().isoformat(), "authority": "Procura di Milano"}
    refused = api.post(f"{url}/legal-matters", matter)
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["date"]
    assert count(Permit) == 0 and count(LegalMatter) == 0

    applied = api.post(f"{url}/permits", permit | {"application_date": today().isoformat()})
    assert applied.status_code == 201
    issue = {"issue_date": today().isoformat(), "expiry": (today() + timedelta(days=365)).isoformat()}
    assert api.post(f"/api/v1/permits/{applied.json()['id']}/issue", issue).status_code == 200
    opened = api.post(f"{url}/legal-matters", matter | {"date": today().isoformat()})
    hearing = {"starts_at": datetime.combine(today() + timedelta(days=20), time(9)).isoformat(), "place": "Tribunale"}
    assert api.post(f"/api/v1/legal-matters/{opened.json()['id']}/hearings", hearing).status_code == 201
    assert count(Hearing) == 1


def test_a_note_dated_tomorrow_is_refused_on_the_form(case_world):
    answer = open_as(case_world.manager).post(
        reverse("cases:note_add", args=[case_world.case.pk]),
        {"day": tomorrow().isoformat(), "text": "Domani", "domain": "general", "confidentiality": "team"},
    )
    assert answer.status_code == 200 and "The date cannot be in the future." in answer.content.decode()
    assert count(Note) == 0


def test_a_placement_cannot_start_tomorrow_nor_after_its_edition_ended(case_world, network, running):
    with acting(case_world.filtro) as filtro:
        for start, expected in ((tomorrow(), "La data non può essere nel futuro."), (today(), "P-3")):
            with pytest.raises(ValidationError) as refused:
                place(actor=filtro, person=case_world.person, structure=network.structure, stage="first", start=start)
            assert expected in refused.value.message_dict["start"][0]
    assert count(Placement) == 0

"""A saved screening's explanation is read in the reader's language, whatever the language it was recorded in."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.intake.models import IndicatorList, Screening
from tests.builders import verified_client
from tests.builders.pages import open_as
from tests.intake.test_filtro_flow import open_person, person_of, referral  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_an_italian_screening_is_explained_in_english(network, filtro, referral, indicators):  # noqa: F811
    client = verified_client(filtro)  # pages in Italian
    open_person(client, referral)
    person = person_of(referral)
    with scopes_disabled():
        ref = IndicatorList.objects.get(code="adult_sexual", is_current=True).indicators.first().ref
    client.post(
        reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual",
        {"indicators": [ref], "conclusion": "unclear"},
    )
    with scopes_disabled():
        screening = Screening.objects.get()
    assert "La regola" in screening.explanation or "regola" in screening.explanation  # saved as recorded
    english = open_as(filtro, language="en").get(reverse("intake:screening", args=[screening.pk])).content.decode()
    assert "The rule supports the operator" in english
    assert "regola" not in english
    italian = client.get(reverse("intake:screening", args=[screening.pk])).content.decode()
    assert "regola" in italian


def test_a_saved_text_the_rule_no_longer_gives_stands(network, filtro, referral, indicators):  # noqa: F811
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    with scopes_disabled():
        ref = IndicatorList.objects.get(code="adult_sexual", is_current=True).indicators.first().ref
    client.post(
        reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual",
        {"indicators": [ref], "conclusion": "unclear"},
    )
    with scopes_disabled():
        screening = Screening.objects.get()
        Screening.objects.filter(pk=screening.pk).update(rule_presumed_victim=True)
        screening.explanation = "Testo salvato allora."
        screening.save(update_fields=["explanation"])
    english = open_as(filtro, language="en").get(reverse("intake:screening", args=[screening.pk])).content.decode()
    assert "Testo salvato allora." in english

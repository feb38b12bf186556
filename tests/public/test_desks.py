"""The lead coordinators keep the desks the public site lists: in every language at once, never a police office."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.network.models import Organisation
from approdi.public.models import Desk
from tests.builders import verified_client
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db

DESK = {
    "name": "Sportello Porta Aperta",
    "address": "Via dei Mille 4, Milano",
    "weekdays": ["0", "2", "4"],
    "opens": "09:30",
    "closes": "12:30",
    "phone": "+39 02 1234 5678",
}


@pytest.fixture
def editors(people, network):
    """owner: the lead entity's coordinator; member: another role at the lead; outsider: a partner's coordinator."""
    return people("coordinator", at=network.lead)


def test_a_desk_added_by_a_lead_coordinator_is_on_the_public_site_in_every_language(editors, network):
    client = open_as(editors.owner)
    saved = client.post(reverse("public_texts:desk_new"), {**DESK, "organisation": network.partner.pk})
    assert saved.status_code == 302, saved.content.decode()
    for language in ("it", "ar", "zh-hans"):
        page = Client().get(f"/help/{language}/").content.decode()
        assert "Sportello Porta Aperta" in page and "Via dei Mille 4, Milano" in page
    desk = Desk.objects.get(name="Sportello Porta Aperta")
    assert desk.weekdays == "024" and desk.organisation == network.partner
    with scopes_disabled():
        assert AuditEntry.objects.filter(object_type="public.desk", object_id=str(desk.pk), action="create").exists()

    client.post(
        reverse("public_texts:desk_edit", args=[desk.pk]),
        {**DESK, "organisation": network.partner.pk, "closes": "13:00"},
    )
    desk.refresh_from_db()
    assert desk.closes.hour == 13
    client.post(reverse("public_texts:desk_remove", args=[desk.pk]))
    assert not Desk.objects.filter(pk=desk.pk).exists()
    assert "Sportello Porta Aperta" not in Client().get("/help/it/").content.decode()
    with scopes_disabled():
        assert AuditEntry.objects.filter(object_type="public.desk", object_id=str(desk.pk), action="delete").exists()


def test_only_the_lead_coordinators_keep_the_desks(editors, network):
    desk = Desk.objects.create(
        organisation=network.partner,
        name="Sportello",
        address="Via Roma 1",
        weekdays="0",
        opens="09:00",
        closes="10:00",
    )
    pages = [
        reverse("public_texts:desks"),
        reverse("public_texts:desk_new"),
        reverse("public_texts:desk_edit", args=[desk.pk]),
    ]
    for url in pages:
        assert verified_client(editors.owner).get(url).status_code == 200
        assert verified_client(editors.member).get(url).status_code == 403  # same organisation, another role
        assert verified_client(editors.outsider).get(url).status_code == 403  # a partner's coordinator
        assert Client().get(url).status_code == 302
    for user in (editors.member, editors.outsider):
        answer = verified_client(user).post(reverse("public_texts:desk_remove", args=[desk.pk]))
        assert answer.status_code == 403
    assert Desk.objects.filter(pk=desk.pk).exists()


def test_a_desk_that_closes_before_it_opens_or_without_a_day_is_refused_and_nothing_is_saved(editors, network):
    client = open_as(editors.owner)
    url = reverse("public_texts:desk_new")
    late = client.post(url, {**DESK, "organisation": network.partner.pk, "opens": "14:00", "closes": "09:00"})
    assert late.status_code == 400 and "A desk closes after it opens." in late.content.decode()
    no_day = client.post(
        url, {**{k: v for k, v in DESK.items() if k != "weekdays"}, "organisation": network.partner.pk}
    )
    assert no_day.status_code == 400
    assert not Desk.objects.exists()


def test_no_police_or_immigration_office_is_offered_and_none_is_accepted(editors):
    police = Organisation.objects.create(code="questura-prova", name="Questura di Prova", type="enforcement")
    client = open_as(editors.owner)
    form = client.get(reverse("public_texts:desk_new")).content.decode()
    assert "Questura di Prova" not in form
    refused = client.post(reverse("public_texts:desk_new"), {**DESK, "organisation": police.pk})
    assert refused.status_code == 400
    assert not Desk.objects.exists()


def test_nothing_is_preselected_on_a_new_desk(editors):
    form = open_as(editors.owner).get(reverse("public_texts:desk_new")).content.decode()
    assert " checked" not in form and " selected>" not in form.replace('value="" selected>', "")


def test_a_desk_reads_in_english_with_its_days_in_english(editors, network):
    from tests.platform.test_english_pages import italian_left

    desk = Desk.objects.create(
        organisation=network.partner,
        name="Sportello",
        address="Via Roma 1",
        weekdays="01",
        opens="09:00",
        closes="10:00",
    )
    for url in (reverse("public_texts:desks"), reverse("public_texts:desk_edit", args=[desk.pk])):
        page = open_as(editors.owner, language="en").get(url).content.decode()
        assert not italian_left(page), italian_left(page)
        assert "Monday" in page

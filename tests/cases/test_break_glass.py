"""Break-glass: someone off a case's team opens it in an emergency, with a reason, for a few hours; audited, shown
in a banner on every page, told to the DPO and the case manager the next morning, reviewed by the DPO."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.cases.models import BreakGlass
from approdi.cases.services.break_glass import open_in_emergency
from approdi.people.models import Person
from tests.builders import acting
from tests.builders.cases import legal_and_general_notes
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db

REASON = "Chiamata notturna: la persona è in pericolo e chiede aiuto"


@pytest.fixture
def on_call(case_world, network, make_user):
    """The on-call educator of another partner: no seat on the case team."""
    return make_user("reperibile", network.other, "shelter", network.programme)


@pytest.fixture
def dpo(network, make_user):
    user = make_user("dpo", network.lead, "dpo", network.programme)
    user.email = "dpo@example.org"
    user.save()
    return user


def _open(client, code, reason):
    return client.post(reverse("cases:emergency_open"), {"code": code, "reason": reason})


def _grants():
    with scopes_disabled():
        return list(BreakGlass.objects.all())


def test_without_a_reason_the_case_stays_closed_to_her(case_world, on_call):
    client = open_as(on_call)
    case_page = reverse("cases:case_detail", args=[case_world.case.pk])
    assert client.get(case_page).status_code == 404
    for reason in ("", "   ", "urgente"):
        answer = _open(client, case_world.person.code, reason)
        assert answer.status_code == 200
        assert 'id="id_reason"' in answer.content.decode()
        assert answer.context["form"].errors["reason"]
    assert _open(client, case_world.person.code, "x" * 501).context["form"].errors["reason"]
    assert _grants() == []
    assert client.get(case_page).status_code == 404


def test_the_service_itself_refuses_a_blank_reason(case_world, on_call):
    with acting(on_call) as actor, pytest.raises(ValidationError) as refused:
        open_in_emergency(actor=actor, code=case_world.person.code, reason=" \n " * 10)
    assert "reason" in refused.value.message_dict
    assert _grants() == []


def test_an_unknown_code_is_refused_in_words(case_world, on_call):
    answer = _open(open_as(on_call), "AP-NOBODY-00000", REASON)
    assert "No open case of this programme has this person code." in answer.content.decode()
    assert _grants() == []


def test_with_a_reason_she_reads_the_case_audited_with_a_banner_until_it_expires(case_world, on_call):
    legal_and_general_notes(case_world)
    client = open_as(on_call)
    case_page = reverse("cases:case_detail", args=[case_world.case.pk])
    answer = _open(client, case_world.person.code.lower(), REASON)
    assert answer.status_code == 302 and answer["Location"] == case_page

    page = client.get(case_page)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Colloquio di verifica" in text  # the team's notes
    assert "Write a note" not in text  # reading only
    with scopes_disabled():
        entry = AuditEntry.objects.get(action=Action.BREAK_GLASS)
    assert (entry.actor_id, entry.object_id, entry.reason) == (on_call.pk, str(case_world.case.pk), REASON)

    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="break-glass-banner"' in home and case_world.person.code in home
    assert client.post(reverse("cases:note_add", args=[case_world.case.pk]), {"text": "x"}).status_code == 403

    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1)):
        client = open_as(on_call)  # signed in again: her session of four hours ago has expired too
        assert client.get(case_page).status_code == 404
        assert 'data-testid="break-glass-banner"' not in client.get(reverse("core:home")).content.decode()


def test_a_member_of_the_team_or_a_role_without_cases_cannot_break_glass(case_world):
    assert (
        "already see this case" in _open(open_as(case_world.manager), case_world.person.code, REASON).content.decode()
    )
    assert open_as(case_world.coordinator).get(reverse("cases:emergency_open")).status_code == 403
    assert _grants() == []


def test_a_case_of_another_programme_cannot_be_opened(case_world, network, make_user):
    elsewhere = make_user("elsewhere", network.other, "case_worker", network.other_programme)
    assert _open(open_as(elsewhere), case_world.person.code, REASON).context["form"].errors["code"]
    assert _grants() == []


def test_the_dpo_and_the_case_manager_are_told_once_with_the_code_and_no_identity(case_world, on_call, dpo):
    with scopes_disabled():
        person = Person.objects.get(pk=case_world.person.pk)
        person.given_name, person.family_name = "Blessing", "Okafor"
        person.save()
    manager = case_world.manager
    manager.email = "manager@example.org"
    manager.save()
    _open(open_as(on_call), case_world.person.code, REASON)

    call_command("send_break_glass_notices")
    assert sorted(m.to[0] for m in mail.outbox) == ["dpo@example.org", "manager@example.org"]
    for message in mail.outbox:
        assert case_world.person.code in message.subject + message.body
        for identity in ("Blessing", "Okafor", "reperibile", REASON):
            assert identity not in message.subject + message.body
    assert reverse("cases:break_glass_review") in next(m.body for m in mail.outbox if m.to == ["dpo@example.org"])
    assert all(grant.notified_at is not None for grant in _grants())

    call_command("send_break_glass_notices")
    assert len(mail.outbox) == 2


def test_the_dpo_reviews_every_access(case_world, on_call, dpo):
    _open(open_as(on_call), case_world.person.code, REASON)
    page = open_as(dpo).get(reverse("cases:break_glass_review"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "reperibile" in text and case_world.person.code in text and REASON in text
    assert "not yet" in text
    call_command("send_break_glass_notices")
    assert "not yet" not in open_as(dpo).get(reverse("cases:break_glass_review")).content.decode()


def test_the_review_is_the_dpo_s_alone(case_world, on_call, network, make_user):
    _open(open_as(on_call), case_world.person.code, REASON)
    review = reverse("cases:break_glass_review")
    # Same organisation, without the role
    assert open_as(case_world.coordinator).get(review).status_code == 403
    assert open_as(case_world.manager).get(review).status_code == 403
    # A DPO of another organisation sees none of this one's cases; of another programme, none either
    partner_dpo = make_user("dpo-other", network.other, "dpo", network.programme)
    assert REASON not in open_as(partner_dpo).get(review).content.decode()
    other_programme_dpo = make_user("dpo-elsewhere", network.lead, "dpo", network.other_programme)
    assert REASON not in open_as(other_programme_dpo).get(review).content.decode()


def test_in_an_emergency_she_reads_the_teams_documents_but_not_a_legal_one(case_world, on_call):
    from tests.cases.test_document_access import download_url, keep

    permit = keep(case_world.manager, case_world.case, kind="permit_copy")
    court = keep(case_world.legal, case_world.case, kind="court_papers", domain="legal", confidentiality="team")
    client = open_as(on_call)
    assert client.get(download_url(permit)).status_code == 404  # before she opens the case
    _open(client, case_world.person.code, REASON)
    page = client.get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Copy of the residence permit" in page and "Court papers" not in page
    assert client.get(download_url(permit)).status_code == 200
    assert client.get(download_url(court)).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1)):
        assert open_as(on_call).get(download_url(permit)).status_code == 404


def test_a_refused_attempt_is_audited_and_the_dpo_sees_it(case_world, on_call, dpo, network, make_user):
    client = open_as(on_call)
    _open(client, "AP-NOBODY-00000", REASON)  # a code tried at night
    _open(client, case_world.person.code, "urgente")  # too short a reason
    with scopes_disabled():
        refused = AuditEntry.objects.filter(action=Action.PERMISSION_DENIED, object_type="cases.breakglass")
        assert sorted((e.actor_username, e.object_id, e.fields, e.reason) for e in refused) == sorted(
            [
                ("reperibile", "AP-NOBODY-00000", ["code"], REASON),
                ("reperibile", case_world.person.code, ["reason"], "urgente"),
            ]
        )
    assert _grants() == []
    table = open_as(dpo).get(reverse("cases:break_glass_review")).content.decode().split('data-testid="refused"')[1]
    assert "AP-NOBODY-00000" in table and REASON in table and "reperibile" in table
    # The partner's DPO sees her own users' attempts; a DPO of a third organisation or programme sees none.
    review = reverse("cases:break_glass_review")
    assert (
        "AP-NOBODY-00000"
        in open_as(make_user("dpo-partner", network.other, "dpo", network.programme)).get(review).content.decode()
    )
    assert (
        "AP-NOBODY-00000"
        not in open_as(make_user("dpo-p", network.partner, "dpo", network.programme)).get(review).content.decode()
    )
    assert (
        "AP-NOBODY-00000"
        not in open_as(make_user("dpo-elsewhere", network.lead, "dpo", network.other_programme))
        .get(review)
        .content.decode()
    )

"""An assisted voluntary return (with IOM), from the case page: the request to IOM (a directory entry), IOM's answer,
the travel documents and the planned departure, her departure (which alone closes the case as an assisted voluntary
return), her arrival confirmed, the reintegration follow-up on My work; every step audited; the team told, and no
one else, by notices that carry her code and never her identity, the notes or IOM's reference."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Notification
from approdi.audit.models import AuditEntry
from approdi.cases.models import AssistedReturn, Case
from approdi.directory.models import Body
from approdi.people.models import Person, ProgrammeRecord
from approdi.shelter.models import Bed, Placement
from approdi.shelter.services import sync_beds
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
GIVEN, FAMILY = "Blessing", "Okonkwo"
NOTES = "Passaporto scaduto: serve il lasciapassare del consolato"
REFERENCE = "IOM-MI-2026-0042"


@pytest.fixture
def iom(network):
    with scopes_disabled():
        return Body.objects.create(programme=network.programme, name="OIM Ufficio di Roma", type="iom")


@pytest.fixture
def world(case_world):
    with scopes_disabled():
        person = Person.objects.get(pk=case_world.person.pk)
        person.given_name, person.family_name = GIVEN, FAMILY
        person.save(update_fields=["given_name", "family_name"])
    mail.outbox.clear()
    return case_world


def url(name, world, item=None):
    args = [world.case.pk] if item is None else [world.case.pk, item.pk]
    return reverse(f"cases:{name}", args=args)


def post(user, address, **body):
    return open_as(user).post(address, body, follow=True)


def the_return() -> AssistedReturn:
    with scopes_disabled():
        return AssistedReturn.objects.get()


def request_it(world, iom, user=None):
    return post(
        user or world.manager, url("return_request", world), body=iom.pk, requested_on=TODAY().isoformat(), notes=NOTES
    )


def to_departure(world, iom):
    request_it(world, iom)
    item = the_return()
    post(
        world.manager,
        url("return_answer", world, item),
        answer="accepted",
        day=TODAY().isoformat(),
        reference=REFERENCE,
    )
    planned = TODAY() + timedelta(days=5)
    post(
        world.manager,
        url("return_documents", world, item),
        day=TODAY().isoformat(),
        departure_planned=planned.isoformat(),
    )
    return the_return()


def case_now(world) -> Case:
    with scopes_disabled():
        return Case.objects.get(pk=world.case.pk)


def test_a_return_is_followed_step_by_step_and_closes_the_case_only_when_she_left(world, iom):
    page = open_as(world.manager).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert "OIM Ufficio di Roma" in page and 'id="return"' in page  # offered from the directory
    assert "She changed her mind" not in page
    request_it(world, iom)
    item = the_return()
    assert (item.body, item.requested_on, item.answer, item.notes) == (iom, TODAY(), "pending", NOTES)
    text = post(
        world.manager,
        url("return_answer", world, item),
        answer="accepted",
        day=TODAY().isoformat(),
        reference=REFERENCE,
    ).content.decode()
    assert "Accepted by IOM" in text and REFERENCE in text
    planned = TODAY() + timedelta(days=5)  # a departure is planned ahead
    post(
        world.manager,
        url("return_documents", world, item),
        day=TODAY().isoformat(),
        departure_planned=planned.isoformat(),
    )
    item = the_return()
    assert (item.documents_on, item.departure_planned) == (TODAY(), planned)
    assert case_now(world).status == "active"  # documents ready is not gone

    text = post(world.manager, url("return_departed", world, item), day=TODAY().isoformat()).content.decode()
    assert "the case is closed as an assisted voluntary return" in text and 'data-testid="closed"' in text
    case = case_now(world)
    assert (case.status, case.end, case.outcome) == ("closed", TODAY(), "assisted_return")
    with scopes_disabled():
        exit_record = ProgrammeRecord.objects.get(person=world.person, kind="exit")
    assert (exit_record.date, exit_record.outcome) == (TODAY(), "assisted_return")

    # After she left, on the closed case: her arrival confirmed, the reintegration follow-up three months later.
    post(world.manager, url("return_arrived", world, item), day=TODAY().isoformat())
    item = the_return()
    assert (item.arrived_on, item.reintegration_due) == (TODAY(), TODAY() + timedelta(days=90))
    post(world.manager, url("return_reintegration", world, item), day=TODAY().isoformat(), text="Lavora in sartoria")
    item = the_return()
    assert (item.reintegration_on, item.reintegration) == (TODAY(), "Lavora in sartoria")
    with scopes_disabled():
        changes = AuditEntry.objects.filter(object_type="cases.assistedreturn")
        assert set(changes.values_list("action", flat=True)) == {"create", "change"}
        assert changes.count() == 1 + 5  # the request, then each step
        assert set(changes.values_list("actor_username", flat=True)) == {"manager"}


def test_the_case_cannot_close_as_a_return_before_her_departure_is_confirmed(world, iom):
    close = reverse("cases:case_close", args=[world.case.pk])
    body = {"day": TODAY().isoformat(), "outcome": "assisted_return"}
    text = open_as(world.manager).post(close, body).content.decode()
    assert "only when her departure is confirmed" in text
    assert case_now(world).status == "active"
    item = to_departure(world, iom)  # accepted, documents ready: still not gone
    text = open_as(world.manager).post(close, body).content.decode()
    assert "only when her departure is confirmed" in text
    assert case_now(world).status == "active"
    assert item.departed_on is None
    # "continued" is the continuation's alone, never a closure's
    text = open_as(world.manager).post(close, {**body, "outcome": "continued"}).content.decode()
    assert case_now(world).status == "active"


def test_a_case_with_a_return_under_way_closes_for_another_reason_only_once_it_is_withdrawn(world, iom):
    request_it(world, iom)
    close = reverse("cases:case_close", args=[world.case.pk])
    body = {"day": TODAY().isoformat(), "outcome": "dropped_out"}
    text = open_as(world.manager).post(close, body).content.decode()
    assert "is withdrawn before closing the case" in text
    assert case_now(world).status == "active"
    post(world.manager, url("return_withdraw", world, the_return()), day=TODAY().isoformat())
    open_as(world.manager).post(close, body)
    assert case_now(world).status == "closed" and case_now(world).outcome == "dropped_out"


def test_her_bed_is_freed_before_her_departure_closes_the_case(world, iom, network):
    with scopes_disabled():
        sync_beds(network.structure, 1)
        bed = Bed.objects.filter(structure=network.structure).first()
        stay = Placement.objects.create(
            programme=network.programme,
            person=world.person,
            bed=bed,
            structure=bed.structure,
            stage="first",
            start=TODAY() - timedelta(days=10),
        )
    item = to_departure(world, iom)
    text = post(world.manager, url("return_departed", world, item), day=TODAY().isoformat()).content.decode()
    assert "the shelter ends her stay first" in text
    assert case_now(world).status == "active"
    with scopes_disabled():
        Placement.objects.filter(pk=stay.pk).update(end=TODAY(), exit_reason="assisted_return")
    post(world.manager, url("return_departed", world, item), day=TODAY().isoformat())
    assert case_now(world).outcome == "assisted_return"


def test_a_withdrawn_or_refused_return_leaves_the_case_open_and_another_can_be_asked(world, iom):
    request_it(world, iom)
    item = the_return()
    text = request_it(world, iom).content.decode()
    assert "under way already" in text
    post(world.manager, url("return_withdraw", world, item), day=TODAY().isoformat())
    assert the_return().withdrawn_on == TODAY()
    request_it(world, iom)
    with scopes_disabled():
        second = AssistedReturn.objects.filter(withdrawn_on__isnull=True).get()
    post(world.manager, url("return_answer", world, second), answer="refused", day=TODAY().isoformat(), reference="")
    with scopes_disabled():
        second.refresh_from_db()
    assert second.answer == "refused" and case_now(world).status == "active"


def test_the_team_is_told_and_no_one_else_and_no_email_carries_her_identity(world, iom):
    for user in (world.educator, world.legal, world.colleague, world.outsider, world.filtro):
        user.email_notices = {"return_step": True}
        user.save(update_fields=["email_notices"])
    request_it(world, iom)
    with scopes_disabled():
        assert not Notification.objects.filter(kind="return_step").exists()  # a request to IOM: nobody here acts yet
    item = to_departure_from_request(world)
    with scopes_disabled():
        told = list(Notification.objects.filter(kind="return_step").values_list("recipient__username", flat=True))
    # IOM accepted, then the departure was planned: the team each time, not the manager who recorded it
    assert sorted(told) == ["educator", "educator", "legal", "legal"]
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        ["educator@example.invalid", "legal@example.invalid"] * 2
    )
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "AP-CASE1-00001" in text
        for secret in (GIVEN, FAMILY, NOTES, REFERENCE, "Roma"):
            assert secret not in text
    # The educator sees it in her bell and marks it read
    with scopes_disabled():
        notice = Notification.objects.filter(kind="return_step", recipient=world.educator).first()
    assert notice.path == reverse("cases:case_detail", args=[world.case.pk]) + "#return"
    assert item.departure_planned is not None


def to_departure_from_request(world):
    item = the_return()
    post(
        world.manager,
        url("return_answer", world, item),
        answer="accepted",
        day=TODAY().isoformat(),
        reference=REFERENCE,
    )
    planned = TODAY() + timedelta(days=5)
    post(
        world.manager,
        url("return_documents", world, item),
        day=TODAY().isoformat(),
        departure_planned=planned.isoformat(),
    )
    return the_return()


def test_my_work_tells_the_case_manager_of_a_departure_passed_unconfirmed_and_the_follow_up_due(world, iom):
    item = to_departure(world, iom)
    my_work = reverse("cases:my_work")
    assert "Confirm her departure" not in open_as(world.manager).get(my_work).content.decode()
    with scopes_disabled():
        AssistedReturn.objects.filter(pk=item.pk).update(departure_planned=TODAY())
    page = open_as(world.manager).get(my_work).content.decode()
    assert "Confirm her departure, or withdraw the return" in page and "AP-CASE1-00001" in page
    for other in (world.educator, world.legal, world.colleague, world.outsider):
        assert "Confirm her departure" not in open_as(other).get(my_work).content.decode()
    post(world.manager, url("return_departed", world, item), day=TODAY().isoformat())
    post(world.manager, url("return_arrived", world, item), day=TODAY().isoformat())
    assert "Reintegration follow-up" not in open_as(world.manager).get(my_work).content.decode()
    with scopes_disabled():
        AssistedReturn.objects.filter(pk=item.pk).update(reintegration_due=TODAY())
    assert "Reintegration follow-up" in open_as(world.manager).get(my_work).content.decode()


@pytest.mark.parametrize("who, status", [("educator", 403), ("colleague", 404), ("outsider", 404), ("filtro", 302)])
def test_who_may_record_a_return(world, iom, who, status):
    """The case manager and the Ufficio Filtro; a team member who is not the manager 403; anyone else 404."""
    user = getattr(world, who)
    response = open_as(user).post(
        url("return_request", world), {"body": iom.pk, "requested_on": TODAY().isoformat(), "notes": ""}
    )
    assert response.status_code == status
    with scopes_disabled():
        assert AssistedReturn.objects.exists() == (status == 302)


@pytest.mark.parametrize("who, status", [("educator", 403), ("colleague", 404), ("outsider", 404)])
def test_who_may_take_each_step(world, iom, who, status):
    request_it(world, iom)
    item = the_return()
    user = getattr(world, who)
    day = TODAY().isoformat()
    for name, body in [
        ("return_answer", {"answer": "accepted", "day": day, "reference": ""}),
        ("return_documents", {"day": day, "departure_planned": day}),
        ("return_departed", {"day": day}),
        ("return_arrived", {"day": day}),
        ("return_reintegration", {"day": day, "text": "x"}),
        ("return_withdraw", {"day": day}),
    ]:
        assert open_as(user).post(url(name, world, item), body).status_code == status, name
    assert the_return().answer == "pending" and the_return().withdrawn_on is None


def test_a_return_of_another_case_is_not_found_here(world, iom, network):
    request_it(world, iom)
    item = the_return()
    with scopes_disabled():
        other = Case.objects.create(
            programme=network.programme,
            person=Person.objects.create(
                programme=network.programme, organisation=network.lead, code="AP-OTHER-00002", created_by=world.filtro
            ),
            lead_organisation=network.partner,
            case_manager=world.manager,
            type="territorial",
            start=date(2024, 2, 1),
        )
        other.members.create(
            user=world.manager, organisation=network.partner, role="case_manager", added_by=world.filtro
        )
    address = reverse("cases:return_withdraw", args=[other.pk, item.pk])
    assert open_as(world.manager).post(address, {"day": TODAY().isoformat()}).status_code == 404


def test_the_api_reads_the_paths_of_a_case_without_its_notes_reference_or_follow_up(world, iom):
    from approdi.accounts.services import issue_token

    item = to_departure(world, iom)
    address = f"/api/v1/cases/{world.case.pk}/paths"

    def get(user):
        from django.test import Client

        token = issue_token(user=user)[1]
        return Client().get(address, HTTP_AUTHORIZATION=f"Bearer {token}")

    answer = get(world.manager)
    assert answer.status_code == 200
    body = answer.json()
    assert body["external_transfers"] == [] and body["continued_from"] is None and body["continued_in"] is None
    [step] = body["assisted_returns"]
    assert step == {
        "id": item.pk,
        "iom_office": "OIM Ufficio di Roma",
        "requested_on": TODAY().isoformat(),
        "answer": "accepted",
        "answered_on": TODAY().isoformat(),
        "documents_on": TODAY().isoformat(),
        "departure_planned": (TODAY() + timedelta(days=5)).isoformat(),
        "departed_on": None,
        "arrived_on": None,
        "reintegration_due": None,
        "reintegration_on": None,
        "withdrawn_on": None,
    }
    assert NOTES not in answer.content.decode() and REFERENCE not in answer.content.decode()
    with scopes_disabled():
        reads = AuditEntry.objects.filter(object_type="cases.case", action="view", actor=world.manager)
        assert any("paths" in entry.fields for entry in reads)
    assert get(world.educator).status_code == 200  # the team reads it
    assert get(world.colleague).status_code == 404  # not on the team: not there
    assert get(world.outsider).status_code == 404
    assert get(world.coordinator).status_code == 403  # no case role


def test_the_api_answers_name_every_state_of_the_models():
    """The schema's answers are written out for the type checker: they must stay the models' own."""
    from typing import get_args

    from approdi.api.cases.schemas import AssistedReturnOut, ExternalTransferOut
    from approdi.cases.models import ExternalTransfer

    for schema, model in [(AssistedReturnOut, AssistedReturn), (ExternalTransferOut, ExternalTransfer)]:
        assert set(get_args(schema.model_fields["answer"].annotation)) == set(model.Answer.values)

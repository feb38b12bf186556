"""Safety flags on a person (issue 13, point 3): shown on every page where she appears, raising one is audited, and
lifting one takes a second person (the page, the service and the database each refuse the raiser alone)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.people import flags
from approdi.people.models import SafetyFlag
from approdi.shelter.models import NightEntry, PlacementRequest
from approdi.shelter.services import sync_beds
from tests.builders import acting, registered_person
from tests.builders.pages import open_as
from tests.builders.shelter import emergency_structure, place

pytestmark = pytest.mark.django_db

DANGER = "Exploiters are looking for her"


def raised(world, *, by=None, kind="exploiters_searching", person=None, detail="") -> SafetyFlag:
    actor = by or world.manager
    with acting(actor):
        return flags.raise_flag(actor=actor, person=person or world.person, kind=kind, detail=detail)


def still_raised(flag) -> bool:
    with scopes_disabled():
        return SafetyFlag.objects.filter(pk=flag.pk, lifted_at__isnull=True).exists()


def shows_flag(client, url: str, text: str = DANGER) -> bool:
    page = client.get(url)
    assert page.status_code == 200, url
    body = page.content.decode()
    return 'data-testid="safety-flag"' in body and text in body


def test_a_flag_shows_on_the_person_page_the_case_page_and_the_case_list(case_world):
    raised(case_world, detail="Un uomo ha chiesto di lei alla stazione")
    case = reverse("cases:case_detail", args=[case_world.case.pk])
    assert shows_flag(open_as(case_world.filtro), reverse("intake:person", args=[case_world.person.pk]))
    assert shows_flag(open_as(case_world.manager), case, "Un uomo ha chiesto di lei alla stazione")
    assert shows_flag(open_as(case_world.educator), case)
    assert shows_flag(open_as(case_world.legal), reverse("cases:case_list"))


def test_a_flag_shows_on_her_placement_her_structure_s_residents_and_the_educator_s_home(case_world, network):
    with scopes_disabled():
        sync_beds(network.structure)
    stay = place(case_world.filtro, case_world.person, network.structure, start=timezone.localdate())
    raised(case_world, kind="do_not_disclose_location")
    where = "Do not disclose where she is"
    assert shows_flag(open_as(case_world.filtro), reverse("shelter:placement", args=[stay.pk]), where)
    assert shows_flag(open_as(case_world.educator), reverse("shelter:placement", args=[stay.pk]), where)
    structure = reverse("shelter:structure_detail", args=[network.structure.code])
    assert shows_flag(open_as(case_world.educator), structure, where)
    assert shows_flag(open_as(case_world.educator), reverse("core:home"), where)


def test_a_flag_shows_on_the_waiting_list(case_world, network):
    waiting = registered_person(network, code="AP-WAIT1-00001", created_by=case_world.filtro)
    with scopes_disabled():
        PlacementRequest.objects.create(programme=network.programme, person=waiting, stage="first", urgent=True)
    raised(case_world, by=case_world.filtro, person=waiting, kind="health_risk")
    assert shows_flag(open_as(case_world.filtro), reverse("shelter:waiting_list"), "Health risk")


def test_a_flag_shows_on_the_night_queue(case_world, network, make_user):
    emergency_structure(network)
    on_call = make_user("on-call", network.partner, "shelter", network.programme)
    arrival = {
        "structure": "S-NOTTE",
        "gender": "woman",
        "age_band": "21-23",
        "language": "inglese",
        "referred_by": "helpline",
        "arrived_at": f"{timezone.localtime() - timedelta(minutes=30):%Y-%m-%dT%H:%M}",
    }
    assert open_as(on_call).post(reverse("shelter:night_entry"), arrival).status_code == 302
    with scopes_disabled():
        person = NightEntry.objects.get().placement.person
    raised(case_world, by=case_world.filtro, person=person, kind="other", detail="Minacciata al telefono")
    assert shows_flag(open_as(case_world.filtro), reverse("intake:queue"), "Minacciata al telefono")


def test_raising_a_flag_from_the_case_page_is_audited(case_world):
    case = reverse("cases:case_detail", args=[case_world.case.pk])
    client = open_as(case_world.educator)
    answer = client.post(
        reverse("cases:flag_raise", args=[case_world.person.pk]), {"kind": "exploiters_searching", "next": case}
    )
    assert answer.status_code == 302 and answer["Location"] == f"{case}#safety-flags"
    with scopes_disabled():
        flag = SafetyFlag.objects.get()
    assert flag.raised_by == case_world.educator
    with scopes_disabled():
        audited = AuditEntry.objects.filter(
            actor=case_world.educator, action=Action.CREATE, object_type="people.safetyflag", object_id=str(flag.pk)
        )
        assert audited.exists()
    assert shows_flag(client, case)


def test_no_flag_is_preselected_and_other_needs_its_text(case_world):
    case = reverse("cases:case_detail", args=[case_world.case.pk])
    client = open_as(case_world.manager)
    page = client.get(case).content.decode()
    assert 'value="" selected' in page[page.index('id="flag_kind"') :]
    client.post(reverse("cases:flag_raise", args=[case_world.person.pk]), {"kind": "other", "next": case})
    client.post(reverse("cases:flag_raise", args=[case_world.person.pk]), {"kind": "other", "detail": "x" * 201})
    with scopes_disabled():
        assert not SafetyFlag.objects.exists()
    assert "Say what the danger is." in client.get(case).content.decode()


def test_the_raiser_alone_cannot_lift_it(case_world):
    flag = raised(case_world)
    client = open_as(case_world.manager)
    lift = reverse("cases:flag_lift_request", args=[case_world.person.pk, flag.pk])
    approve = reverse("cases:flag_lift_approve", args=[case_world.person.pk, flag.pk])
    # Approving before anyone asked: refused, the flag stays.
    assert client.post(approve).status_code == 403
    assert client.post(lift, {"reason": "È tornata a casa"}).status_code == 302
    assert still_raised(flag)
    # Whom asked cannot approve her own request: not on the page, not by a post, not through the service.
    page = client.get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert 'data-testid="lift-requested"' in page and approve not in page
    assert client.post(approve).status_code == 403
    with acting(case_world.manager), pytest.raises(PermissionDenied):
        flags.approve_lift(actor=case_world.manager, flag=flag)
    assert still_raised(flag)
    # Nor can the database be told otherwise.
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        SafetyFlag.objects.filter(pk=flag.pk).update(lifted_by=case_world.manager, lifted_at=timezone.now())
    # And a lift without a request is refused by the database too.
    other = raised(case_world, kind="health_risk")
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        SafetyFlag.objects.filter(pk=other.pk).update(lifted_by=case_world.legal, lifted_at=timezone.now())
    assert still_raised(flag) and still_raised(other)


def test_a_second_person_lifts_it_and_both_steps_are_audited(case_world):
    flag = raised(case_world)
    lift = reverse("cases:flag_lift_request", args=[case_world.person.pk, flag.pk])
    approve = reverse("cases:flag_lift_approve", args=[case_world.person.pk, flag.pk])
    assert open_as(case_world.manager).post(lift, {"reason": "Gli sfruttatori sono stati arrestati"}).status_code == 302
    legal = open_as(case_world.legal)
    case = reverse("cases:case_detail", args=[case_world.case.pk])
    assert approve in legal.get(case).content.decode()
    assert legal.post(approve, {"next": case}).status_code == 302
    assert not still_raised(flag)
    with scopes_disabled():
        flag.refresh_from_db()
    assert (flag.lift_requested_by, flag.lifted_by) == (case_world.manager, case_world.legal)
    with scopes_disabled():
        entries = AuditEntry.objects.filter(object_type="people.safetyflag", object_id=str(flag.pk), action="change")
        assert set(entries.values_list("actor", flat=True)) == {case_world.manager.pk, case_world.legal.pk}
    assert not shows_flag(open_as(case_world.manager), case)


def test_a_request_is_made_once_and_needs_a_reason(case_world):
    flag = raised(case_world)
    with acting(case_world.manager), pytest.raises(ValidationError):
        flags.request_lift(actor=case_world.manager, flag=flag, reason="  ")
    with acting(case_world.legal):
        flags.request_lift(actor=case_world.legal, flag=flag, reason="Trasferita")
    with acting(case_world.manager), pytest.raises(ValidationError):
        flags.request_lift(actor=case_world.manager, flag=flag, reason="Anch'io")
    # The raiser approves the request of another: two people.
    with acting(case_world.manager):
        flags.approve_lift(actor=case_world.manager, flag=flag)
    assert not still_raised(flag)


def test_whom_does_not_keep_her_gets_404_and_a_role_without_cases_403(case_world, network, make_user):
    flag = raised(case_world)
    urls = [
        (reverse("cases:flag_raise", args=[case_world.person.pk]), {"kind": "health_risk"}),
        (reverse("cases:flag_lift_request", args=[case_world.person.pk, flag.pk]), {"reason": "Finita"}),
        (reverse("cases:flag_lift_approve", args=[case_world.person.pk, flag.pk]), {}),
    ]
    outreach = make_user("same-organisation-outreach", network.partner, "outreach", network.programme)
    for url, body in urls:
        assert open_as(case_world.outsider).post(url, body).status_code == 404  # another partner
        assert open_as(case_world.colleague).post(url, body).status_code == 404  # her organisation, off the team
        assert open_as(outreach).post(url, body).status_code == 403  # a role without cases
    with scopes_disabled():
        assert SafetyFlag.objects.count() == 1 and still_raised(flag)
        assert SafetyFlag.objects.get().lift_requested_by is None

"""The on-call educator takes a person in at night; the Ufficio Filtro regularises the entry the next morning."""

from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.intake.services import decide, record_consent
from approdi.people.models import ConsentPurpose, Person
from approdi.shelter.models import NightEntry, Placement, PlacementRequest
from tests.builders import acting
from tests.builders.pages import open_as
from tests.builders.shelter import emergency_structure

pytestmark = pytest.mark.django_db
URL = reverse("shelter:night_entry")


@pytest.fixture(autouse=True)
def _no_scope():
    with scopes_disabled():  # the test reads whole tables; pages and services enter their own scope
        yield


@pytest.fixture
def night(network):
    return emergency_structure(network)


@pytest.fixture
def trio(people):
    """owner: the partner's shelter educator; member: its case worker; outsider: another partner's educator."""
    return people("shelter")


def arrival(**overrides) -> dict:
    data = {
        "structure": "S-NOTTE",
        "code": "",
        "gender": "woman",
        "age_band": "21-23",
        "language": "inglese",
        "nationality": "NG",
        "referred_by": "helpline",
        "referring_body": "Numero Verde 800 290 290",
        "arrived_at": f"{timezone.localtime() - timedelta(minutes=30):%Y-%m-%dT%H:%M}",
        "needs": "Ferita alla mano, ha fame",
    }
    return data | overrides


def test_the_on_call_educator_takes_her_in_and_it_is_audited(trio, night, filtro):
    client = open_as(trio.owner)
    assert client.post(URL, arrival()).status_code == 302
    entry = NightEntry.objects.get()
    stay, person = entry.placement, entry.placement.person
    assert (stay.structure, stay.stage, stay.end, stay.previous) == (night, "emergency", None, None)
    assert person.code.startswith("NOTTE-") and (person.gender, person.nationality.code) == ("woman", "NG")
    assert person.languages == "inglese" and person.organisation.code == "lead"  # the lead entity registers her
    assert entry.regularise_by - entry.arrived_at == timedelta(hours=72) and entry.needs == "Ferita alla mano, ha fame"
    created = AuditEntry.objects.filter(actor=trio.owner, action=Action.CREATE)
    audited = set(created.values_list("object_type", flat=True))
    assert {"shelter.nightentry", "shelter.placement", "intake.person"} <= audited
    # The bed board shows her at once, and she heads the Ufficio Filtro's queue.
    board = client.get(reverse("shelter:board")).content.decode()
    assert 'data-testid="night-S-NOTTE"' in board
    queue = open_as(filtro).get(reverse("intake:queue")).content.decode()
    assert queue.index('data-testid="night-entries"') < queue.index('id="q-status"')
    assert person.code in queue and 'data-testid="overdue"' not in queue


def test_nothing_is_answered_for_her_in_advance(trio, night):
    page = open_as(trio.owner).get(URL).content.decode()
    form = page[page.index('data-testid="night-entry"') :]
    assert "checked" not in form  # neither the structure, nor her gender
    assert "selected" not in form.replace('<option value="" selected>', "")  # no age band, nationality or source


def test_an_entry_past_its_hours_is_overdue_in_red(trio, night, filtro, network):
    network.programme.night_entry_hours = 24
    network.programme.save(update_fields=["night_entry_hours"])
    arrived = f"{timezone.localtime() - timedelta(hours=25):%Y-%m-%dT%H:%M}"
    assert open_as(trio.owner).post(URL, arrival(arrived_at=arrived)).status_code == 302
    queue = open_as(filtro).get(reverse("intake:queue")).content.decode()
    assert 'data-testid="overdue"' in queue and "table-danger" in queue


def test_a_second_entry_for_the_last_bed_is_refused_clearly(trio, night):
    client = open_as(trio.owner)
    assert client.post(URL, arrival(code="NOTTE-AAAAAA")).status_code == 302
    assert client.post(URL, arrival(code="NOTTE-BBBBBB")).status_code == 302  # the last bed
    refused = client.post(URL, arrival(code="NOTTE-CCCCCC"))
    assert refused.status_code == 200 and "No bed is free in this structure." in refused.content.decode()
    assert NightEntry.objects.count() == 2 and Placement.objects.count() == 2
    assert not Person.objects.filter(code="NOTTE-CCCCCC").exists()  # nothing half-written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL (CI's second pass)")
@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_for_the_last_bed_one_is_refused(network, make_user):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    emergency_structure(network, beds=1)
    operators = [make_user(f"notte-{n}", network.partner, "shelter", network.programme) for n in range(2)]
    clients = [open_as(user) for user in operators]
    start = Barrier(2)

    def race(n):
        try:
            start.wait()
            response = clients[n].post(URL, arrival(code=f"NOTTE-RACE{n}"))
            return response.status_code, response.content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(race, range(2)))
    assert sorted(code for code, _page in answers) == [200, 302], answers
    assert any("No bed is free in this structure" in page for code, page in answers if code == 200)
    with scopes_disabled():
        assert (NightEntry.objects.count(), Placement.objects.count(), Person.objects.count()) == (1, 1, 1)


def test_the_filtro_regularises_and_the_stay_is_her_first_placement(trio, night, filtro):
    assert open_as(trio.owner).post(URL, arrival()).status_code == 302
    entry = NightEntry.objects.get()
    person = entry.placement.person
    page = open_as(filtro).get(reverse("intake:person", args=[person.pk])).content.decode()
    assert 'data-testid="night-entry"' in page and "Ferita alla mano" in page
    with acting(filtro):
        record_consent(
            actor=filtro, person=person, purpose=ConsentPurpose.SERVICES, granted=True, day=timezone.localdate()
        )
        decision = decide(actor=filtro, person=person, kind="residential", stage="emergency", reason="Accolta")
    entry.refresh_from_db()
    assert (entry.regularised_by, entry.regularised_at is not None) == (filtro, True)
    stay = Placement.objects.get(person=person)  # one stay: the night's, not a second one
    request = PlacementRequest.objects.get(decision=decision)
    assert (stay.pk, stay.request, request.status) == (entry.placement.pk, request, "placed")
    assert AuditEntry.objects.filter(actor=filtro, object_type="shelter.nightentry", action=Action.CHANGE).exists()
    queue = open_as(filtro).get(reverse("intake:queue")).content.decode()
    assert 'data-testid="night-entries"' not in queue
    page = open_as(filtro).get(reverse("intake:person", args=[person.pk])).content.decode()
    assert 'data-testid="night-entry"' not in page


def test_a_night_stay_decided_otherwise_alerts_her_structure_until_she_leaves(trio, night, filtro):
    assert open_as(trio.owner).post(URL, arrival()).status_code == 302
    stay = NightEntry.objects.get().placement
    alerts = reverse("shelter:alerts")

    def alerted(user):
        return [(a.kind, a.person_code) for a in open_as(user).get(alerts).context["alerts"]]

    assert alerted(trio.owner) == []
    with acting(filtro):
        record_consent(
            actor=filtro, person=stay.person, purpose=ConsentPurpose.SERVICES, granted=True, day=timezone.localdate()
        )
        decide(actor=filtro, person=stay.person, kind="territorial", stage="", reason="Presa in carico territoriale")
    assert alerted(trio.owner) == [("not_residential", stay.person.code)]
    assert "decided on no residential reception 0 days ago" in open_as(trio.owner).get(alerts).content.decode()
    assert alerted(trio.outsider) == []  # another partner's educator: not her structure
    Placement.objects.filter(pk=stay.pk).update(end=timezone.localdate(), exit_reason="other")
    assert alerted(trio.owner) == []


def test_an_adults_structure_refuses_a_minor(trio, night):
    response = open_as(trio.owner).post(URL, arrival(age_band="9-17"))
    assert response.status_code == 200 and "admits adults only" in response.content.decode()
    assert not NightEntry.objects.exists() and not Person.objects.exists()


def test_only_the_structure_s_own_educators_take_people_in(trio, night, filtro):
    for user in (trio.member, filtro):  # a case worker of the same partner; the Ufficio Filtro places otherwise
        client = open_as(user)
        assert client.get(URL).status_code == 403 and client.post(URL, arrival()).status_code == 403
    outsider = open_as(trio.outsider)  # an educator of another partner: the structure is not hers to choose
    assert "S-NOTTE" not in outsider.get(URL).content.decode()
    response = outsider.post(URL, arrival())
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not NightEntry.objects.exists() and not Person.objects.exists()


def test_the_night_entry_page_and_the_queue_keep_their_queries(network, trio, filtro, max_queries):
    emergency_structure(network, beds=4)  # S-NOTTE
    emergency_structure(network, beds=4, code="S-NOTTE2")
    client = open_as(trio.owner)
    client.get("/")
    with max_queries(16):
        assert "S-NOTTE2" in client.get(URL).content.decode()
    desk = open_as(filtro)
    desk.get("/")
    client.post(URL, arrival(code="NOTTE-Q1"))
    with max_queries(16) as first:
        desk.get(reverse("intake:queue"))
    for n in range(3):
        client.post(URL, arrival(code=f"NOTTE-Q{n + 2}"))
    with max_queries(first.count):
        queue = desk.get(reverse("intake:queue")).content.decode()
    assert queue.count('data-testid="night-entry-') == 4

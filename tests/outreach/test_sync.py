"""POST /api/v1/outreach/sync: a night recorded offline reaches the server once, whatever is sent again.

Every record is answered on its own (stored, already stored, refused with the error envelope); a record sent
again under its key is never stored twice; a refused record leaves the others stored; the roles and scopes are
the API's.
"""

from uuid import uuid4

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership
from approdi.audit.models import AuditEntry
from approdi.outreach import sync as outreach_sync
from approdi.outreach.models import Contact, Outing, OutingSite, Referral, SyncKey
from approdi.people.person_code import code_from_facts, phone_part
from tests.outreach.test_api import Api, in_db

pytestmark = pytest.mark.django_db

URL = "/api/v1/outreach/sync"


@pytest.fixture
def outreach(people):
    """owner: outreach at the partner; member: case worker at the partner; outsider: outreach at ``other``."""
    return people("outreach")


def key() -> str:
    return str(uuid4())


def outing_record(**overrides) -> dict:
    record = {
        "kind": "outing",
        "key": key(),
        "team": "Unità notturna",
        "date": "2024-03-05",
        "shift": "night",
        "area": "MI",
        "start_time": "21:00",
        "notes": "",
        "sites": [{"name": "Viale Monza", "people_seen": 7}],
    }
    return {**record, **overrides}


def contact_record(outing_key: str, **overrides) -> dict:
    record = {
        "kind": "contact",
        "key": key(),
        "outing_key": outing_key,
        "site": "Viale Monza",
        "gender": "woman",
        "age_band": "21-23",
        "nationality": "NG",
        "services": ["prophylaxis"],
    }
    return {**record, **overrides}


def night(count: int = 10) -> list[dict]:
    """An outing, a site, ``count`` contacts, a group, a referral, and the outing's end: in the order made."""
    outing = outing_record()
    records = [outing, {"kind": "site", "key": key(), "outing_key": outing["key"], "name": "Via Padova"}]
    records += [contact_record(outing["key"], person_code=f"MILANO-{n:04}") for n in range(count)]
    records.append(contact_record(outing["key"], headcount=3, site="Via Padova", gender="", age_band=""))
    records.append(
        {
            "kind": "referral",
            "key": key(),
            "date": "2024-03-05",
            "source_type": "outreach",
            "person_code": "MILANO-0001",
            "gender": "woman",
            "nationality": "NG",
        }
    )
    records.append(
        {
            "kind": "outing_update",
            "key": key(),
            "outing_key": outing["key"],
            "end_time": "01:30",
            "notes": "Quiet night near the station.",
            "seen_end_time": None,
            "seen_notes": "",
        }
    )
    return records


def sync(user, records, programme="P-1"):
    return Api(user).post(URL, {"programme": programme, "records": records})


def stored() -> tuple[int, int, int, int]:
    return in_db(Outing), in_db(OutingSite), in_db(Contact), in_db(Referral)


# --- a night, sent and sent again ---------------------------------------------------------------------------


def test_a_night_is_stored_in_order_with_each_records_id(network, outreach):
    records = night()
    response = sync(outreach.owner, records)
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["key"] for r in results] == [r["key"] for r in records]
    assert [r["status"] for r in results] == ["stored"] * len(records)
    assert all(r["error"] is None for r in results)
    assert stored() == (1, 2, 11, 1)
    with scopes_disabled():
        outing = Outing.objects.get()
        contacts = Contact.objects.filter(outing=outing)
        assert results[0]["id"] == outing.pk and results[-1]["id"] == outing.pk
        assert {c.pk for c in contacts} == {r["id"] for r in results if r["kind"] == "contact"}
        assert sum(c.headcount for c in contacts) == 13
        assert outing.organisation == network.partner and outing.created_by == outreach.owner
        # The end and the notes set offline reached the outing, and the answer says what the server has.
        assert outing.end_time.isoformat(timespec="minutes") == "01:30"
        assert outing.notes == "Quiet night near the station."
        assert contacts.filter(site__name="Via Padova").get().headcount == 3
        # Every record went through the services: each is audited as created by the operator.
        audited = AuditEntry.objects.filter(action="create", object_type="outreach.contact", actor=outreach.owner)
        assert audited.count() == 11
    assert results[-1]["outing"] == {"end_time": "01:30:00", "notes": "Quiet night near the station.", "kept": []}


def test_a_replayed_batch_stores_nothing_twice(network, outreach):
    records = night()
    first = sync(outreach.owner, records).json()["results"]
    again = sync(outreach.owner, records)
    assert again.status_code == 200
    results = again.json()["results"]
    assert [r["status"] for r in results] == ["already_stored"] * len(records)
    assert [r["id"] for r in results] == [r["id"] for r in first]
    assert stored() == (1, 2, 11, 1)


def test_a_sync_cut_halfway_then_sent_whole_stores_each_record_once(network, outreach):
    """The connection dropped after the server stored half the batch: the app sends it all again."""
    records = night()
    half = sync(outreach.owner, records[:6]).json()["results"]
    results = sync(outreach.owner, records).json()["results"]
    assert [r["status"] for r in results] == ["already_stored"] * 6 + ["stored"] * (len(records) - 6)
    assert [r["id"] for r in results[:6]] == [r["id"] for r in half]
    assert stored() == (1, 2, 11, 1)


def test_a_contact_sent_later_names_its_outing_by_the_outings_key(network, outreach):
    outing = outing_record()
    sync(outreach.owner, [outing])
    response = sync(outreach.owner, [contact_record(outing["key"])])
    assert response.json()["results"][0]["status"] == "stored"
    with scopes_disabled():
        assert Contact.objects.get().outing == Outing.objects.get()


def test_a_contact_without_an_outing_is_filed_as_post_contacts_files_it(network, outreach):
    indoor = {"kind": "contact", "key": key(), "channel": "indoor", "date": "2024-03-06", "area": "MI"}
    undated = {"kind": "contact", "key": key(), "gender": "woman"}
    results = sync(outreach.owner, [indoor, undated]).json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused"]
    assert set(results[1]["error"]["fields"]) == {"channel", "date"}
    with scopes_disabled():
        contact = Contact.objects.get()
    assert (contact.channel, contact.outing, contact.organisation) == ("indoor", None, network.partner)


def test_the_same_record_racing_itself_is_stored_once(network, outreach, monkeypatch):
    """Two deliveries at once both find no key: the unique key rolls the second back with its contact."""
    records = night(count=1)
    first = sync(outreach.owner, records).json()["results"]
    real, asked = outreach_sync.earlier, set()

    def not_yet_committed(*, actor, key):
        """The first look finds nothing, as when the first delivery has not committed yet."""
        if key not in asked:
            asked.add(key)
            return None
        return real(actor=actor, key=key)

    monkeypatch.setattr(outreach_sync, "earlier", not_yet_committed)
    results = sync(outreach.owner, records).json()["results"]
    assert [r["status"] for r in results] == ["already_stored"] * len(records)
    assert [r["id"] for r in results] == [r["id"] for r in first]
    assert stored() == (1, 2, 2, 1)
    with scopes_disabled():
        assert SyncKey.objects.count() == len(records)


# --- refusals -----------------------------------------------------------------------------------------------


def test_a_refused_record_is_answered_with_its_message_and_the_others_are_stored(network, outreach):
    outing = outing_record()
    group_with_a_code = contact_record(outing["key"], headcount=4, person_code="MILANO-0042")
    records = [outing, contact_record(outing["key"]), group_with_a_code, contact_record(outing["key"])]
    response = sync(outreach.owner, records)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored", "refused", "stored"]
    error = results[2]["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert error["fields"] == {"person_code": ["A group of people is recorded without a person code."]}
    assert results[2]["id"] is None
    assert stored() == (1, 1, 2, 0)
    # Corrected on the phone, the record goes again under its key, and is stored.
    group_with_a_code["person_code"] = ""
    results = sync(outreach.owner, records).json()["results"]
    assert [r["status"] for r in results] == ["already_stored", "already_stored", "stored", "already_stored"]
    assert stored() == (1, 1, 3, 0)


def test_records_of_an_ended_programme_are_refused_as_a_closed_period(network, outreach):
    Membership.objects.create(
        user=outreach.owner, organisation=network.partner, programme=network.other_programme, role="outreach"
    )
    outing = outing_record(date="2022-05-01")
    results = sync(outreach.owner, [outing, contact_record(outing["key"])], programme="P-2").json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert results[0]["error"]["code"] == "closed_period" and results[0]["error"]["status"] == 409
    assert results[0]["error"]["message"] == "This period is closed."
    assert "P-2" in results[0]["error"]["fields"]["date"][0]
    # The contact's outing was never stored: the contact says so, and waits on the phone.
    message = "No outing was stored under this key: send the outing first."
    assert results[1]["error"]["fields"] == {"outing_key": [message]}
    assert stored() == (0, 0, 0, 0)


def test_an_outing_changed_on_the_server_keeps_the_servers_version(network, outreach):
    outing = outing_record(end_time="00:30", notes="Cold night.")
    sync(outreach.owner, [outing])
    # Meanwhile a colleague corrects the notes online.
    with scopes_disabled():
        o = Outing.objects.get()
        o.notes = "Cold night; the van broke down at 23:00."
        o.save()
    update = {
        "kind": "outing_update",
        "key": key(),
        "outing_key": outing["key"],
        "end_time": "02:00",
        "notes": "Cold night, two new women at the station.",
        "seen_end_time": "00:30",
        "seen_notes": "Cold night.",
    }
    results = sync(outreach.owner, [update]).json()["results"]
    assert results[0]["status"] == "stored"
    assert results[0]["outing"] == {
        "end_time": "02:00:00",
        "notes": "Cold night; the van broke down at 23:00.",
        "kept": ["notes"],
    }
    with scopes_disabled():
        o = Outing.objects.get()
    assert (o.end_time.isoformat(timespec="minutes"), o.notes) == ("02:00", "Cold night; the van broke down at 23:00.")
    # The outing record itself sent again: what the server has, and that its end differs from the phone's.
    again = sync(outreach.owner, [outing]).json()["results"][0]
    assert again["status"] == "already_stored" and again["outing"]["kept"] == ["end_time", "notes"]


def test_an_update_changes_only_the_fields_it_names_and_answers_which_the_server_kept(network, outreach):
    outing = outing_record(end_time="00:30", notes="Cold night.")
    sync(outreach.owner, [outing])
    with scopes_disabled():  # the office sets the end from the van's log, and corrects the notes
        Outing.objects.filter().update(end_time="01:15")
        o = Outing.objects.get()
        o.notes = "Cold night; the van broke down."
        o.save()
    # An app that never held the notes sends the end time alone: the notes are not touched, nor reported.
    update = {"kind": "outing_update", "key": key(), "outing_key": outing["key"], "end_time": "02:00"}
    update["seen_end_time"] = "00:30"
    answer = sync(outreach.owner, [update]).json()["results"][0]
    assert answer["status"] == "stored"
    server = {"end_time": "01:15:00", "notes": "Cold night; the van broke down.", "kept": ["end_time"]}
    assert answer["outing"] == server
    # Seen as the server has it: the phone's value is taken, nothing kept against it.
    fresh = {**update, "key": key(), "seen_end_time": "01:15"}
    answer = sync(outreach.owner, [fresh]).json()["results"][0]
    assert answer["outing"]["kept"] == [] and answer["outing"]["end_time"] == "02:00:00"
    with scopes_disabled():
        o = Outing.objects.get()
    assert (o.end_time.isoformat(timespec="minutes"), o.notes) == ("02:00", "Cold night; the van broke down.")


def test_a_malformed_record_refuses_the_batch_naming_the_record(network, outreach):
    outing = outing_record()
    response = sync(outreach.owner, [outing, contact_record(outing["key"], gender="female-ish")])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["records.1.contact.gender"]
    assert stored() == (0, 0, 0, 0)


def test_a_batch_is_bounded(network, outreach):
    outing = outing_record()
    response = sync(outreach.owner, [outing] + [contact_record(outing["key"]) for _ in range(200)])
    assert response.status_code == 422
    assert stored() == (0, 0, 0, 0)


# --- the person code finished by the server ----------------------------------------------------------------


def test_the_apps_part_of_the_code_is_finished_by_the_server(network, outreach):
    facts = {"given_name": "Blessing", "family_name": "Okafor", "birth_year": 1998, "nationality": "NG"}
    part = phone_part(**facts, gender="woman", mother_name="Ngozi")
    outing = outing_record()
    tampered = "v1|ref|milano 0042"
    records = [
        outing,
        contact_record(outing["key"], person_part=part),
        contact_record(outing["key"], person_part=tampered),
        contact_record(outing["key"], person_part=part, person_code="MILANO-0042"),
    ]
    results = sync(outreach.owner, records).json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored", "refused", "refused"]
    with scopes_disabled():
        code = Contact.objects.get(pk=results[1]["id"]).person_code
    assert code == code_from_facts(**facts, gender="woman", mother_name="Ngozi")
    assert list(results[2]["error"]["fields"]) == ["person_part"]
    assert list(results[3]["error"]["fields"]) == ["person_part"]


# --- who may -------------------------------------------------------------------------------------------------


def test_without_a_token_401(network):
    response = Client().post(URL, {"programme": "P-1", "records": []}, content_type="application/json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_a_member_without_the_role_gets_403_and_nothing_is_stored(network, outreach):
    response = sync(outreach.member, night())
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert stored() == (0, 0, 0, 0)


def test_a_programme_without_membership_is_403(network, outreach):
    response = sync(outreach.owner, night(), programme="P-2")
    assert response.status_code == 403
    assert stored() == (0, 0, 0, 0)


def test_an_outsider_cannot_reach_another_organisations_outing(network, outreach):
    outing = outing_record()
    owner_results = sync(outreach.owner, [outing]).json()["results"]
    by_id = {**contact_record(outing["key"]), "outing_key": None, "outing": owner_results[0]["id"]}
    by_key = contact_record(outing["key"])
    update = {"kind": "outing_update", "key": key(), "outing": owner_results[0]["id"], "notes": "Mine now."}
    site = {"kind": "site", "key": key(), "outing": owner_results[0]["id"], "name": "Via Padova"}
    results = sync(outreach.outsider, [by_id, by_key, update, site]).json()["results"]
    assert [r["status"] for r in results] == ["refused"] * 4
    # Outside the scope exactly as a missing outing: 404; another user's key names nothing of hers.
    assert [r["error"]["status"] for r in results] == [404, 400, 404, 404]
    assert stored() == (1, 1, 0, 0)
    # Her own replay of the owner's keys stores nothing for the owner's records either.
    assert sync(outreach.outsider, [outing]).json()["results"][0]["status"] == "stored"
    assert in_db(Outing, organisation=network.other) == 1 and in_db(Outing, organisation=network.partner) == 1


# --- documented -------------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_endpoint(network):
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["post"]
    assert "outreach" in operation["tags"]
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    body = document["components"]["schemas"]["SyncIn"]
    assert body["properties"]["records"]["maxItems"] == 200
    kinds = {ref["$ref"].rsplit("/", 1)[1] for ref in body["properties"]["records"]["items"]["oneOf"]}
    assert kinds == {"SyncOutingIn", "SyncOutingUpdateIn", "SyncSiteIn", "SyncContactIn", "SyncReferralIn"}

"""A network sets itself up from the command line, and its figures stay its own whatever its partner list becomes."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.accounts.scoping import visible_organisation_ids
from approdi.accounts.services import issue_token
from approdi.network.models import Area, Organisation, Partnership, Programme
from approdi.network.services import end_partnership
from approdi.outreach.models import Contact, Referral
from approdi.people.person_code import code_from_identifier
from approdi.shelter.models import Placement

pytestmark = pytest.mark.django_db

FOUNDERS = "code,name,type\ncomune,Comune di Prova,lead\ncoop-a,Cooperativa A,partner\n"
JOINING = "code,name,type\ncoop-b,Cooperativa B,partner\ncoop-c,Cooperativa C,partner\nente,Prefettura,network_body\n"
STRUCTURES = (
    "code,name,organisation,type,area,beds,gender,open_from,open_to\n"
    "S-A,Casa A,coop-a,women,MI,2,women,,\n"
    "S-B,Casa B,coop-b,men,MI,1,men,,\n"
    "S-C,Posti C,coop-c,emergency_places,MI,3,,,\n"
    "S-D,Casa D,coop-b,autonomy,MI,2,,2024-01-01,2025-06-30\n"  # closed before the period's last day
)
CONTACTS = (
    "date,organisation,channel,person_code,headcount,first_contact\n"
    "2025-03-02,coop-b,street,ANNA-1,,\n"  # a repeat: the row below is her first, a day earlier
    "2025-03-01,coop-b,street,anna-1,,\n"
    "2025-03-05,coop-c,street,,4,\n"
    "2025-04-01,coop-c,indoor,BEA-2,,\n"
    "2025-05-01,coop-b,drop_in,,,\n"
    "2026-02-01,coop-b,street,,7,\n"  # after the period (the edition runs on)
    "2026-01-01,coop-c,indoor,,2,\n"  # after it
    "2025-06-01,coop-a,street,CARLA-3,,no\n"  # told: not her first
)
REFERRALS = (
    "date,organisation,source_type,person_code,gender,notes\n"
    "2025-02-01,coop-b,police,ANNA-1,woman,\n"
    "2025-02-03,coop-c,helpline,ANNA-1,woman,\n"  # the same person, referred twice
    "2025-02-05,coop-c,social_services,,,sent by the social services without a name\n"  # without a code: a person each
    "2025-02-06,coop-c,social_services,,,sent by the social services without a name\n"
    "2025-03-01,coop-b,self,DORA-4,woman,\n"  # not by a body
    "2025-03-02,coop-b,outreach,EVA-5,,\n"  # not by a body
    "2026-03-01,coop-b,police,FIO-6,,\n"  # after the period
    "2025-04-01,comune,prosecutor,GIA-7,,\n"
)
PLACEMENTS = (
    "person_code,gender,structure,stage,start,end,exit_reason\n"
    "ANNA-1,woman,S-A,first,2025-02-10,2025-05-01,next_stage\n"
    "ANNA-1,woman,S-A,second,2025-05-02,,\n"
    "BEA-2,woman,S-A,first,2025-03-01,2025-03-20,dropped_out\n"
    "LEO-9,man,S-B,first,2025-01-05,,\n"
    "TINA-10,trans_woman,S-C,emergency,2025-07-01,2025-07-10,other\n"
    "NIC-11,woman,S-C,emergency,2025-08-01,,\n"
)
# Counted by hand with DESIGN.md §9's rules, period 2025-01-01 to 2025-12-31.
EXPECTED = {
    "programme": "NEW",
    "from": "2025-01-01",
    "to": "2025-12-31",
    "outreach": {
        "street_contacts": 7,  # 1 + 1 + 4 + 1
        "indoor_contacts": 1,
        "low_threshold_accesses": 1,
        "persons_referred_by_bodies": 4,  # Anna, two without a code, Gia
    },
    "reception": {"women": 3, "men": 1, "transgender": 1, "total": 5},  # Anna, Bea, Nic; Leo; Tina
    "capacity": [
        {"type": "emergency_women", "structures": 0, "beds": 0},
        {"type": "women", "structures": 1, "beds": 2},
        {"type": "men", "structures": 1, "beds": 1},
        {"type": "autonomy", "structures": 0, "beds": 0},
        {"type": "emergency_places", "structures": 0, "beds": 3},
        {"type": "dormitory_men", "structures": 0, "beds": 0},
    ],
    "capacity_total": {"structures": 2, "beds": 6},
    "training": {"events": 0, "participants": 0, "bodies": 0},
}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def summary(tmp_path) -> dict:
    output = tmp_path / "summary.json"
    call_command(
        "report", "summary", "--programme", "NEW", "--from", "2025-01-01", "--to", "2025-12-31",
        "--format", "json", "--output", str(output),
    )  # fmt: skip
    return json.loads(output.read_text())


# The new network still runs: an ended edition is closed to imports (approdi/network/closing.py).
RUNNING_END = f"{timezone.localdate().year + 1}-06-30"


def imports(tmp_path, kind, text, programme="NEW"):
    call_command(
        "import_data", kind, write(tmp_path, f"{kind}.csv", text), *(["--programme", programme] * bool(programme))
    )


def set_up_network(tmp_path):
    Area.objects.create(code="MI", name="Milano")
    imports(tmp_path, "organisations", FOUNDERS, programme=None)
    call_command(
        "add_programme", "--code", "NEW", "--name", "Nuova rete", "--start", "2025-01-01", "--end", RUNNING_END,
        "--lead", "comune", "--partner", "coop-a",
    )  # fmt: skip
    imports(tmp_path, "organisations", JOINING)
    return Programme.objects.get(code="NEW")


def test_a_new_network_imports_everything_and_its_summary_counts_it_all(tmp_path, capsys):
    programme = set_up_network(tmp_path)
    partners = {p.organisation.code for p in Partnership.objects.filter(programme=programme)}
    assert partners == {"comune", "coop-a", "coop-b", "coop-c"}  # a network body is not a partner
    for kind, text in (
        ("structures", STRUCTURES),
        ("contacts", CONTACTS),
        ("referrals", REFERRALS),
        ("placements", PLACEMENTS),
    ):
        imports(tmp_path, kind, text)
    assert "6 row(s) imported" in capsys.readouterr().out
    assert summary(tmp_path) == EXPECTED

    # A partner leaves: what it filed stays the programme's, and it files nothing new.
    call_command(
        "add_user", "--username", "op-b", "--organisation", "coop-b", "--role", "outreach", "--programme", "NEW"
    )
    end_partnership(actor=None, programme=programme, organisation=Organisation.objects.get(code="coop-b"))
    assert summary(tmp_path) == EXPECTED
    with pytest.raises(CommandError, match="nothing imported"):
        imports(tmp_path, "contacts", "date,organisation,channel\n2025-09-01,coop-c,street\n2025-09-01,coop-b,street\n")
    today = timezone.localdate().isoformat()
    assert f"row 3, column organisation: coop-b left programme NEW on {today}" in capsys.readouterr().err
    _, key = issue_token(user=User.objects.get(username="op-b"))
    response = Client().post(
        "/api/v1/contacts",
        {"programme": "NEW", "date": "2025-09-01", "channel": "street"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "coop-b left programme NEW" in response.json()["error"]["fields"]["organisation"][0]
    with scopes_disabled():
        assert Contact.objects.filter(date="2025-09-01").count() == 0
    with pytest.raises(CommandError, match="coop-b left programme NEW"):
        call_command(
            "add_user", "--username", "new-b", "--organisation", "coop-b", "--role", "case_worker", "--programme", "NEW"
        )


def test_the_lead_entity_still_sees_a_partner_that_left(tmp_path, make_user):
    programme = set_up_network(tmp_path)
    filtro = make_user("filtro", Organisation.objects.get(code="comune"), "filtro", programme)
    coop_b = Organisation.objects.get(code="coop-b")
    end_partnership(actor=None, programme=programme, organisation=coop_b)
    assert coop_b.pk in visible_organisation_ids(filtro.memberships.get())


def test_placements_need_a_lead_entity_and_say_so(tmp_path, capsys):
    Area.objects.create(code="MI", name="Milano")
    imports(tmp_path, "organisations", FOUNDERS, programme=None)
    dates = ["--start", "2025-01-01", "--end", "2026-06-30"]
    call_command("add_programme", "--code", "NEW", "--name", "N", *dates, "--partner", "coop-a")
    imports(tmp_path, "structures", "code,name,organisation,type,area,beds\nS-A,Casa A,coop-a,women,MI,2\n")
    with pytest.raises(CommandError, match="1 error"):
        imports(tmp_path, "placements", "person_code,gender,structure,stage,start\nANNA-1,woman,S-A,first,2025-02-10\n")
    assert "column programme: Programme NEW has no lead entity" in capsys.readouterr().err
    with scopes_disabled():
        assert not Placement.objects.exists()


def test_imported_coded_contacts_are_first_or_repeat_like_a_form_s(tmp_path, network):
    with scopes_disabled():
        Contact.objects.create(
            programme=network.programme, organisation=network.partner, channel="street", date=date(2024, 1, 2),
            person_code=code_from_identifier("KNOWN-1"),
        )  # fmt: skip
    text = (
        "date,organisation,channel,person_code,first_contact\n"
        "2024-03-02,partner,street,NEW-1,\n"
        "2024-03-01,other,indoor,new-1,\n"
        "2024-03-03,partner,street,KNOWN-1,\n"
        "2024-03-04,partner,street,TOLD-1,no\n"
        "2024-03-05,partner,street,,\n"
    )
    imports(tmp_path, "contacts", text, programme="P-1")
    with scopes_disabled():
        rows = list(
            Contact.objects.filter(date__gte="2024-03-01").order_by("date").values_list("first_contact", flat=True)
        )
    assert rows == [True, False, False, False, None]


OUTSIDE = [
    (
        "contacts",
        "date,organisation,channel\n2024-03-01,partner,street\n2024-03-02,outside,street\n",
        "row 3, column organisation",
    ),
    ("referrals", "date,organisation,source_type\n2024-03-01,outside,police\n", "row 2, column organisation"),
    (
        "structures",
        "code,name,organisation,type,area,beds\nS-X,X,outside,women,MI,1\n",
        "row 2, column organisation",
    ),
    (
        "placements",
        "person_code,gender,structure,stage,start\n"
        "A-1,woman,S-ALFA,first,2024-03-01\n"
        "B-1,woman,S-OUT,first,2024-03-01\n",
        "row 3, column structure",
    ),
]


@pytest.mark.parametrize(("kind", "text", "expected"), OUTSIDE)
def test_records_of_an_organisation_outside_the_programme_import_nothing(
    network, tmp_path, capsys, kind, text, expected
):
    outside = Organisation.objects.create(code="outside", name="Fuori rete", type="partner")
    with scopes_disabled():
        network.structure.__class__.objects.create(
            code="S-OUT", name="Fuori", organisation=outside, type="women", area=network.area, beds=1
        ).programmes.set([network.programme])
        before = {m: m.objects.count() for m in (Contact, Referral, Placement, network.structure.__class__)}
    with pytest.raises(CommandError, match="nothing imported"):
        imports(tmp_path, kind, text, programme="P-1")
    assert f"{expected}: outside is not a partner of programme P-1" in capsys.readouterr().err
    with scopes_disabled():
        assert {m: m.objects.count() for m in before} == before

"""Placements: invariants held by the database, moves between stages, the board and the waiting list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from approdi.accounts.services import issue_token
from approdi.shelter import services
from approdi.shelter.models import Bed, Placement, PlacementRequest, Structure
from tests.builders import acting, verified_client
from tests.builders.shelter import place

pytestmark = pytest.mark.django_db
DAY = date(2024, 3, 1)


def test_placing_takes_a_bed_and_the_board_follows(beds, filtro, make_person, max_queries):
    client = verified_client(filtro)
    before = {r.code: r for r in client.get(reverse("shelter:board")).context["rows"]}
    assert (before["S-ALFA"].beds_in_use, before["S-ALFA"].occupied, before["S-ALFA"].free) == (4, 0, 4)
    place(filtro, make_person("AP-AAAAA-AAAA1"), beds.structure)
    with max_queries(14) as first:
        after = {r.code: r for r in client.get(reverse("shelter:board")).context["rows"]}
    assert (after["S-ALFA"].occupied, after["S-ALFA"].free) == (1, 3)
    for n in range(2):
        place(filtro, make_person(f"AP-BBBBB-BBBB{n}", "man"), beds.other_structure)
    with max_queries(first.count):
        client.get(reverse("shelter:board"))


def test_the_last_bed_goes_once(beds, filtro, make_person):
    for n in range(3):
        place(filtro, make_person(f"AP-CCCCC-CCCC{n}", "man"), beds.other_structure)
    with pytest.raises(services.PlacementConflict):
        place(filtro, make_person("AP-CCCCC-CCCC9", "man"), beds.other_structure)
    with scopes_disabled():
        assert Placement.objects.filter(structure=beds.other_structure, end__isnull=True).count() == 3


def test_a_person_is_in_one_structure_at_a_time(beds, filtro, make_person):
    person = make_person("AP-DDDDD-DDDD1")
    place(filtro, person, beds.structure)
    with pytest.raises(services.PlacementConflict):
        place(filtro, person, beds.structure)


def test_the_database_refuses_two_active_placements_of_a_bed(beds, filtro, make_person):
    first = place(filtro, make_person("AP-EEEEE-EEEE1"), beds.structure)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            programme=beds.programme,
            person=make_person("AP-EEEEE-EEEE2"),
            bed=first.bed,
            structure=beds.structure,
            stage="first",
            start=DAY,
        )


def test_moving_to_the_next_stage_keeps_the_path_together(beds, filtro, make_person):
    # S-BETA, for men, hosts men's emergencies and their first reception.
    placement = place(filtro, make_person("AP-FFFFF-FFFF1", "man"), beds.other_structure, stage="emergency")
    client = verified_client(filtro)
    response = client.post(
        reverse("shelter:placement_move", args=[placement.pk]),
        {"day": str(DAY + timedelta(days=30)), "structure": beds.other_structure.pk},
    )
    with scopes_disabled():
        placement.refresh_from_db()
        moved = placement.next
    assert response.status_code == 302 and response["Location"].endswith(f"/placements/{moved.pk}/")
    assert (placement.end, placement.exit_reason) == (DAY + timedelta(days=30), "next_stage")
    assert (moved.stage, moved.structure, moved.start, moved.previous) == (
        "first",
        beds.other_structure,
        placement.end,
        placement,
    )


def test_a_failed_move_changes_nothing(beds, filtro, make_person):
    for n in range(3):
        place(filtro, make_person(f"AP-GGGGG-GGGG{n}", "man"), beds.other_structure)
    with scopes_disabled():
        dormitory = Structure.objects.create(
            code="S-DORM", name="Dormitorio", organisation=beds.partner, type="dormitory_men", area=beds.area, beds=1
        )
        dormitory.programmes.add(beds.programme)
        services.sync_beds(dormitory)
    placement = place(filtro, make_person("AP-GGGGG-GGGG9", "man"), dormitory, stage="emergency")
    verified_client(filtro).post(
        reverse("shelter:placement_move", args=[placement.pk]),
        {"day": "2024-04-01", "structure": beds.other_structure.pk},
    )
    with scopes_disabled():
        placement.refresh_from_db()
    assert placement.end is None  # the other structure is full: she stays where she is


def test_waiting_list_proposes_fitting_beds_away_from_the_exploitation_area(beds, filtro, make_person, network):
    from approdi.network.models import Area

    far = Area.objects.create(code="VA", name="Varese")
    with scopes_disabled():
        network.other_structure.gender, network.other_structure.type, network.other_structure.area = (
            "women",
            "women",
            far,
        )
        network.other_structure.save()
        request = PlacementRequest.objects.create(
            programme=network.programme,
            person=make_person("AP-HHHHH-HHHH1"),
            stage="first",
            gender="woman",
            avoid_area=network.area,
        )
    page = verified_client(filtro).get(reverse("shelter:waiting_list"))
    (item,) = page.context["requests"]
    assert [s.code for s in item.proposed] == ["S-BETA"]  # S-ALFA is in the area to avoid
    response = verified_client(filtro).post(
        reverse("shelter:place", args=[request.pk]),
        {"structure": network.other_structure.pk, "stage": "first", "start": "2024-03-02"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        request.refresh_from_db()
    assert request.status == "placed"


def test_educator_sees_only_her_structures_residents(beds, filtro, make_person, people, network):
    placement = place(filtro, make_person("AP-IIIII-IIII1"), beds.structure)
    trio = people("shelter")
    own = verified_client(trio.owner)
    assert "AP-IIIII-IIII1" in own.get(reverse("shelter:structure_detail", args=["S-ALFA"])).content.decode()
    assert own.get(reverse("shelter:placement", args=[placement.pk])).status_code == 200
    assert verified_client(trio.outsider).get(reverse("shelter:placement", args=[placement.pk])).status_code == 404
    assert verified_client(trio.member).get(reverse("shelter:placement", args=[placement.pk])).status_code == 403
    assert "S-BETA" not in own.get(reverse("shelter:board")).content.decode()  # her own structures only
    own.post(
        reverse("shelter:diary_add", args=[placement.pk]), {"day": "2024-03-02", "kind": "note", "text": "Serena."}
    )
    assert "Serena." in verified_client(filtro).get(reverse("shelter:placement", args=[placement.pk])).content.decode()


def test_alerts_for_overstays_and_long_paths(beds, filtro, make_person):
    today = timezone.localdate()
    first = place(
        filtro, make_person("AP-JJJJJ-JJJJ1"), beds.structure, stage="first", start=today - timedelta(days=540)
    )
    with acting(filtro):
        services.move_to_next_stage(actor=filtro, placement=first, day=today - timedelta(days=40))
    page = verified_client(filtro).get(reverse("shelter:alerts"))
    kinds = {a.kind for a in page.context["alerts"]}
    assert "path_18" in kinds or "path_24" in kinds
    place(
        filtro,
        make_person("AP-JJJJJ-JJJJ2", "man"),
        beds.other_structure,
        stage="emergency",
        start=today - timedelta(days=45),
    )
    page = verified_client(filtro).get(reverse("shelter:alerts"))
    assert "overstay" in {a.kind for a in page.context["alerts"]}


def test_api_contract_for_placements(beds, filtro, make_person, network):
    from approdi.outreach.models import Referral

    with scopes_disabled():
        Referral.objects.create(
            programme=network.programme,
            organisation=network.partner,
            date=DAY,
            source_type="police",
            person_code="AP-KKKKK-KKKK2",
            gender="woman",
        )
    _, key = issue_token(user=filtro)
    post = lambda body: Client().post(
        "/api/v1/placements",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    body = {
        "programme": "P-1",
        "person_code": "AP-KKKKK-KKKK2",
        "structure": "S-ALFA",
        "stage": "first",
        "start": "2024-03-02",
    }
    created = post(body)
    assert created.status_code == 201 and set(created.json()) == {"id"}
    again = post(body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    unknown = post(body | {"person_code": "nobody-at-all"})
    assert unknown.status_code == 400 and "person_code" in unknown.json()["error"]["fields"]
    board = Client().get("/api/v1/board?programme=P-1", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert {r["structure"]: r["occupied"] for r in board} == {"S-ALFA": 1, "S-BETA": 0}


class PlacementSequences(HypothesisTestCase):
    """Random sequences of placements, moves and exits never break the invariants.

    The people differ in gender and age and the structures in type, target and ages admitted, so
    that the admission rule is exercised as well as the beds.
    """

    GENDERS = ("woman", "man", "trans_woman", "non_binary", "unknown", "", "woman")
    # (type, target gender, ages admitted)
    STRUCTURES = (
        ("women", "any", "adults"),
        ("men", "men", "adults"),
        ("autonomy", "any", "all"),
        ("emergency_women", "women", "minors"),
    )

    @settings(max_examples=30, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["place", "move", "end"]),
                st.integers(0, 6),
                st.integers(0, 3),
                st.sampled_from(["emergency", "first", "second", "third"]),
            ),
            max_size=25,
        )
    )
    def test_invariants_hold(self, steps):
        from approdi.accounts.models import Membership, User
        from approdi.network.models import Area, Organisation, Programme
        from approdi.people.models import Person
        from approdi.shelter import admission

        lead = Organisation.objects.create(code="l", name="L", type="lead")
        programme = Programme.objects.create(
            code="H", name="H", start=DAY, end=DAY + timedelta(days=900), lead_organisation=lead
        )
        user = User.objects.create(username="h")
        Membership.objects.create(user=user, organisation=lead, programme=programme, role="filtro")
        area = Area.objects.create(code="HA", name="HA")
        with scopes_disabled():
            structures = [
                Structure.objects.create(
                    code=f"H{n}", name="h", organisation=lead, type=kind, gender=target, ages=ages, area=area, beds=2
                )
                for n, (kind, target, ages) in enumerate(self.STRUCTURES)
            ]
            for s in structures:
                s.programmes.add(programme)
                services.sync_beds(s)
            people = [
                Person.objects.create(
                    programme=programme,
                    organisation=lead,
                    code=f"AP-HYPOT-HYP0{n}",
                    created_by=user,
                    gender=gender,
                    is_minor=n == 6,
                    birth_date=date(2010, 1, 1) if n == 5 else None,  # a minor by her birth date
                )
                for n, gender in enumerate(self.GENDERS)
            ]
        day = DAY
        with acting(user):
            for action, who, where, stage in steps:
                day += timedelta(days=1)
                active = Placement.objects.filter(person=people[who], end__isnull=True).first()
                try:
                    if action == "place":
                        services.place(
                            actor=user, person=people[who], structure=structures[where], stage=stage, start=day
                        )
                    elif action == "move" and active:
                        services.move_to_next_stage(actor=user, placement=active, day=day, structure=structures[where])
                    elif action == "end" and active:
                        services.end_placement(actor=user, placement=active, day=day, reason="autonomy")
                except (services.PlacementConflict, ValidationError):
                    pass  # refused moves (full structure, past the third stage, not admitted) change nothing
                for s in structures:
                    occupied = Placement.objects.filter(structure=s, end__isnull=True).count()
                    assert occupied <= Bed.objects.filter(structure=s, in_use=True).count()
                for person in people:
                    assert Placement.objects.filter(person=person, end__isnull=True).count() <= 1
                for placement in Placement.objects.filter(end__isnull=True).select_related("person", "structure"):
                    # Every stay fits the structure: gender, age and stage, whatever the path to it.
                    admission.check(
                        person=placement.person,
                        structure=placement.structure,
                        stage=placement.stage,
                        day=placement.start,
                    )
                    person, structure = placement.person, placement.structure
                    assert person.gender not in ("", "unknown", "non_binary") or structure.type == "autonomy"
                    assert not admission.is_minor(person, placement.start) or structure.ages != "adults"
                    assert placement.stage != "third" or structure.type == "autonomy"


def test_stage_lengths_are_configurable_per_programme(beds, filtro, make_person):
    today = timezone.localdate()
    place(filtro, make_person("AP-LLLLL-LLLL2"), beds.structure, stage="first", start=today - timedelta(days=50))
    client = verified_client(filtro)
    assert not client.get(reverse("shelter:alerts")).context["alerts"]  # 50 days < 120 by default
    client.post(reverse("shelter:alerts"), {"emergency": 10, "first": 40, "second": 200, "third": 300})
    assert [a.kind for a in client.get(reverse("shelter:alerts")).context["alerts"]] == ["overstay"]

"""A structure takes in only the people it admits (gender, age) at the stages its type hosts.

One rule (approdi/shelter/admission.py) for the placement form, the waiting list's proposals, the API
and the placements import.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.people.person_code import code_from_identifier
from approdi.shelter import services
from approdi.shelter.models import Placement, PlacementRequest, Structure
from tests.builders import verified_client
from tests.builders.shelter import place

pytestmark = pytest.mark.django_db
DAY = date(2024, 3, 1)


def structure(network, code, type, gender="any", ages="adults", beds=2):
    with scopes_disabled():
        made = Structure.objects.create(
            code=code, name=code, organisation=network.partner, type=type, gender=gender, ages=ages, area=network.area,
            beds=beds,
        )  # fmt: skip
        made.programmes.add(network.programme)
        services.sync_beds(made)
    return made


def refusal(filtro, person, where, stage="first") -> str:
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        place(filtro, person, where, stage=stage)
    with scopes_disabled():
        assert not Placement.objects.filter(person=person).exists()
    return " ".join(refused.value.message_dict["structure"])


def test_a_woman_is_not_placed_in_a_structure_for_men(beds, filtro, make_person):
    assert "does not admit a person of this gender (Woman)" in refusal(
        filtro, make_person("AP-ADMIT-WOMN1"), beds.other_structure
    )
    # A structure of the men's type takes no woman even when its target gender was left at "any".
    comunita = structure(beds, "Comunità uomini MI 20", "men", gender="any")
    assert "does not admit a person of this gender" in refusal(filtro, make_person("AP-ADMIT-WOMN2"), comunita)
    assert place(filtro, make_person("AP-ADMIT-MAN01", "man"), comunita).structure == comunita


def test_unknown_gender_goes_only_where_everybody_is_admitted(beds, filtro, make_person):
    unknown = make_person("AP-ADMIT-UNKN1", "unknown")
    assert "Record the person's gender first" in refusal(filtro, unknown, beds.structure)
    flat = structure(beds, "S-FLAT", "autonomy", gender="any")
    assert place(filtro, unknown, flat, stage="third").structure == flat


def test_the_stage_fits_the_structure_type(beds, filtro, make_person):
    flat = structure(beds, "S-FLAT", "autonomy", gender="women")
    message = refusal(filtro, make_person("AP-ADMIT-STAG1"), flat, stage="first")
    assert "does not host the stage 'First reception'" in message
    assert "does not host the stage 'Third reception'" in refusal(
        filtro, make_person("AP-ADMIT-STAG2"), beds.structure, stage="third"
    )
    assert place(filtro, make_person("AP-ADMIT-STAG3"), flat, stage="third").stage == "third"


def test_minors_and_adults_go_where_their_age_is_admitted(beds, filtro, make_person):
    child = make_person("AP-ADMIT-MINR1")
    with scopes_disabled():
        child.birth_date = date(2010, 5, 1)  # 13 on the first day
        child.save()
    assert "is a minor (or declares to be)" in refusal(filtro, child, beds.structure)
    declared = make_person("AP-ADMIT-MINR2")
    with scopes_disabled():
        declared.is_minor = True  # no birth date: she says she is under 18
        declared.save()
    assert "admits adults only" in refusal(filtro, declared, beds.structure)
    for_minors = structure(beds, "S-MINORI", "women", gender="women", ages="minors")
    assert place(filtro, child, for_minors).structure == for_minors
    assert "admits minors only" in refusal(filtro, make_person("AP-ADMIT-ADLT1"), for_minors)


def test_the_waiting_list_proposes_only_structures_that_admit_the_person(beds, filtro, make_person, network):
    for_minors = structure(beds, "S-MINORI", "women", gender="women", ages="minors")
    child = make_person("AP-ADMIT-WAIT1")
    with scopes_disabled():
        child.is_minor = True
        child.save()
        PlacementRequest.objects.create(programme=network.programme, person=child, stage="first", gender="woman")
        # The request's copy of the gender is stale: the person's record says man.
        man = make_person("AP-ADMIT-WAIT2", "man")
        PlacementRequest.objects.create(programme=network.programme, person=man, stage="first", gender="woman")
    page = verified_client(filtro).get(reverse("shelter:waiting_list"))
    proposed = {item.person.code: [s.code for s in item.proposed] for item in page.context["requests"]}
    assert proposed == {"AP-ADMIT-WAIT1": [for_minors.code], "AP-ADMIT-WAIT2": ["S-BETA"]}


def test_the_placement_form_shows_why_and_places_nobody(beds, filtro, make_person, network):
    with scopes_disabled():
        request = PlacementRequest.objects.create(
            programme=network.programme, person=make_person("AP-ADMIT-FORM1"), stage="first", gender="woman"
        )
    response = verified_client(filtro).post(
        reverse("shelter:place", args=[request.pk]),
        {"structure": beds.other_structure.pk, "stage": "first", "start": "2024-03-02"},
    )
    assert response.status_code == 200
    assert "Casa Beta" in response.context["form"].errors["structure"][0]
    with scopes_disabled():
        request.refresh_from_db()
        assert request.status == "open" and not Placement.objects.exists()


def test_the_api_refuses_with_the_reason(beds, filtro, make_person):
    make_person(code_from_identifier("api-woman"))
    _, key = issue_token(user=filtro)
    response = Client().post(
        "/api/v1/placements",
        {"programme": "P-1", "person_code": "api-woman", "structure": "S-BETA", "stage": "first", "start": DAY},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Casa Beta" in response.json()["error"]["fields"]["structure"][0]
    with scopes_disabled():
        assert not Placement.objects.exists()


def test_the_placements_import_applies_the_same_rule(beds, filtro, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(
        "person_code,gender,structure,stage,start\nP-1,woman,S-BETA,first,2024-01-01\nP-2,man,S-BETA,third,2024-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_data", "placements", str(path), "--programme", "P-1")
    err = capsys.readouterr().err
    assert "row 2, column structure: Casa Beta does not admit a person of this gender (Woman)" in err
    assert "row 3, column structure: Casa Beta (Reception structure for men) does not host the stage" in err
    with scopes_disabled():
        assert not Placement.objects.exists()


def test_the_board_filter_by_gender_agrees_with_the_rule(beds, filtro):
    structure(beds, "S-UOMINI", "men", gender="any")  # a men's type whose target was left at "any"
    structure(beds, "S-FLAT", "autonomy", gender="any")
    client = verified_client(filtro)
    for wanted, codes in (("women", {"S-ALFA", "S-FLAT"}), ("men", {"S-BETA", "S-UOMINI", "S-FLAT"})):
        rows = client.get(reverse("shelter:board"), {"gender": wanted}).context["rows"]
        assert {r.code for r in rows} == codes, wanted

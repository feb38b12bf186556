"""A person's request of access and portability (issue 17, point 3): the DPO produces one file, PDF or JSON, with
everything held about her and nothing of anyone else; producing it is audited; the page is the DPO's alone."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.core.processing import MODELS
from approdi.intake.access_file import NOT_IN_THE_FILE, person_paths
from approdi.intake.services import record_conference
from approdi.people.models import Person
from tests.builders import acting
from tests.builders.cases import legal_and_general_notes
from tests.builders.pages import open_as
from tests.builders.people import registered_person
from tests.pdftext import pdf_text

URL = "access:request"


@pytest.fixture
def dpo(network, make_user):
    return make_user("dpo", network.lead, "dpo", network.programme)


@pytest.fixture
def two_people(case_world, network):
    """Her (the case world's person, with notes) and another woman at the same case conference day and table."""
    legal_and_general_notes(case_world)
    other = registered_person(network, code="AP-OTHER-00002", created_by=case_world.filtro)
    with scopes_disabled():
        Person.objects.filter(pk=case_world.person.pk).update(given_name="Blessing", family_name="Okafor")
        Person.objects.filter(pk=other.pk).update(given_name="Mercy", family_name="Adeyemi")
    with acting(case_world.filtro) as filtro:
        for person, decided in ((case_world.person, "Accoglienza in casa"), (other, "Rimpatrio assistito")):
            with scopes_disabled():
                person = Person.objects.get(pk=person.pk)
            record_conference(
                actor=filtro,
                person=person,
                day=date(2024, 4, 2),
                organisations=[network.lead],
                participants=[case_world.manager],
                decisions=decided,
            )
    return case_world, other


def _ask(user, code, kind="json", day=None):
    data = {"code": code, "received_on": (day or timezone.localdate()).isoformat(), "kind": kind}
    return open_as(user).post(reverse(URL), data)


def test_the_file_holds_every_record_of_hers_and_nothing_of_the_other(two_people, dpo):
    world, other = two_people
    open_as(world.manager).get(reverse("cases:case_detail", args=[world.case.pk]))  # a read, to be listed
    answer = _ask(dpo, world.person.code)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    text = answer.content.decode()
    found = json.loads(text)
    assert found["person_code"] == world.person.code
    records = found["records"]
    for label, path in person_paths().items():
        model = apps.get_model(label)
        with scopes_disabled():
            value = world.person.code if path == "person_code" else world.person.pk
            ids = {str(pk) for pk in model.objects.filter(**{path: value}).values_list("pk", flat=True)}
        if label == "cases.Note":
            assert ids and {r["id"] for r in records[label]} < ids  # the legal note stays with its role
            continue
        assert ids == {r["id"] for r in records.get(label, [])}, label
    assert "Blessing" in text and "Okafor" in text  # her identity, decrypted
    assert "Accoglienza in casa" in text and "Colloquio di verifica" in text
    assert "Denuncia depositata" not in text  # a legal note: its author's role gives it, not the file
    for of_her in (other.code, "Mercy", "Adeyemi", "Rimpatrio assistito"):
        assert of_her not in text
    assert any(v["who"] == "manager" for v in found["who_viewed_or_changed_her_records"])


def test_the_pdf_reads_the_same_and_producing_it_is_audited(two_people, dpo):
    world, _other = two_people
    answer = _ask(dpo, world.person.code, kind="pdf", day=date.today())
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Okafor" in text and "Colloquio di verifica" in text
    assert "Mercy" not in text and "AP-OTHER-00002" not in text
    with scopes_disabled():
        entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="intake.person")
    assert entry.actor_username == "dpo" and entry.object_id == str(world.person.pk)


def test_an_unknown_code_or_a_future_date_is_refused_in_words(case_world, dpo):
    assert "No person of this programme has this code." in _ask(dpo, "AP-NOBODY").content.decode()
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    assert "cannot be received in the future" in _ask(dpo, case_world.person.code, day=future).content.decode()
    too_long = _ask(dpo, "X" * 200)
    assert too_long.status_code == 200 and too_long["Content-Type"].startswith("text/html")
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_nothing_is_preselected_on_the_form(dpo):
    page = open_as(dpo).get(reverse(URL)).content.decode()
    assert "checked" not in page


def test_the_page_is_the_dpo_s_alone(case_world, network, make_user, dpo):
    assert open_as(dpo).get(reverse(URL)).status_code == 200
    assert reverse(URL) in open_as(dpo).get(reverse("audit:processing_record")).content.decode()  # the menu
    member = make_user("coordinator-2", network.lead, "coordinator", network.programme)
    partner_dpo = make_user("dpo-partner", network.other, "dpo", network.programme)
    elsewhere = make_user("dpo-elsewhere", network.lead, "dpo", network.other_programme)
    for user in (member, case_world.manager, partner_dpo):
        assert open_as(user).get(reverse(URL)).status_code == 403
        assert _ask(user, case_world.person.code).status_code == 403
    # The DPO of another programme does not find this programme's person.
    assert "No person of this programme" in _ask(elsewhere, case_world.person.code).content.decode()


def test_every_model_of_the_register_holding_her_data_reaches_her_or_says_why_not():
    paths = person_paths()
    not_hers = {"outreach.Outing", "outreach.OutingSite", "outreach.OutingMaterial", "shelter.Structure"}
    for label, described in MODELS.items():
        if "assisted" in described.people:
            assert label in paths or label in NOT_IN_THE_FILE or label in not_hers, label

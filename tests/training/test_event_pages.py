"""Every page of training and awareness: the lead entity's coordinators (owner) and the organising organisation's
coordinators keep an event; a member without the role, and another partner's coordinator, read it and get 403 on
changing it; a user of another programme (outsider) finds nothing (404)."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.training.models import Event, Participation
from tests.builders import verified_client
from tests.builders.training import build_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network, make_user):
    users = {
        "owner": make_user("coord-lead", network.lead, "coordinator", network.programme),
        "organiser": make_user("coord-partner", network.partner, "coordinator", network.programme),
        "member": make_user("worker-partner", network.partner, "case_worker", network.programme),
        "other": make_user("coord-other", network.other, "coordinator", network.programme),
        "outsider": make_user("coord-elsewhere", network.lead, "coordinator", network.other_programme),
    }
    training = build_training(network.programme, organiser=network.partner, uploaded_by=users["owner"])
    return network, users, training


def read_pages(t):
    return [
        reverse("training:event_list"),
        reverse("training:export_csv"),
        reverse("training:event_detail", args=[t.event.pk]),
        reverse("training:event_material", args=[t.event.pk]),
    ]


def event_post(network, organiser, **changes):
    data = {
        "kind": "awareness",
        "title": "Incontro nel territorio",
        "organiser": organiser.pk,
        "date": "2024-05-10",
        "area": network.area.pk,
        "audience": "community",
        "hours": "2.5",
        "trainers": "Équipe",
        "materials": "https://example.invalid/slides",
    }
    return data | changes


@pytest.mark.parametrize("who", ["owner", "organiser", "member", "other"])
def test_every_member_of_the_programme_reads_the_events(world, who):
    _network, users, t = world
    client = verified_client(users[who])
    for url in read_pages(t):
        assert client.get(url).status_code == 200, (who, url)
    page = client.get(reverse("training:event_detail", args=[t.event.pk])).content.decode()
    assert "CAS Via di Prova" in page and "Prefettura di Prova" in page


def test_an_outsider_finds_no_event(world):
    _network, users, t = world
    client = verified_client(users["outsider"])
    for name in ("training:event_detail", "training:event_edit", "training:event_material"):
        assert client.get(reverse(name, args=[t.event.pk])).status_code == 404, name
    assert client.post(reverse("training:event_detail", args=[t.event.pk]), {}).status_code == 404
    removal = reverse("training:participation_remove", args=[t.event.pk, t.typed.pk])
    assert client.post(removal).status_code == 404
    assert "Formazione operatori CAS" not in client.get(reverse("training:event_list")).content.decode()
    assert b"Formazione operatori CAS" not in client.get(reverse("training:export_csv")).content
    with scopes_disabled():
        assert Participation.objects.filter(pk=t.typed.pk).exists()


@pytest.mark.parametrize("who", ["member", "other"])
def test_who_does_not_keep_the_event_cannot_change_it(world, who):
    network, users, t = world
    client = verified_client(users[who])
    edit = reverse("training:event_edit", args=[t.event.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, event_post(network, network.partner)).status_code == 403
    detail = reverse("training:event_detail", args=[t.event.pk])
    assert client.post(detail, {"participation-organisation_name": "X", "participation-role": "operator",
                                "participation-participants": "3"}).status_code == 403  # fmt: skip
    removal = reverse("training:participation_remove", args=[t.event.pk, t.typed.pk])
    assert client.post(removal).status_code == 403
    page = client.get(detail).content.decode()
    assert reverse("training:event_edit", args=[t.event.pk]) not in page
    with scopes_disabled():
        assert Participation.objects.filter(event=t.event).count() == 2


def test_a_member_without_the_role_adds_no_event(world):
    network, users, _t = world
    client = verified_client(users["member"])
    assert client.get(reverse("training:event_new")).status_code == 403
    assert client.post(reverse("training:event_new"), event_post(network, network.partner)).status_code == 403


@pytest.mark.parametrize("who", ["owner", "organiser"])
def test_the_keepers_change_the_event_and_its_participants(world, who):
    network, users, t = world
    client = verified_client(users[who])
    edit = reverse("training:event_edit", args=[t.event.pk])
    assert client.get(edit).status_code == 200
    changed = event_post(network, network.partner, kind="cas_training", respondents="8", mean_score="4.25")
    assert client.post(edit, changed).status_code == 302
    detail = reverse("training:event_detail", args=[t.event.pk])
    added = client.post(
        detail,
        {"participation-body": t.body.pk, "participation-role": "officer", "participation-participants": "3"},
    )
    assert added.status_code == 302
    removal = reverse("training:participation_remove", args=[t.event.pk, t.from_directory.pk])
    assert client.post(removal).status_code == 302
    with scopes_disabled():
        t.event.refresh_from_db()
        assert (t.event.respondents, str(t.event.mean_score), t.event.title) == (8, "4.25", "Incontro nel territorio")
        assert sorted(Participation.objects.filter(event=t.event).values_list("role", "participants")) == [
            ("officer", 3),
            ("operator", 10),
        ]
        assert AuditEntry.objects.filter(object_type="training.participation", action="delete").count() == 1


def test_a_partner_coordinator_organises_only_for_her_organisation(world):
    network, users, _t = world
    client = verified_client(users["other"])
    page = client.get(reverse("training:event_new"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["organiser"].queryset) == [network.other]
    refused = client.post(reverse("training:event_new"), event_post(network, network.partner))
    assert refused.status_code == 400
    created = client.post(reverse("training:event_new"), event_post(network, network.other))
    assert created.status_code == 302
    with scopes_disabled():
        event = Event.objects.get(title="Incontro nel territorio")
        assert event.organiser == network.other and event.programme == network.programme
    assert client.get(reverse("training:event_edit", args=[event.pk])).status_code == 200


def test_the_lead_coordinator_names_any_partner_as_organiser(world):
    network, users, _t = world
    client = verified_client(users["owner"])
    organisers = set(client.get(reverse("training:event_new")).context["form"].fields["organiser"].queryset)
    assert {network.lead, network.partner, network.other} <= organisers


def test_the_csv_lists_a_row_per_organisation_and_role_and_the_figures(world):
    _network, users, _t = world
    response = verified_client(users["member"]).get(reverse("training:export_csv"))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    organisations = {row[11]: row for row in rows[1:] if len(row) > 11}
    assert organisations["CAS Via di Prova"][14] == "10" and organisations["Prefettura di Prova"][14] == "2"
    assert organisations["CAS Via di Prova"][12] != organisations["Prefettura di Prova"][12]  # in the directory?
    assert [row[1] for row in rows if len(row) == 2] == ["1", "12", "2"]  # events, participants, bodies
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="export", reason="csv").exists()


def test_the_material_is_downloaded_never_shown_inline(world):
    _network, users, t = world
    response = verified_client(users["member"]).get(reverse("training:event_material", args=[t.event.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF-")


def test_no_training_model_holds_or_points_to_a_person():
    """Participants are counts by organisation and role: no model of training reaches a person's data."""
    from tests.platform.test_processing_register import holding_peoples_data

    assert not {label for label in holding_peoples_data() if label.startswith("training.")}

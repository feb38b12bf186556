"""Every page of the directory and the protocols: the owner (a lead coordinator) uses it, a member of the same
organisation without the role reads but cannot change, and an outsider (another programme) finds nothing (404)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.directory.models import Body, Obligation, Protocol, Referent
from tests.builders import verified_client
from tests.builders.directory import PDF, build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network, make_user):
    owner = make_user("coord-lead", network.lead, "coordinator", network.programme)
    member = make_user("worker-lead", network.lead, "case_worker", network.programme)
    outsider = make_user("coord-elsewhere", network.lead, "coordinator", network.other_programme)
    partner_coordinator = make_user("coord-partner", network.partner, "coordinator", network.programme)
    directory = build_directory(network.programme, follower=member, area=network.area)
    return network, owner, member, outsider, partner_coordinator, directory


def read_pages(d):
    return [
        reverse("directory:body_list"),
        reverse("directory:body_print"),
        reverse("directory:export_csv"),
        reverse("directory:export_vcard"),
        reverse("directory:body_detail", args=[d.questura.pk]),
        reverse("directory:protocol_list"),
        reverse("directory:protocol_detail", args=[d.protocol.pk]),
        reverse("directory:protocol_document", args=[d.protocol.pk]),
    ]


def test_every_member_reads_the_directory_and_the_protocols(world):
    _network, owner, member, _outsider, _partner, d = world
    for user in (owner, member):
        client = verified_client(user)
        for url in read_pages(d):
            assert client.get(url).status_code == 200, (user.username, url)


def test_an_outsider_finds_no_body_no_protocol_and_no_document(world):
    _network, _owner, _member, outsider, _partner, d = world
    client = verified_client(outsider)
    for name, pk in (
        ("directory:body_detail", d.questura.pk),
        ("directory:body_edit", d.questura.pk),
        ("directory:protocol_detail", d.protocol.pk),
        ("directory:protocol_edit", d.protocol.pk),
        ("directory:protocol_document", d.protocol.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    listing = client.get(reverse("directory:body_list")).content.decode()
    assert "Questura di Prova" not in listing
    assert "Protocollo art. 10" not in client.get(reverse("directory:protocol_list")).content.decode()
    assert b"Questura" not in client.get(reverse("directory:export_csv")).content
    assert b"Questura" not in client.get(reverse("directory:export_vcard")).content
    removal = reverse("directory:referent_remove", args=[d.commissione.pk, d.referent.pk])
    assert client.post(removal).status_code == 404
    removal = reverse("directory:obligation_remove", args=[d.protocol.pk, d.obligation.pk])
    assert client.post(removal).status_code == 404


@pytest.mark.parametrize("who", ["member", "partner coordinator"])
def test_only_the_lead_coordinators_change_the_directory(world, who):
    _network, _owner, member, _outsider, partner, d = world
    client = verified_client(member if who == "member" else partner)
    for url in (
        reverse("directory:body_new"),
        reverse("directory:body_edit", args=[d.questura.pk]),
        reverse("directory:protocol_new"),
        reverse("directory:protocol_edit", args=[d.protocol.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X", "type": "ngo"}).status_code == 403, url
    assert client.post(reverse("directory:body_detail", args=[d.questura.pk]), {}).status_code == 403
    assert client.post(reverse("directory:protocol_detail", args=[d.protocol.pk]), {}).status_code == 403
    assert client.post(reverse("directory:referent_remove", args=[d.commissione.pk, d.referent.pk])).status_code == 403
    assert client.post(reverse("directory:obligation_remove", args=[d.protocol.pk, d.obligation.pk])).status_code == 403
    page = client.get(reverse("directory:body_list")).content.decode()
    assert reverse("directory:body_new") not in page


def test_the_owner_adds_a_body_a_referent_and_changes_them_audited(world):
    network, owner, _member, _outsider, _partner, _d = world
    client = verified_client(owner)
    client.cookies["django_language"] = "en"
    answer = client.post(
        reverse("directory:body_new"),
        {
            "name": "CPIA 5 Prova",
            "type": "cpia",
            "areas": [network.area.pk],
            "services": "Corsi di italiano L2",
            "phone": "02 999",
            "email": "cpia@example.invalid",
            "hours": "Lunedì 14-17",
            "how_to_refer": "Iscrizione in segreteria",
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        body = Body.objects.get(name="CPIA 5 Prova")
    assert body.programme == network.programme and list(body.areas.all()) == [network.area]
    detail = reverse("directory:body_detail", args=[body.pk])
    answer = client.post(
        detail,
        {"referent-name": "Segreteria didattica", "referent-role": "Segreteria", "referent-email": "s@example.invalid"},
    )
    assert answer.status_code == 302
    answer = client.post(detail, {"referent-name": "Senza recapiti", "referent-role": "Docente"})
    assert "Give a phone number or an e-mail address." in answer.content.decode()
    answer = client.post(
        detail,
        {
            "referent-name": "Referente Milano",
            "referent-role": "Coordinatrice",
            "referent-phone": "02 1",
            "referent-network_role": "area_referent",
        },
    )
    assert "An area referent needs the area." in answer.content.decode()
    page = client.get(detail).content.decode()
    assert "Segreteria didattica" in page and "Corsi di italiano L2" in page
    answer = client.post(reverse("directory:body_edit", args=[body.pk]), {"name": "CPIA 5 Prova", "type": "cpia"})
    assert answer.status_code == 302
    with scopes_disabled():
        body.refresh_from_db()
        assert body.services == "" and not body.areas.exists()
        referent = Referent.objects.get(body=body)
    client.post(reverse("directory:referent_remove", args=[body.pk, referent.pk]))
    with scopes_disabled():
        assert not Referent.objects.filter(body=body).exists()
        actions = list(
            AuditEntry.objects.filter(object_type__startswith="directory.").values_list("object_type", "action")
        )
    assert ("directory.body", "create") in actions and ("directory.body", "change") in actions
    assert ("directory.referent", "create") in actions and ("directory.referent", "delete") in actions


def test_the_owner_records_a_protocol_with_its_document_and_an_obligation(world):
    _network, owner, member, outsider, _partner, d = world
    client = verified_client(owner)
    client.cookies["django_language"] = "en"
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        reverse("directory:protocol_new"),
        {
            "kind": "agreement",
            "title": "Accordo di collaborazione Città Metropolitana",
            "subject": "Sensibilizzazione e formazione",
            "parties": [d.questura.pk, d.commissione.pk],
            "signed_on": "2024-02-01",
            "valid_until": "2026-12-31",
            "document": SimpleUploadedFile("accordo.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        protocol = Protocol.objects.get(title__startswith="Accordo")
    detail = reverse("directory:protocol_detail", args=[protocol.pk])
    answer = client.post(detail, {"obligation-description": "Relazione annuale", "obligation-followed_by": member.pk})
    assert answer.status_code == 302
    answer = client.post(
        detail, {"obligation-description": "Altro", "obligation-followed_by": outsider.pk}
    )  # no role in this programme
    assert answer.status_code == 200
    with scopes_disabled():
        assert list(Obligation.objects.filter(protocol=protocol).values_list("description", "followed_by")) == [
            ("Relazione annuale", member.pk)
        ]
    page = client.get(detail).content.decode()
    assert "Relazione annuale" in page and "accordo.pdf" in page
    document = verified_client(member).get(reverse("directory:protocol_document", args=[protocol.pk]))
    assert document["Content-Type"] == "application/pdf" and document.content == PDF
    assert document["Content-Disposition"].startswith("attachment")

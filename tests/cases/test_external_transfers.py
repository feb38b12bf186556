"""A transfer to another project of the national network, from the case page: sent to a directory entry,
answered, her arrival closing the case as transferred (never before), the follow-up on My work a month later."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases.models import Case, ExternalTransfer
from approdi.directory.models import Body
from approdi.people.models import ProgrammeRecord
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate  # the case world's entry record is dated today: her path here ends today too


@pytest.fixture
def project(network):
    with scopes_disabled():
        return Body.objects.create(programme=network.programme, name="Progetto Derive e Approdi Veneto", type="network")


def post(user, url, **body):
    return open_as(user).post(url, body, follow=True)


def send(case_world, project, user=None, sent_on=None):
    sent_on = sent_on or TODAY()
    url = reverse("cases:onward_send", args=[case_world.case.pk])
    return post(user or case_world.manager, url, body=project.pk, sent_on=sent_on.isoformat())


def the_transfer() -> ExternalTransfer:
    with scopes_disabled():
        return ExternalTransfer.objects.get()


def answer(case_world, transfer, value="accepted", day=None):
    day = day or TODAY()
    url = reverse("cases:onward_answer", args=[case_world.case.pk, transfer.pk])
    return post(case_world.manager, url, answer=value, day=day.isoformat())


def arrive(case_world, transfer, day=None, user=None):
    day = day or TODAY()
    url = reverse("cases:onward_arrived", args=[case_world.case.pk, transfer.pk])
    return post(user or case_world.manager, url, day=day.isoformat())


def test_the_path_to_another_project_closes_the_case_as_transferred_when_she_arrives(case_world, project):
    page = open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Progetto Derive e Approdi Veneto" in page  # offered from the directory
    assert send(case_world, project).status_code == 200
    transfer = the_transfer()
    assert (transfer.body, transfer.sent_on, transfer.answer) == (project, TODAY(), "pending")
    text = answer(case_world, transfer).content.decode()
    assert "record the day she arrives" in text
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"  # accepted is not arrived
    text = arrive(case_world, transfer).content.decode()
    assert "the case is closed as transferred" in text
    assert 'data-testid="closed"' in text
    with scopes_disabled():
        case = Case.objects.get(pk=case_world.case.pk)
        assert (case.status, case.end, case.outcome) == ("closed", TODAY(), "transfer")
        exit_record = ProgrammeRecord.objects.get(person=case_world.person, kind="exit")
        assert (exit_record.date, exit_record.outcome) == (TODAY(), "transfer")
        transfer.refresh_from_db()
        assert transfer.follow_up_due == TODAY() + timedelta(days=30)
        audited = set(AuditEntry.objects.filter(object_type="cases.externaltransfer").values_list("action", flat=True))
    assert {"create", "change"} <= audited


def test_a_refused_transfer_leaves_the_case_open_and_another_can_be_sent(case_world, project):
    send(case_world, project)
    transfer = the_transfer()
    assert "the case goes on here" in answer(case_world, transfer, value="refused").content.decode()
    assert send(case_world, project).status_code == 200
    with scopes_disabled():
        assert ExternalTransfer.objects.count() == 2
        assert Case.objects.get(pk=case_world.case.pk).status == "active"


def test_the_case_cannot_close_as_transferred_before_she_arrived(case_world, project):
    today = timezone.localdate()
    close = reverse("cases:case_close", args=[case_world.case.pk])
    text = post(case_world.manager, close, day=today.isoformat(), outcome="transfer").content.decode()
    assert "only when she arrived" in text
    send(case_world, project)
    transfer = the_transfer()
    answer(case_world, transfer)
    # Accepted, not arrived: still refused, on the closure form and with nothing changed.
    text = post(case_world.manager, close, day=today.isoformat(), outcome="transfer").content.decode()
    assert "only when she arrived" in text
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"
        assert not ProgrammeRecord.objects.filter(person=case_world.person, kind="exit").exists()
    # A pending transfer has no arrival to record.
    with scopes_disabled():
        ExternalTransfer.objects.filter(pk=transfer.pk).update(answer="pending", answered_on=None)
    text = arrive(case_world, transfer).content.decode()
    assert "Only a transfer the receiving project accepted waits for her arrival" in text
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"


def test_an_arrival_before_the_answer_is_refused_on_the_form(case_world, project):
    send(case_world, project)
    transfer = the_transfer()
    answer(case_world, transfer)
    text = arrive(case_world, transfer, day=TODAY() - timedelta(days=1)).content.decode()
    assert "She arrives only after the receiving project accepted her" in text
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"


def test_the_follow_up_is_on_the_case_managers_my_work_when_due(case_world, project):
    today = timezone.localdate()
    send(case_world, project)
    transfer = the_transfer()
    answer(case_world, transfer)
    arrive(case_world, transfer)  # due in a month: not yet work
    my_work = reverse("cases:my_work")
    assert "Progetto Derive e Approdi Veneto" not in open_as(case_world.manager).get(my_work).content.decode()
    with scopes_disabled():
        ExternalTransfer.objects.filter(pk=transfer.pk).update(follow_up_due=today)  # a month later
    text = open_as(case_world.manager).get(my_work).content.decode()
    assert "Progetto Derive e Approdi Veneto" in text and case_world.person.code in text
    for user in (case_world.colleague, case_world.educator, case_world.outsider):
        assert "Progetto Derive e Approdi Veneto" not in open_as(user).get(my_work).content.decode(), user.username
    # Recorded on the closed case's page, it leaves My work.
    url = reverse("cases:onward_follow_up", args=[case_world.case.pk, transfer.pk])
    assert (
        post(case_world.manager, url, day=today.isoformat(), text="Sta bene, sentita la referente").status_code == 200
    )
    transfer.refresh_from_db()
    assert transfer.followed_up_on == today
    assert "Progetto Derive e Approdi Veneto" not in open_as(case_world.manager).get(my_work).content.decode()


def test_only_the_case_manager_and_the_filtro_record_it_and_an_outsider_gets_404(case_world, project):
    url = reverse("cases:onward_send", args=[case_world.case.pk])
    body = {"body": project.pk, "sent_on": TODAY().isoformat()}
    assert open_as(case_world.outsider).post(url, body).status_code == 404
    for user in (case_world.educator, case_world.coordinator):
        assert open_as(user).post(url, body).status_code in (403, 404), user.username
    with scopes_disabled():
        assert not ExternalTransfer.objects.exists()
    assert open_as(case_world.filtro).post(url, body).status_code == 302
    transfer = the_transfer()
    for name in ("onward_answer", "onward_arrived", "onward_follow_up"):
        target = reverse(f"cases:{name}", args=[case_world.case.pk, transfer.pk])
        assert open_as(case_world.outsider).post(target, {"day": TODAY().isoformat()}).status_code == 404, name
        assert open_as(case_world.educator).post(target, {"day": TODAY().isoformat()}).status_code == 403, name
    page = open_as(case_world.educator).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Progetto Derive e Approdi Veneto" in page  # the team reads it
    assert reverse("cases:onward_answer", args=[case_world.case.pk, transfer.pk]) not in page  # but does not answer


def test_a_body_of_another_programme_or_not_a_project_is_refused(case_world, project, network):
    with scopes_disabled():
        questura = Body.objects.create(programme=network.programme, name="Questura di Venezia", type="questura")
    text = send(case_world, questura).content.decode()
    assert 'id="onward_body-error"' in text
    with scopes_disabled():
        assert not ExternalTransfer.objects.exists()

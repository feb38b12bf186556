"""What needs a user: the header's bell, My work's "What needs you", and the e-mails of the kinds she chose.

Each kind reaches exactly whom it should: never a user of another organisation, nor a colleague not on the case's
team, nor the Ufficio Filtro of another programme. An e-mail names the person by her code and links to the work:
none carries her name, her surname or her birth date.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Notification
from approdi.cases.alerts import send_due_alerts
from approdi.cases.models import Transfer
from approdi.cases.services import case as case_services
from approdi.intake.services import record_conference
from approdi.outreach.models import Referral
from approdi.outreach.services import record_referral
from approdi.people.models import Person
from approdi.shelter.night import Arrival, record_night_entry
from tests.builders import acting
from tests.builders.cases import apply_for_permit, consent_to_sharing, issue_permit
from tests.builders.pages import open_as
from tests.builders.shelter import emergency_structure
from tests.public.test_help_request import MARKER, ask

pytestmark = pytest.mark.django_db

MY_WORK = reverse("cases:my_work")
GIVEN, FAMILY, BORN = "Blessing", "Okonkwo", date(1999, 4, 17)


@pytest.fixture
def world(case_world, network, make_user):
    """The case world, with the person's identity known, an outreach operator and the Filtro of another edition."""
    with scopes_disabled():
        person = Person.objects.get(pk=case_world.person.pk)
        person.given_name, person.family_name, person.birth_date = GIVEN, FAMILY, BORN
        person.save(update_fields=["given_name", "family_name", "birth_date"])
    case_world.outreach = make_user("strada", network.partner, "outreach", network.programme)
    case_world.other_filtro = make_user("filtro2", network.lead, "filtro", network.other_programme)
    mail.outbox.clear()
    return case_world


def bell(user) -> int | None:
    """The count the header's bell shows her (None: no bell)."""
    page = open_as(user).get(reverse("accounts:my_account")).content.decode()
    found = re.search(r'data-testid="notice-bell" data-count="(\d+)"', page)
    return int(found.group(1)) if found else None


def needs_you(user) -> str:
    page = open_as(user).get(MY_WORK).content.decode()
    return page[page.index('data-testid="needs-you"') : page.index('aria-labelledby="today-title"')]


def choose(user, *kinds: str) -> None:
    response = open_as(user).post(reverse("accounts:notice_emails"), {"kinds": list(kinds)})
    assert response.status_code == 302


def _new_referral(world, code: str, **identity) -> Referral:
    with acting(world.outreach):
        return record_referral(
            actor=world.outreach,
            date=timezone.localdate(),
            source_type="outreach",
            person_code=code,
            gender="woman",
            exploitation="sexual",
            urgency="priority",
            consent_to_share=True,
            **identity,
        )


def outbox_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def assert_no_identity() -> None:
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in (GIVEN, FAMILY, BORN.isoformat(), f"{BORN:%d/%m/%Y}", f"{BORN:%d/%m/%y}"):
            assert secret not in text, text


def test_a_case_assigned_reaches_its_new_manager_alone_who_marks_it_read(world):
    bystanders = (world.colleague, world.legal, world.educator, world.outsider, world.filtro)
    assert bell(world.manager) == 1
    assert "A case assigned to you" in needs_you(world.manager) and "AP-CASE1-00001" in needs_you(world.manager)
    for user in bystanders:
        assert "AP-CASE1-00001" not in needs_you(user)
    with scopes_disabled():
        notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (world.manager, "assigned")
    # Nobody else can mark it read: 404, as for a notice that does not exist.
    url = reverse("accounts:notice_read", args=[notice.pk])
    for user in (world.colleague, world.outsider):
        assert open_as(user).post(url).status_code == 404
    response = open_as(world.manager).post(url)
    assert response.status_code == 302 and response["Location"].endswith("#needs-you")
    assert bell(world.manager) == 0 and "Nothing waits for you." in needs_you(world.manager)


def test_a_transfer_proposed_reaches_its_receiver_alone_and_goes_when_answered(world):
    consent_to_sharing(world)
    with acting(world.manager):
        transfer = case_services.request_transfer(
            actor=world.manager, case=world.case, to_user=world.outsider, reason="Si trasferisce a Bergamo"
        )
    assert "A transfer proposed to you" in needs_you(world.outsider)
    for user in (world.colleague, world.legal, world.filtro):
        assert "A transfer proposed to you" not in needs_you(user)
    with acting(world.outsider):
        case_services.reject_transfer(
            actor=world.outsider, transfer=Transfer.objects.get(pk=transfer.pk), answer="Nessun posto"
        )
    assert "A transfer proposed to you" not in needs_you(world.outsider)


def test_a_new_referral_reaches_the_filtro_of_its_programme_only(world):
    choose(world.filtro, "referral")
    choose(world.other_filtro, "referral")
    referral = _new_referral(world, "AP-REF01-00001", given_name=GIVEN, family_name=FAMILY, birth_date=BORN)
    assert bell(world.filtro) == 1
    assert "A new referral in the queue" in needs_you(world.filtro)
    for user in (world.other_filtro, world.manager, world.colleague, world.outsider):
        assert "A new referral in the queue" not in needs_you(user)
    assert outbox_to() == ["filtro@example.invalid"]
    body = mail.outbox[0].body
    assert referral.person_code in body and reverse("intake:queue") + "?status=new" in body  # her code as filed
    assert_no_identity()


def test_a_request_for_help_from_the_public_site_reaches_the_filtro_without_a_word_of_it(world):
    choose(world.filtro, "referral")
    assert ask().status_code == 200
    assert outbox_to() == ["filtro@example.invalid"]
    body = mail.outbox[0].body
    assert MARKER not in body and "1234567" not in body and "After 22" not in body
    with scopes_disabled():
        assert Referral.objects.get().reference not in body
    assert "A new referral in the queue" in needs_you(world.filtro)


def test_a_night_entry_reaches_the_filtro_of_its_programme_until_regularised(world, network, make_user):
    night = emergency_structure(network)
    educator = make_user("notte", network.partner, "shelter", network.programme)
    choose(world.filtro, "night_entry")
    choose(world.manager)  # a case worker: the kind is not hers to choose, nor to receive
    with acting(educator):
        entry = record_night_entry(
            actor=educator,
            structure=night,
            arrival=Arrival(
                code="",
                gender="woman",
                age_band="21-23",
                language="inglese",
                nationality="NG",
                referred_by="helpline",
                referring_body="Numero Verde",
                arrived_at=timezone.now() - timedelta(minutes=30),
                needs="",
            ),
        )
    assert "A night entry to regularise" in needs_you(world.filtro)
    for user in (world.other_filtro, world.manager, world.colleague, world.outsider):
        assert "A night entry to regularise" not in needs_you(user)
    assert outbox_to() == ["filtro@example.invalid"]
    with scopes_disabled():
        assert entry.placement.person.code in mail.outbox[0].body
        type(entry).objects.filter(pk=entry.pk).update(regularised_at=timezone.now(), regularised_by=world.filtro)
    assert "A night entry to regularise" not in needs_you(world.filtro)


def test_a_deadline_reaches_the_legal_seats_of_the_team_only(world):
    today = timezone.localdate()
    permit = apply_for_permit(world.legal, world.case.pk, application_date=today - timedelta(days=60))
    issue_permit(world.legal, permit, issue_date=today - timedelta(days=30), expiry=today + timedelta(days=5))
    for user in (world.manager, world.legal):
        assert "A deadline within 7 days" in needs_you(user)
    for user in (world.educator, world.colleague, world.outsider):  # on the team without a legal seat, or not on it
        assert "A deadline within 7 days" not in needs_you(user)
    # E-mail: the legal seats had it before they could choose, and still do, unless one turns it off.
    choose(world.legal)
    mail.outbox.clear()
    send_due_alerts(today=today)
    assert outbox_to() == ["manager@example.invalid"]
    assert_no_identity()


def test_a_conference_action_reaches_its_owner_only(world, network):
    choose(world.manager, "conference_action")
    choose(world.colleague, "conference_action")
    with acting(world.filtro):
        record_conference(
            actor=world.filtro,
            person=world.person,
            day=timezone.localdate(),
            organisations=[network.lead],
            decisions="Percorso confermato",
            actions=[("Accompagnarla in Questura", world.manager, timezone.localdate() + timedelta(days=3))],
        )
    mine = needs_you(world.manager)
    assert "A conference action of yours due within 7 days" in mine and "Accompagnarla in Questura" in mine
    for user in (world.colleague, world.legal, world.outsider):
        assert "Accompagnarla in Questura" not in needs_you(user)
    assert outbox_to() == ["manager@example.invalid"]
    assert_no_identity()


def test_nothing_is_sent_to_whom_did_not_choose_it(world):
    with acting(world.filtro):
        case_services.assign_case(actor=world.filtro, case=world.case, case_manager=world.colleague)
    assert mail.outbox == [] and "A case assigned to you" in needs_you(world.colleague)
    choose(world.manager, "assigned")
    with acting(world.filtro):
        case_services.assign_case(actor=world.filtro, case=world.case, case_manager=world.manager)
    assert outbox_to() == ["manager@example.invalid"]
    assert "AP-CASE1-00001" in mail.outbox[0].body and reverse("cases:case_detail", args=[world.case.pk]) in (
        mail.outbox[0].body
    )
    assert_no_identity()


def test_my_account_offers_the_kinds_of_her_role_and_keeps_her_choice(world):
    page = open_as(world.manager).get(reverse("accounts:my_account")).content.decode()
    form = page[page.index('data-testid="notice-emails"') :]
    assert "A case assigned to you" in form and "A new referral in the queue" not in form
    assert re.search(r'value="deadline"[^>]*checked', form)  # as before she could choose
    assert not re.search(r'value="assigned"[^>]*checked', form)
    choose(world.manager, "assigned")
    world.manager.refresh_from_db()
    assert world.manager.email_notices["assigned"] is True and world.manager.email_notices["deadline"] is False
    # The outreach operator no kind reaches: no bell, no choice.
    page = open_as(world.outreach).get(reverse("accounts:my_account")).content.decode()
    assert 'data-testid="notice-bell"' not in page and 'data-testid="notice-emails"' not in page
    assert open_as(world.outreach).post(reverse("accounts:notice_emails"), {"kinds": ["referral"]}).status_code == 403


def test_the_bell_says_how_many_in_words(world):
    page = open_as(world.manager).get(reverse("accounts:my_account")).content.decode()
    assert 'aria-label="What needs you: 1 item"' in page


def test_the_bell_builds_its_statement_once_and_counts_afresh_on_every_page(world, network, monkeypatch):
    """Building the rules' statement was most of what the bell cost on every page; it is kept for the same user,
    role, scope and day, but every page runs it again: what changed in between is counted at once, and a change
    of her scope (an organisation joining the programme) builds a new one."""
    from approdi.accounts import notifications
    from approdi.network.models import Organisation, Partnership

    notifications._STATEMENTS.clear()
    built = []
    compile_statement = notifications._compile
    monkeypatch.setattr(notifications, "_compile", lambda *args: built.append(args) or compile_statement(*args))

    assert bell(world.filtro) == 0 and len(built) == 1
    _new_referral(world, "AP-BELL1-00001")
    assert bell(world.filtro) == 1 and len(built) == 1
    assert bell(world.filtro) == 1 and len(built) == 1

    with scopes_disabled():
        joining = Organisation.objects.create(code="nuova", name="Nuova", type=Organisation.Type.values[0])
        Partnership.objects.create(programme=network.programme, organisation=joining)
    assert bell(world.filtro) == 1 and len(built) == 2
    assert bell(world.manager) == 1 and len(built) == 3  # another user: a statement of her own

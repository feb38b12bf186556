"""The demo network has its governance tables (the Tavolo emersione, the Tavolo tecnico and four working groups),
each with its next meeting; a held meeting gave actions that `operatrice` finds on My work and `strada` on her home
page; the minutes name the woman by her code only; loading twice adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.governance.models import Meeting, MeetingAction, Table
from approdi.people.models import Person
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_tables_and_their_meetings():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    with scopes_disabled():
        tables = {t.kind: t for t in Table.objects.all()}
        assert Table.objects.count() == 6
        assert set(Table.objects.filter(kind="working_group").values_list("topic", flat=True)) == {
            "labour", "reception", "training", "networks"
        }  # fmt: skip
        assert tables["emersione"].recurrence == 2 and tables["technical"].recurrence == 1
        for table in Table.objects.all():
            assert table.meetings.filter(status="scheduled", starts_at__gt=timezone.now()).count() == 1, table.name
        held = Meeting.objects.filter(status="held")
        assert held.count() == 2
        people = Person.objects.filter(programme=tables["emersione"].programme)
        for meeting in held:
            for person in people:
                for name in (person.given_name, person.family_name):
                    assert not name or name not in meeting.minutes
        assert any(p.code in held.get(table=tables["emersione"]).minutes for p in people)
        owners = set(MeetingAction.objects.values_list("owner__username", flat=True))
    assert {"operatrice", "legale", "strada"} <= owners
    operatrice = verified_client(User.objects.get(username="operatrice"))
    assert 'data-testid="table-actions"' in operatrice.get(reverse("cases:my_work")).content.decode()
    strada = verified_client(User.objects.get(username="strada"))
    assert 'data-testid="table-actions"' in strada.get(reverse("core:home")).content.decode()
    coordinator = verified_client(User.objects.get(username="coordinatrice"))
    listing = coordinator.get(reverse("governance:table_list")).content.decode()
    assert "Tavolo emersione" in listing and "Gruppo di lavoro sfruttamento lavorativo" in listing

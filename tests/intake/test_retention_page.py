"""The retention page (issue 17, point 1): the lead entity's DPO and coordinators read the schedule and set the
programme's own periods within bounds, with errors in words; nobody else opens it; the register shows the same."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.core.retention import RULES, Kind
from approdi.network.models import RetentionPeriod
from approdi.network.retention import months_of
from tests.builders.pages import open_as

PAGE = "access:retention"


@pytest.fixture
def dpo(network, make_user):
    return make_user("dpo", network.lead, "dpo", network.programme)


@pytest.fixture
def coordinator(network, make_user):
    return make_user("lead-coord", network.lead, "coordinator", network.programme)


def _months(**changes) -> dict:
    return {kind: changes.get(kind, rule.months) for kind, rule in RULES.items()}


def test_the_dpo_reads_the_schedule_and_sets_a_period(network, dpo):
    page = open_as(dpo).get(reverse(PAGE)).content.decode()
    for rule in RULES.values():
        assert str(rule.label) in page and str(rule.reason)[:40] in page
    assert "120 months" in page
    answer = open_as(dpo).post(reverse(PAGE), _months(cases=96), follow=True)
    assert "Retention schedule saved." in answer.content.decode()
    assert months_of(network.programme)[Kind.CASES] == 96
    assert months_of(network.other_programme)[Kind.CASES] == 120  # another programme keeps its own
    with scopes_disabled():
        entry = AuditEntry.objects.get(object_type="network.retentionperiod")
    assert entry.reason == "cases=120->96" and entry.actor_id == dpo.pk
    # Back to the default: the programme's own line goes.
    open_as(dpo).post(reverse(PAGE), _months())
    assert not RetentionPeriod.objects.exists()


def test_out_of_bounds_is_refused_in_words(network, coordinator):
    answer = open_as(coordinator).post(reverse(PAGE), _months(cases=12, sync_keys=99, contacts="abc"))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "At least 60 months." in page and "At most 12 months." in page and "Give a whole number of months." in page
    assert not RetentionPeriod.objects.exists()
    italian = open_as(coordinator, language="it").post(reverse(PAGE), _months(cases=12)).content.decode()
    assert "At least 60 months." not in italian and "60" in italian


def test_nobody_else_opens_or_sets_it(network, make_user, case_world):
    same_organisation = case_world.filtro  # the lead entity, another role
    partner_dpo = make_user("dpo-partner", network.partner, "dpo", network.programme)
    for user in (same_organisation, partner_dpo, case_world.manager):
        assert open_as(user).get(reverse(PAGE)).status_code == 403
        assert open_as(user).post(reverse(PAGE), _months(cases=96)).status_code == 403
    assert not RetentionPeriod.objects.exists()


def test_the_register_of_processing_shows_the_programme_schedule(network, dpo):
    RetentionPeriod.objects.create(programme=network.programme, kind=Kind.CONTACTS, months=18)
    page = open_as(dpo).get(reverse("audit:processing_record")).content.decode()
    assert 'data-testid="retention-contacts"' in page and "18 months" in page
    assert str(RULES[Kind.SYNC_KEYS].reason)[:40] in page

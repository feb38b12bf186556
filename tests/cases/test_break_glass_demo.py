"""The demo shows break-glass: last night the on-call educator opened a case she is not on; the DPO sees it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.cases.models import BreakGlass
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def test_the_demo_dpo_reviews_last_night_s_emergency_access():
    call_command("load_demo", "--quiet")
    with scopes_disabled():
        grant = BreakGlass.objects.select_related("case__person", "user").get()
        assert grant.user.username == "reperibile"
        assert grant.case.seat_of(grant.user) is None
    page = open_as(User.objects.get(username="dpo")).get(reverse("cases:break_glass_review")).content.decode()
    assert grant.case.person.code in page and "not yet" in page
    mail.outbox.clear()  # the demo's own notices (a return to prepare) went out while it loaded
    call_command("send_break_glass_notices")
    assert mail.outbox and all(grant.case.person.code in m.subject for m in mail.outbox)

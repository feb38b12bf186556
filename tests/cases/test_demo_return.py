"""The demo shows an assisted voluntary return under way: IOM accepted, her documents are ready, she leaves in ten
days; the case page shows the steps to her case manager, and loading twice adds nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.cases.models import AssistedReturn
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_return_under_way_on_its_case_page():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    with scopes_disabled():
        item = AssistedReturn.objects.select_related("case", "body").get()
        assert (item.answer, item.under_way, item.body.type) == ("accepted", True, "iom")
        assert item.departure_planned == timezone.localdate() + timedelta(days=10)
        case = item.case
    page = verified_client(User.objects.get(username="operatrice")).get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert "OIM-MI-DEMO-0001" in page.content.decode()

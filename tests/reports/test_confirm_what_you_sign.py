"""Approving a funder report: the figures are shown beside an explicit, unticked confirmation; a report is of days
that lie in the programme and have happened."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.reports.models import FunderReport
from tests.builders import verified_client
from tests.builders.pages import open_as
from tests.reports.test_approval import coordinators, prepared  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_approval_asks_for_an_unticked_confirmation_below_the_figures(network, coordinators):  # noqa: F811
    report = prepared(verified_client(coordinators.owner))
    page = open_as(coordinators.second).get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    figures, approve = page.split('id="approve"')
    assert "Street-unit contacts" in figures  # the figures come first
    box = re.search(r'<input type="checkbox" name="confirm"[^>]*>', approve)
    assert box and "checked" not in box.group(0)
    assert "from 01/03/2024 to 31/03/2024" in html.unescape(approve)


def test_without_the_confirmation_nothing_is_approved(network, coordinators):  # noqa: F811
    report = prepared(verified_client(coordinators.owner))
    second = open_as(coordinators.second)
    url = reverse("reports:funder_approve", args=[report.pk])
    answer = second.post(url, {"figures_hash": report.figures_hash}, follow=True)
    assert "Tick the box to confirm that you approve these figures." in answer.content.decode()
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "draft"
    second.post(url, {"figures_hash": report.figures_hash, "confirm": "on"})
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "approved"


@pytest.mark.parametrize("confirm", [None, False, "yes please"])
def test_the_api_approves_only_with_an_explicit_confirmation(network, coordinators, confirm):  # noqa: F811
    report = prepared(verified_client(coordinators.owner))
    _, key = issue_token(user=coordinators.second)
    url = f"/api/v1/reports/funder/{report.pk}/approve"

    def approve(body):
        return Client().post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="it"
        )

    body = {"programme": "P-1", "figures_hash": report.figures_hash}
    refused = approve(body if confirm is None else {**body, "confirm": confirm})
    assert refused.status_code in (400, 422)
    error = refused.json()["error"]
    assert "confirm" in error["fields"]
    if confirm is not None and confirm is not False:
        assert refused.status_code == 422  # not a boolean
    else:
        assert refused.status_code == 400
        assert error["fields"]["confirm"] == ['Conferma che approvi questi dati: invia "confirm": true.']
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "draft"
    assert approve({**body, "confirm": True}).status_code == 200
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "approved"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"start": "2024-01-01", "end": "2099-12-31"}, "The programme runs from 01/01/2024"),
        ({"start": "2023-12-01", "end": "2024-01-31"}, "The programme runs from 01/01/2024"),
        (None, "A report counts what has happened"),
    ],
)
def test_a_period_outside_the_programme_or_in_the_future_is_refused(network, coordinators, period, message):  # noqa: F811
    if period is None:  # the programme runs until next year: tomorrow has not happened yet
        period = {"start": "2024-01-01", "end": (timezone.localdate() + timedelta(days=1)).isoformat()}
    answer = open_as(coordinators.owner).post(reverse("reports:funder_prepare"), period)
    assert answer.status_code == 200 and message in html.unescape(answer.content.decode())
    _, key = issue_token(user=coordinators.owner)
    body = {"programme": "P-1", "from": period["start"], "to": period["end"]}
    api = Client().post(
        "/api/v1/reports/funder",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 400 and message in api.json()["error"]["fields"]["end"][0]
    with scopes_disabled():
        assert not FunderReport.objects.exists()


def test_the_prepare_form_offers_the_programme_so_far(network, coordinators):  # noqa: F811
    page = open_as(coordinators.owner).get(reverse("reports:funder_prepare")).content.decode()
    assert f'name="end" value="{timezone.localdate().isoformat()}"' in page

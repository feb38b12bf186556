"""Who corrects a closed period, and from which form (README, "Closed periods").

A contact carries a code: the lead coordinator corrects it herself, from the indoor and drop-in forms. A
placement or a service (tests/cases/test_closed_period_services.py) names a person: it stays with whom may see
her, and the lead coordinator who also holds that role (the head of the Ufficio Filtro, say) corrects it from
there. Everyone else is refused; the approved files stay byte-identical.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.middleware import SESSION_MEMBERSHIP_KEY
from approdi.accounts.models import Membership
from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from approdi.outreach.models import Contact
from approdi.shelter.models import Placement
from approdi.shelter.services import sync_beds
from tests.builders import verified_client
from tests.reports.test_closed_periods import REASON, files

pytestmark = pytest.mark.django_db
MARCH = {"start": "2024-03-01", "end": "2024-03-31"}


def approve_march(network, preparer, approver):
    """The funder report of March 2024, prepared and approved by two lead coordinators."""
    assert verified_client(preparer).post(reverse("reports:funder_prepare"), MARCH).status_code == 302
    with scopes_disabled():
        from approdi.reports.models import FunderReport

        report = FunderReport.objects.latest("id")
    answer = verified_client(approver).post(
        reverse("reports:funder_approve", args=[report.pk]), {"figures_hash": report.figures_hash, "confirm": "on"}
    )
    assert answer.status_code == 302
    return report


def acting_as(user, role: str) -> Client:
    """A signed-in client of a user with several roles, acting under ``role``."""
    client = verified_client(user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = Membership.objects.get(user=user, role=role).pk
    session.save()
    return client


def last_audit(object_type: str, actor) -> AuditEntry:
    with scopes_disabled():
        return AuditEntry.objects.filter(object_type=object_type, actor=actor).latest("id")


def api(user, path: str, body: dict):
    _, key = issue_token(user=user)
    return Client().post(
        path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.fixture
def march(network, make_user):
    lead = make_user("lead-coordinator", network.lead, "coordinator", network.programme)
    second = make_user("lead-coordinator-two", network.lead, "coordinator", network.programme)
    return approve_march(network, lead, second), lead


ACCESS = {"date": "2024-03-12", "service_point": "Sportello Centrale", "access_channel": "in_person"}


def test_a_back_dated_contact_is_refused_for_the_partner_and_corrected_by_the_lead_coordinator(
    network, march, make_user
):
    report, lead = march
    before = files(verified_client(lead), report)
    url = reverse("outreach:contact_create", args=["drop_in"])

    worker = verified_client(make_user("outreach-worker", network.partner, "outreach", network.programme))
    refused = worker.post(url, ACCESS)
    assert refused.status_code == 200 and refused.context["form"].errors["date"]
    assert "amend_reason" not in refused.context["form"].fields
    worker_api = api(
        make_user("outreach-api", network.partner, "outreach", network.programme),
        "/api/v1/accesses",
        {"programme": "P-1", **ACCESS, "amend_reason": REASON},
    )
    assert worker_api.status_code == 409 and worker_api.json()["error"]["code"] == "closed_period"

    coordinator = verified_client(lead)
    page = coordinator.get(url)
    assert page.status_code == 200 and "amend_reason" in page.context["form"].fields
    assert 'data-testid="correction-only"' in page.content.decode()
    no_reason = coordinator.post(url, ACCESS)
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["amend_reason"]
    # Work of today is the frontline's: the form is hers only for corrections.
    today = {**ACCESS, "date": date.today().isoformat(), "amend_reason": REASON}
    assert coordinator.post(url, today).status_code == 403
    with scopes_disabled():
        assert not Contact.objects.exists()

    saved = coordinator.post(url, {**ACCESS, "amend_reason": REASON})
    assert saved.status_code == 302 and saved["Location"] == reverse("outreach:counts")
    audit = last_audit("outreach.contact", lead)
    assert REASON in audit.reason and "closed period of P-1" in audit.reason

    without = api(lead, "/api/v1/accesses", {"programme": "P-1", **ACCESS})
    assert without.status_code == 409 and without.json()["error"]["fields"]["amend_reason"]
    assert api(lead, "/api/v1/accesses", {"programme": "P-1", **ACCESS, "amend_reason": REASON}).status_code == 201
    with scopes_disabled():
        assert Contact.objects.count() == 2
    assert files(coordinator, report) == before


def test_a_back_dated_end_of_stay_is_the_lead_coordinators_from_the_filtro_role(network, march, make_user):
    from approdi.people.models import Person

    report, lead = march
    before = files(verified_client(lead), report)
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    head = make_user("head-of-filtro", network.lead, "filtro", network.programme)
    Membership.objects.create(user=head, organisation=network.lead, role="coordinator", programme=network.programme)
    with scopes_disabled():
        sync_beds(network.structure)
        person = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AB12", gender="woman", created_by=filtro
        )
        stay = Placement.objects.create(
            programme=network.programme,
            person=person,
            structure=network.structure,
            bed=network.structure.bed_set.first(),
            stage="first",
            start=date(2024, 2, 1),
            created_by=filtro,
        )
    page = reverse("shelter:placement", args=[stay.pk])
    end = reverse("shelter:placement_end", args=[stay.pk])
    body = {"day": "2024-03-20", "reason": "autonomy"}

    plain = verified_client(filtro)
    assert "amend_reason" not in plain.get(page).context["end_form"].fields
    refused = plain.post(end, body, follow=True)
    assert "31/03/2024" in refused.content.decode()  # the approved report's period is named
    head_client = acting_as(head, "filtro")
    assert "amend_reason" in head_client.get(page).context["end_form"].fields
    head_client.post(end, body)
    with scopes_disabled():
        stay.refresh_from_db()
    assert stay.end is None  # no reason, no change

    head_client.post(end, {**body, "amend_reason": REASON})
    with scopes_disabled():
        stay.refresh_from_db()
    assert stay.end == date(2024, 3, 20)
    assert REASON in last_audit("shelter.placement", head).reason
    assert files(verified_client(lead), report) == before

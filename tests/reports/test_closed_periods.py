"""Closed periods stay closed: a back-dated change into an approved report's period is the lead coordinator's alone."""

import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.shelter.models import CapacityChange, Structure
from tests.builders import acting, verified_client

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2024-03-01", "end": "2024-03-31"}
REASON = "The structure's licence of March 2024 allowed five beds: the first entry was wrong."


def italian(msgid: str) -> str:
    with translation.override("it"):
        return translation.gettext(msgid)


@pytest.fixture
def approved(network, people, make_user):
    """A network of 84 beds and its approved report of March 2024; the lead's coordinators and an educator."""
    with scopes_disabled():
        flats = Structure.objects.create(
            code="S-FLATS", name="Appartamenti", organisation=network.other, type="autonomy", area=network.area, beds=77
        )
        flats.programmes.set([network.programme])
    coordinators = people("coordinator", at=network.lead)
    second = make_user("coordinator-second", network.lead, "coordinator", network.programme)
    educator = make_user("educator", network.partner, "shelter", network.programme)
    preparer = verified_client(coordinators.owner)
    assert preparer.post(reverse("reports:funder_prepare"), PERIOD).status_code == 302
    with scopes_disabled():
        from approdi.reports.models import FunderReport

        report = FunderReport.objects.latest("id")
    assert report.figures["capacity_total"]["beds"] == 84
    answer = verified_client(second).post(
        reverse("reports:funder_approve", args=[report.pk]), {"figures_hash": report.figures_hash, "confirm": "on"}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        report.refresh_from_db()
    assert report.is_approved
    return report, coordinators.owner, educator


def files(client, report) -> dict[str, bytes]:
    out = {}
    for fmt in ("xlsx", "csv", "pdf"):
        answer = client.get(reverse("reports:funder_file", args=[report.pk, fmt]))
        assert answer.status_code == 200
        out[fmt] = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return out


def change(client, network, beds: int, **extra):
    return client.post(
        reverse("shelter:structure_detail", args=[network.structure.code]), {"day": "2024-03-10", "beds": beds, **extra}
    )


def test_a_back_dated_capacity_change_is_refused_for_an_educator_and_the_lead_coordinators_with_a_reason(
    network, approved
):
    report, lead, educator = approved
    coordinator = verified_client(lead)
    before = files(coordinator, report)

    refused = change(verified_client(educator), network, 5)
    assert refused.status_code == 200
    shown = html.unescape(refused.content.decode())
    assert "01/03/2024" in shown and "31/03/2024" in shown  # the approved report's period is named
    assert "reason" not in refused.context["capacity_form"].fields  # she could not override it anyway
    with scopes_disabled():
        assert not CapacityChange.objects.exists()

    no_reason = change(coordinator, network, 5)
    assert no_reason.status_code == 200 and no_reason.context["capacity_form"].errors["reason"]
    with scopes_disabled():
        assert not CapacityChange.objects.exists()

    assert change(coordinator, network, 5, reason=REASON).status_code == 302
    with scopes_disabled():
        assert CapacityChange.objects.get().beds == 5
        audit = AuditEntry.objects.filter(object_type="shelter.structure", actor=lead).latest("id")
    assert REASON in audit.reason and "closed period of P-1" in audit.reason

    assert files(coordinator, report) == before  # the approved files, byte for byte
    with scopes_disabled():
        report.refresh_from_db()
    assert report.figures["capacity_total"]["beds"] == 84
    page = html.unescape(coordinator.get(reverse("reports:funder_detail", args=[report.pk])).content.decode())
    assert 'data-testid="live-differences"' in page
    assert "84 → 85" in page and "4 → 5" in page and "+1" in page


def test_the_report_page_says_nothing_while_the_live_figures_match(network, approved):
    report, lead, _ = approved
    page = verified_client(lead).get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert 'data-testid="live-differences"' not in page


def test_a_change_after_the_approved_period_is_open_to_the_educator(network, approved):
    _, _, educator = approved
    answer = verified_client(educator).post(
        reverse("shelter:structure_detail", args=[network.structure.code]), {"day": "2024-04-02", "beds": 5}
    )
    assert answer.status_code == 302


def test_placements_and_contacts_back_dated_into_an_approved_period_are_refused(network, approved, make_user):
    from approdi.outreach import services as outreach
    from approdi.people.models import Person
    from approdi.shelter import services as shelter

    worker = make_user("outreach-worker", network.partner, "outreach", network.programme)
    with acting(worker), pytest.raises(ValidationError) as refused:
        outreach.record_contact(actor=worker, channel="drop_in", date=date(2024, 3, 5), headcount=1)
    assert "closed_period" in str(refused.value.error_dict["date"][0].code)
    with acting(worker):
        outreach.record_contact(actor=worker, channel="drop_in", date=date(2024, 4, 5), headcount=1)

    filtro = make_user("filtro-worker", network.lead, "filtro", network.programme)
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AB12", gender="woman", created_by=filtro
        )
    with acting(filtro), pytest.raises(ValidationError) as refused:
        shelter.place(actor=filtro, person=person, structure=network.structure, stage="first", start=date(2024, 3, 2))
    assert "start" in refused.value.error_dict


def test_an_ended_edition_is_open_to_its_lead_coordinator_only_with_a_reason(network, make_user):
    from approdi.network.closing import check_open

    ended = network.other_programme
    coordinator = make_user("lead-coordinator", network.lead, "coordinator", ended)
    educator = make_user("educator-two", network.partner, "shelter", ended)
    with pytest.raises(ValidationError) as refused:
        check_open(date(2022, 5, 1), programme=ended, actor=educator, reason=REASON)
    assert refused.value.error_dict["date"][0].code == "closed_period"
    with pytest.raises(ValidationError) as refused:
        check_open(date(2022, 5, 1), programme=ended, actor=coordinator, reason="  ")
    assert refused.value.error_dict["reason"][0].code == "reason_required"
    assert REASON in check_open(date(2022, 5, 1), programme=ended, actor=coordinator, reason=REASON)
    # A coordinator of a partner is no lead coordinator.
    partner_coordinator = make_user("partner-coordinator", network.partner, "coordinator", ended)
    with pytest.raises(ValidationError):
        check_open(date(2022, 5, 1), programme=ended, actor=partner_coordinator, reason=REASON)


def run_import(tmp_path, kind: str, text: str) -> None:
    from django.core.management import call_command

    path = tmp_path / f"{kind}.csv"
    path.write_text(text)
    call_command("import_data", kind, str(path), "--programme", "P-1")


@pytest.mark.parametrize(
    ("kind", "text", "column"),
    [
        ("contacts", "date,organisation,channel\n2024-03-12,partner,street\n", "date"),
        ("placements", "person_code,gender,structure,stage,start\nANNA-1,woman,S-ALFA,first,2024-03-05\n", "start"),
        (
            "structures",
            "code,name,organisation,type,area,beds\nS-ALFA,Casa Alfa,partner,women,MI,6\n",
            "beds",
        ),
    ],
)
def test_an_import_into_an_approved_period_is_a_row_error(network, approved, tmp_path, capsys, kind, text, column):
    from django.core.management import CommandError

    from approdi.outreach.models import Contact
    from approdi.shelter.models import Placement

    with pytest.raises(CommandError, match="1 error"):
        run_import(tmp_path, kind, text)
    err = capsys.readouterr().err
    assert f"row 2, column {column}: " in err and "is approved" in err
    with scopes_disabled():
        assert not Contact.objects.exists() and not Placement.objects.exists()
        assert Structure.objects.get(code="S-ALFA").beds == 4


def test_the_api_answers_409_closed_period(network, approved, make_user):
    from django.test import Client

    from approdi.accounts.services import issue_token
    from approdi.outreach.models import Contact

    worker = make_user("api-worker", network.partner, "outreach", network.programme)
    _, key = issue_token(user=worker)
    answer = Client().post(
        "/api/v1/contacts",
        {"programme": "P-1", "date": "2024-03-12", "channel": "street", "headcount": 2},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "closed_period" and "is approved" in error["fields"]["date"][0]
    with scopes_disabled():
        assert not Contact.objects.exists()

"""Every number of an event is bounded, and every refusal is a clear, translated error on its field (a 400 page
with the form, never a 500): hours, participants, questionnaires and their mean score, dates; and the database
refuses what the service would, should anything write behind its back."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from approdi.training import services
from approdi.training.models import Event, Participation
from tests.builders import acting, verified_client
from tests.builders.training import build_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(network, make_user):
    user = make_user("coord-lead", network.lead, "coordinator", network.programme)
    training = build_training(network.programme, organiser=network.partner, uploaded_by=user)
    return network, user, training


def form(network, **changes):
    data = {
        "kind": "cas_training",
        "title": "Modulo",
        "organiser": network.partner.pk,
        "date": "2024-03-05",
        "audience": "reception_staff",
        "hours": "4",
    }
    return data | changes


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hours": "0"}, "hours", "0.5"),
        ({"hours": "200.5"}, "hours", "200"),
        ({"mean_score": "5.5", "respondents": "3"}, "mean_score", "5"),
        ({"mean_score": "0.9", "respondents": "3"}, "mean_score", "1"),
        ({"respondents": "13", "mean_score": "4"}, "respondents", "12"),  # 12 participants recorded
        ({"respondents": "3"}, "mean_score", "Give the mean score of the questionnaires."),
        ({"respondents": "-1"}, "respondents", "0"),
        ({"kind": "picnic"}, "kind", "picnic"),
        ({"date": "2019-01-01"}, "date", "P-1"),
    ],
)
def test_the_event_form_refuses_numbers_out_of_bounds(keeper, changes, field, words):
    network, user, t = keeper
    response = verified_client(user).post(reverse("training:event_edit", args=[t.event.pk]), form(network, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    with translation.override("it"):
        italian = translation.gettext(words)  # the page speaks the user's language
    assert field in errors and italian in " ".join(errors[field]), errors


def test_the_errors_are_translated(keeper):
    network, user, t = keeper
    client = verified_client(user)
    response = client.post(
        reverse("training:event_edit", args=[t.event.pk]), form(network, respondents="13", mean_score="4")
    )
    assert response.status_code == 400
    assert "partecipanti" in " ".join(response.context["form"].errors["respondents"])


@pytest.mark.parametrize(("count", "words"), [("0", "1"), ("1001", "1000"), ("abc", "")])
def test_a_row_of_participants_is_bounded(keeper, count, words):
    _network, user, t = keeper
    data = {
        "participation-organisation_name": "CAS",
        "participation-role": "operator",
        "participation-participants": count,
    }
    with translation.override("en"):
        response = verified_client(user).post(reverse("training:event_detail", args=[t.event.pk]), data)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors["participants"])


def test_the_service_refuses_what_the_form_would(keeper):
    network, user, t = keeper
    future = timezone.localdate() + timedelta(days=10)
    with acting(user), translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.add_participation(
                actor=user, event=t.event, role="operator", participants=0, organisation_name="X"
            )
        assert "between 1 and 1000" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            services.add_participation(actor=user, event=t.event, role="operator", participants=3)
        assert "directory" in str(refused.value)
        planned = services.save_event(
            actor=user, kind="awareness", title="In programma", organiser=network.lead, date=future,
            audience="community", hours=Decimal("2"),
        )  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.add_participation(actor=user, event=planned, role="citizen", participants=4, organisation_name="X")
        assert "taken place" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            services.save_event(
                actor=user, event=t.event, kind="cas_training", title="Modulo", organiser=network.partner,
                date=t.event.date, audience="reception_staff", hours=Decimal("201"),
            )  # fmt: skip
        assert "hours" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:  # moving an event with participants to the future
            services.save_event(
                actor=user, event=t.event, kind="cas_training", title="Modulo", organiser=network.partner,
                date=future, audience="reception_staff", hours=Decimal("2"),
            )  # fmt: skip
        assert "date" in refused.value.message_dict
        services.save_event(
            actor=user, event=t.event, kind="cas_training", title="Modulo", organiser=network.partner,
            date=t.event.date, audience="reception_staff", hours=Decimal("2"), respondents=12, mean_score=Decimal("4"),
        )  # fmt: skip
        with pytest.raises(ValidationError) as refused:  # 12 questionnaires, 2 participants would be left
            services.remove_participation(actor=user, participation=t.typed)
        assert "questionnaires" in str(refused.value)
        with pytest.raises(ValidationError):  # the same organisation and role twice
            services.add_participation(
                actor=user, event=t.event, role="operator", participants=1, organisation_name="cas via di prova"
            )


def test_the_database_keeps_the_bounds(keeper):
    network, _user, t = keeper
    with scopes_disabled():
        for values in ({"hours": Decimal("0")}, {"mean_score": Decimal("6"), "respondents": 3}, {"respondents": 3}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Event.objects.create(
                    programme=network.programme, kind="awareness", title="X", organiser=network.lead,
                    date=date(2024, 3, 1), audience="community", **({"hours": Decimal("1")} | values),
                )  # fmt: skip
        for values in ({"participants": 0}, {"participants": 1001}, {"body": t.body, "organisation_name": "Y"}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Participation.objects.create(
                    event=t.event, role="operator", **({"participants": 1, "organisation_name": "Z"} | values)
                )


def test_an_unknown_period_or_type_in_the_list_is_a_400(keeper):
    _network, user, _t = keeper
    client = verified_client(user)
    for query in ({"start": "2024-05-01", "end": "2024-01-01"}, {"start": "x", "end": "2024-01-01"},
                  {"start": "2024-01-01", "end": "2024-02-01", "kind": "nope"}):  # fmt: skip
        assert client.get(reverse("training:event_list"), query).status_code == 400, query
        assert client.get(reverse("training:export_csv"), query).status_code == 400, query

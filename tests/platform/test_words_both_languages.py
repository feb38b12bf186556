"""Words right in both languages: dates as each language writes them, countries, labels kept as data, messages."""

from datetime import date

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from approdi.outreach.forms import IndoorContactForm
from approdi.reports.funder.exports import rows
from tests.builders.pages import open_as

FIFTH_OF_DECEMBER = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [("it", "5 dicembre 2026", "05/12/2026"), ("en", "5 December 2026", "05/12/2026")],
)
def test_dates_are_written_as_each_language_writes_them(language, long, short):
    with translation.override(language):
        assert date_format(FIFTH_OF_DECEMBER, "DATE_FORMAT") == long
        assert date_format(FIFTH_OF_DECEMBER, "SHORT_DATE_FORMAT") == short
        assert Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": FIFTH_OF_DECEMBER})) == short


def test_a_date_typed_in_english_is_read_day_first():
    from django import forms

    with translation.override("en"):
        assert forms.DateField(localize=True).clean("05/12/2026") == FIFTH_OF_DECEMBER


def test_a_short_password_is_refused_in_italian():
    with translation.override("it"), pytest.raises(ValidationError) as refused:
        validate_password("Corta-1")
    assert "La password è troppo corta: deve avere almeno 12 caratteri." in refused.value.messages


@pytest.mark.parametrize(
    ("language", "germany", "not_there"), [("en", "Germany", "Germania"), ("it", "Germania", ">Germany<")]
)
def test_countries_are_named_in_the_language_of_the_page(language, germany, not_there):
    with translation.override(language):
        options = str(IndoorContactForm()["nationality"])
    assert germany in options and not_there not in options


@pytest.mark.django_db
def test_the_contact_form_lists_countries_in_english(network, people):
    owner = people("outreach").owner
    page = open_as(owner, language="en").get(reverse("outreach:contact_create", kwargs={"channel": "indoor"}))
    assert ">Germany<" in page.content.decode() and "Germania" not in page.content.decode()


def test_the_funder_areas_are_translated():
    summary = {
        "outreach": dict.fromkeys(
            ["street_contacts", "indoor_contacts", "low_threshold_accesses", "persons_referred_by_bodies"], 0
        ),
        "reception": dict.fromkeys(["women", "men", "transgender", "total"], 0),
    }
    with translation.override("en"):
        english = [title for title, _rows in rows(summary)]
    with translation.override("it"):
        italian = [title for title, _rows in rows(summary)]
    assert english[:2] == ["Emergence area", "Reception area"]
    assert italian[:2] == ["Area emersione", "Area accoglienza"]


@pytest.mark.parametrize(("minutes", "italian"), [(1, "bloccato per 1 minuto."), (30, "bloccato per 30 minuti.")])
def test_counts_are_said_in_the_singular_and_the_plural(minutes, italian):
    from django.template.loader import render_to_string

    with translation.override("it"):
        assert italian in render_to_string("accounts/locked_out.html", {"minutes": minutes})


def test_a_deadline_alert_tomorrow_is_in_one_day():
    from types import SimpleNamespace

    from approdi.cases.alerts import _line

    deadline = SimpleNamespace(
        case=SimpleNamespace(person=SimpleNamespace(code="AP-1")),
        what="Udienza",
        due=date(2026, 12, 6),
        days_left=lambda today: (date(2026, 12, 6) - today).days,
    )
    with translation.override("it"):
        assert _line(deadline, FIFTH_OF_DECEMBER) == "AP-1: Udienza il 06/12/2026 (tra 1 giorno)"

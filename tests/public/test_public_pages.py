"""The public site: every page in every language, without signing in, sets no cookie and names its language."""

import re
from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from approdi.public.languages import CODES, HTML_LANG, NAMES
from approdi.public.models import Desk

pytestmark = pytest.mark.django_db

PAGES = ["public:page", "public:ask"]


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize("language", CODES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_every_language_opens_without_signing_in(name, language):
    response = Client().get(reverse(name, args=[language]))
    assert response.status_code == 200
    direction = "rtl" if language == "ar" else "ltr"
    assert html_tag(response) == f'<html lang="{HTML_LANG[language]}" dir="{direction}">'
    assert response["Content-Language"] == HTML_LANG[language]
    assert not response.cookies, response.cookies  # no session, no CSRF cookie, nothing to track anyone by


def test_the_pages_are_in_the_language_of_their_address():
    arabic = Client().get("/help/ar/").content.decode()
    assert "اخرج بسرعة" in arabic and "800 290 290" in arabic
    chinese = Client().get("/help/zh-hans/ask/").content.decode()
    assert "我们怎样联系你？" in chinese
    french = Client().get("/help/fr/").content.decode()
    assert "Vous pouvez porter plainte en sécurité" in french
    assert "police" in french  # the safe-reporting promise, in plain words


def test_each_language_is_offered_in_itself_from_every_page():
    for url in ("/help/", "/help/it/", "/help/uk/ask/"):
        page = Client().get(url).content.decode()
        for code in CODES:
            assert f'href="/help/{code}/" lang="{HTML_LANG[code]}" hreflang="{HTML_LANG[code]}"' in page
            assert NAMES[code] in page


def test_no_page_makes_the_browser_ask_for_anything_that_would_set_a_cookie():
    """Not even the icon: a browser's /favicon.ico would be a 404 page of the staff site, with its CSRF cookie."""
    for url in ("/help/", "/help/sq/", reverse("neutral_page")):
        response = Client().get(url)
        assert '<link rel="icon" href="data:,">' in response.content.decode()
        assert not response.cookies


def test_an_unknown_language_is_not_found():
    assert Client().get("/help/xx/").status_code == 404
    assert Client().get("/help/xx/ask/").status_code == 404


def test_leave_quickly_is_a_link_to_a_neutral_page_first_on_every_page():
    page = Client().get("/help/en/").content.decode()
    body = page.split("<body>", 1)[1]
    first_link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>', body)
    assert first_link.group(1) == reverse("neutral_page") and "data-leave" in first_link.group(0)
    assert 'src="/static/public/leave.js"' in page  # with JavaScript: location.replace, so Back does not return
    neutral = Client().get(reverse("neutral_page"))
    assert neutral.status_code == 200
    text = neutral.content.decode().lower()
    assert not any(word in text for word in ("help", "aiuto", "tratta", "traffick", "800 290 290"))
    assert not neutral.cookies


def test_desks_of_public_offices_are_listed_with_hours_in_the_page_language_never_a_shelter(network):
    Desk.objects.create(
        organisation=network.lead,
        name="Sportello comunale",
        address="Via Pubblica 1, Milano",
        weekdays="01234",
        opens=time(9),
        closes=time(13),
    )
    english = Client().get("/help/en/").content.decode()
    assert "Sportello comunale" in english and "Via Pubblica 1, Milano" in english
    assert "Monday–Friday" in english and "09:00–13:00" in english
    assert "lunedì–venerdì" in Client().get("/help/it/").content.decode().lower()
    assert "Segretissima" not in english and "Nascosto" not in english  # the shelters' secret addresses


def test_a_page_costs_two_queries(max_queries):
    with max_queries(2):
        assert Client().get("/help/pt/").status_code == 200
    with max_queries(1):
        assert Client().get("/help/pt/ask/").status_code == 200


def test_the_help_form_preselects_nothing():
    page = Client().get("/help/en/ask/").content.decode()
    assert page.count('type="radio"') == 4
    assert "checked" not in page


def test_no_page_loads_anything_from_another_host():
    for url in ("/help/", "/help/ar/", "/help/ar/ask/", reverse("neutral_page")):
        page = Client().get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), url

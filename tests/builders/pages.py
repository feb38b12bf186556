"""Opening case pages as a user, in a chosen language (pages are Italian unless the user switches)."""

from django.conf import settings
from django.test import Client

from .network import verified_client


def open_as(user, *, language: str = "en") -> Client:
    """A signed-in client whose pages come in ``language`` (English keeps assertions on wording stable)."""
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def options_of(page: str, select_id: str) -> str:
    """The HTML of one ``<select>`` of a page, to check what it offers."""
    start = page.index(f'id="{select_id}"')
    return page[start : page.index("</select>", start)]

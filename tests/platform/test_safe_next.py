"""A form's ``next`` sends the user back only within the site (sign-in, flags, actions marked done)."""

import pytest
from django.test import RequestFactory

from approdi.core.redirects import safe_next


@pytest.mark.parametrize(
    ("next_", "secure", "expected"),
    [
        ("/cases/my-work/", False, "/cases/my-work/"),
        ("https://evil.example/steal", False, "/fallback/"),
        ("//evil.example/", False, "/fallback/"),
        ("http://testserver/cases/", True, "/fallback/"),  # HTTPS page: never back to plain HTTP
        ("", False, "/fallback/"),
    ],
)
def test_only_an_address_of_this_site_is_followed(next_, secure, expected):
    request = RequestFactory().post("/x/", {"next": next_}, secure=secure)
    assert safe_next(request, "/fallback/") == expected


def test_the_query_s_next_counts_when_the_form_has_none():
    assert safe_next(RequestFactory().get("/x/", {"next": "/governance/"}), "/fallback/") == "/governance/"

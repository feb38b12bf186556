"""The server console: a refusal is one line, an error keeps its traceback; a fresh start warns about nothing."""

import logging
import sys
import warnings

import pytest
from django.test import override_settings
from django.urls import reverse

from approdi.core.static import StaticFilesMiddleware
from tests.builders import verified_client


@pytest.mark.django_db
def test_a_refused_page_is_logged_as_one_line(network, people, caplog):
    member = people("outreach").member  # a case worker: the outings are not hers
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert verified_client(member).get(reverse("outreach:outing_create")).status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.exc_info is None for r in refusals)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback(caplog):
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            logging.getLogger("django.request").error(
                "Internal Server Error: /", exc_info=sys.exc_info(), extra={"status_code": 500}
            )
    assert "Traceback" in caplog.text and "RuntimeError: broken" in caplog.text


def test_a_development_start_does_not_warn_about_uncollected_static_files(tmp_path):
    # A development start (`make run`: embedded, files found in static/), whatever database this suite runs on.
    with (
        override_settings(STATIC_ROOT=tmp_path / "staticfiles", WHITENOISE_USE_FINDERS=True),
        warnings.catch_warnings(record=True) as seen,
    ):
        warnings.simplefilter("always")
        StaticFilesMiddleware(lambda request: None)
    assert not [w for w in seen if "No directory at" in str(w.message)]


def test_production_still_warns_when_static_files_were_not_collected(tmp_path):
    with (
        override_settings(STATIC_ROOT=tmp_path / "staticfiles", WHITENOISE_USE_FINDERS=False),
        warnings.catch_warnings(record=True) as seen,
    ):
        warnings.simplefilter("always")
        StaticFilesMiddleware(lambda request: None)
    assert [w for w in seen if "No directory at" in str(w.message)]

"""Production as production: the README's waitress command behind a TLS proxy, manifest storage, no swapped settings.

The browser half (fonts, every menu page) is tests/browser/test_production_mode.py; these run on the
PostgreSQL pass too.
"""

import http.client
import re
import ssl
from urllib.parse import urlparse

import pytest

from tests.builders import current_code
from tests.production_site import SiteClient, start_proxy, start_waitress

pytestmark = pytest.mark.production


def test_sign_in_and_a_signed_in_menu_page_answer_200_with_hashed_static_files(production_site):
    client = SiteClient(production_site.url)
    status, _, page = client.request("/accounts/login/")
    assert status == 200, page
    # The manifest storage answers: assets are named by their hash.
    stylesheet = re.search(r'href="(/static/css/bootstrap-italia\.min\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, page
    assert client.request(stylesheet.group(1))[0] == 200

    client.sign_in("probe", current_code())
    for path in ("/", "/reports/", "/accounts/me/"):
        status, landed, page = client.request(path)
        assert (status, landed) == (200, path), page[:2000]
        assert "Comune di Prova" in page


def _first_answer(base_url: str, path: str) -> http.client.HTTPResponse:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", urlparse(base_url).port, context=context, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def test_waitress_without_trusted_proxy_sends_https_requests_round_in_a_redirect_loop(production_site, tmp_path):
    """Why the README's command line has --trusted-proxy: without it the proxy's header is dropped."""
    process, upstream = start_waitress(production_site.env, trusted_proxy=False)
    proxy, url = start_proxy(upstream, tmp_path)
    try:
        answer = _first_answer(url, "/accounts/login/")
        assert answer.status == 301
        assert answer.getheader("Location") == f"{url}/accounts/login/"  # itself, again and again
    finally:
        proxy.shutdown()
        proxy.server_close()
        process.terminate()
        process.wait(10)

    # The README's command, with --trusted-proxy: the same request is answered.
    assert _first_answer(production_site.url, "/accounts/login/").status == 200

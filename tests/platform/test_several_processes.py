"""Several app processes on one PostgreSQL database, Redis as the shared cache, a worker: nothing lives in one
process that another needs. And embedded, one process does it all (`make run`).

Each runs real processes (tests/cluster_site.py): about a minute for the cluster, half for embedded.
"""

import json
import os
import threading
import urllib.error
import urllib.request

import pytest

from tests.builders import PASSWORD, current_code
from tests.cluster_site import ask_for_export, reachable, start_cluster, start_embedded, wait_for_download
from tests.production_site import SiteClient

pytestmark = pytest.mark.production

# The PostgreSQL pass of CI runs them (the cluster makes a database of its own beside DATABASE_URL's).
needs_services = pytest.mark.skipif(
    not (
        os.environ.get("DATABASE_URL", "").startswith("postgres")
        and reachable("127.0.0.1", 5432)
        and reachable("127.0.0.1", 6379)
    ),
    reason="runs on the PostgreSQL pass, with Redis at 127.0.0.1:6379",
)
SUMMARY = {"kind": "summary", "fmt": "csv", "start": "2024-01-01", "end": "2024-12-31"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    site = start_cluster(tmp_path_factory.mktemp("cluster"))
    yield site
    site.stop()


def on(client: SiteClient, url: str) -> SiteClient:
    """The same browser (same cookies), its next requests answered by the app process behind ``url``."""
    client.base_url = url
    return client


@needs_services
def test_a_lockout_on_one_process_holds_on_the_other(cluster):
    first, second = cluster.urls
    client = SiteClient(first)
    for _ in range(5):  # APPRODI_LOGIN_FAILURE_LIMIT
        client.post_form("/accounts/login/", {"username": "locked", "password": "not-the-password"})
    status, _, page = on(SiteClient(second), second).post_form(
        "/accounts/login/", {"username": "locked", "password": PASSWORD}
    )
    assert status == 429, page[:1000]


@needs_services
def test_a_session_ended_on_one_process_is_ended_on_the_other(cluster):
    first, second = cluster.urls
    client = SiteClient(first)
    client.sign_in("leaver", current_code())
    assert on(client, second).request("/")[:2] == (200, "/")  # the session is known to both
    status, _, page = on(client, first).request("/")
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    status, landed, _ = client.request("/accounts/logout/", {"csrfmiddlewaretoken": token}, referer="/")
    assert (status, landed) == (200, "/accounts/login/")
    status, landed, _ = on(client, second).request("/")
    assert landed == "/accounts/login/"


@needs_services
def test_an_export_asked_on_one_process_is_run_by_the_worker_and_downloaded_through_the_other(cluster):
    first, second = cluster.urls
    client = SiteClient(first)
    client.sign_in("exporter", current_code())
    job = ask_for_export(client, SUMMARY)
    page = wait_for_download(on(client, second), job)
    assert 'data-status="done"' in page, page[:2000]
    status, _, content = client.request(job + "download/")
    assert status == 200 and content.startswith("Chiave,Voce,Valore"), content[:300]


@needs_services
def test_the_last_bed_raced_for_from_both_processes_goes_once(cluster):
    def place(url: str, code: str) -> int:
        body = {"programme": "P-1", "person_code": code, "structure": "S-BETA", "stage": "first", "start": "2024-03-02"}
        request = urllib.request.Request(  # noqa: S310 - the proxy's https URL
            f"{url}/api/v1/placements",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {cluster.token}", "Content-Type": "application/json"},
        )
        opener = SiteClient(url).opener
        try:
            with opener.open(request, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    first, second = cluster.urls
    assert [place(first, "AP-CLUST-ERAAA"), place(second, "AP-CLUST-ERAAB")] == [201, 201]  # one bed left
    start, answers = threading.Barrier(2), {}

    def race(url, code):
        start.wait()
        answers[code] = place(url, code)

    racers = [
        threading.Thread(target=race, args=(first, "AP-CLUST-ERAAC")),
        threading.Thread(target=race, args=(second, "AP-CLUST-ERAAD")),
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(60)
    assert sorted(answers.values()) == [201, 409], answers


def test_embedded_one_process_runs_the_background_exports_without_a_worker(tmp_path):
    url, stops = start_embedded(tmp_path)
    try:
        client = SiteClient(url)
        client.sign_in("exporter", current_code())
        job = ask_for_export(client, SUMMARY)
        page = wait_for_download(client, job, seconds=30)
        assert 'data-status="done"' in page, page[:2000]
        status, _, content = client.request(job + "download/")
        assert status == 200 and content.startswith("Chiave,Voce,Valore"), content[:300]
    finally:
        for stop in stops:
            stop()

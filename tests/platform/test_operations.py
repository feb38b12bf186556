"""Operations: /metrics for the configured addresses or token only, JSON logs with the audit's request id, and
the start-up self-check that refuses to go on with unreadable keys or an unreachable cache."""

import json
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.core.observability import JsonFormatter
from approdi.reports.models import ExportJob
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def scrape(**headers) -> tuple[int, str]:
    response = Client(**headers).get("/metrics")
    return response.status_code, response.content.decode()


def sample(text: str, prefix: str) -> float:
    """The value of the one line starting with ``prefix`` (name and labels), 0 when absent."""
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)]
    return sum(values)


def test_metrics_answer_404_unless_the_address_or_token_is_configured(settings, network):
    assert scrape()[0] == 404  # nothing configured: nobody
    settings.APPRODI_METRICS_ALLOWED = [__import__("ipaddress").ip_network("10.0.0.0/8")]
    assert scrape()[0] == 404  # the test client is 127.0.0.1
    assert scrape(REMOTE_ADDR="10.1.2.3")[0] == 200
    settings.APPRODI_METRICS_TOKEN = "t0ken"
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong")[0] == 404
    assert scrape(HTTP_AUTHORIZATION="Bearer t0ken")[0] == 200
    settings.SECURE_SSL_REDIRECT = True  # production: pages go to HTTPS, the loopback scrape does not
    assert Client().get(reverse("accounts:login")).status_code == 301
    assert scrape(HTTP_AUTHORIZATION="Bearer t0ken")[0] == 200


def test_metrics_count_requests_errors_sign_in_failures_and_the_export_queue(settings, network, make_user):
    settings.APPRODI_METRICS_TOKEN = "t0ken"
    marta = make_user("marta", network.lead, "filtro", network.programme)
    _, before = scrape(HTTP_AUTHORIZATION="Bearer t0ken")
    Client().get(reverse("accounts:login"))
    Client().post(reverse("accounts:login"), {"username": "marta", "password": PASSWORD + "x"})
    with scopes_disabled():
        ExportJob.objects.create(
            requested_by=marta,
            membership=marta.memberships.get(),
            programme=network.programme,
            kind="contacts",
            fmt="csv",
            language="it",
            status="failed",
            error="failed",
        )
    status, after = scrape(HTTP_AUTHORIZATION="Bearer t0ken")
    assert status == 200
    login = 'approdi_http_requests_total{method="GET",route="accounts:login",status="200"}'
    assert sample(after, login) == sample(before, login) + 1
    assert sample(after, "approdi_sign_in_failures_total") == sample(before, "approdi_sign_in_failures_total") + 1
    assert 'approdi_http_request_duration_seconds_bucket{le="0.5",route="accounts:login"}' in after
    assert sample(after, 'approdi_export_jobs{status="failed"}') == 1
    assert sample(after, 'approdi_export_jobs{status="queued"}') == 0


def test_a_server_error_is_counted(rf):
    from django.http import HttpResponseServerError

    from approdi.core.metrics import ERRORS
    from approdi.core.observability import RequestMetricsMiddleware

    before = ERRORS.labels(route="unmatched")._value.get()
    RequestMetricsMiddleware(lambda request: HttpResponseServerError())(rf.get("/nowhere"))
    assert ERRORS.labels(route="unmatched")._value.get() == before + 1


def test_json_request_log_carries_the_request_id_the_audit_uses(network, caplog):
    caplog.set_level(logging.INFO, logger="approdi.requests")
    response = Client().get(reverse("accounts:login"), HTTP_X_REQUEST_ID="req-42")
    assert response["X-Request-ID"] == "req-42"
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["request_id"] == "req-42"
    assert line["route"] == "accounts:login" and line["status"] == 200
    assert "path" not in line and "/accounts/" not in line["message"]  # route names only: paths carry ids


def test_selfcheck_passes_on_a_sound_installation(network):
    call_command("selfcheck")


def test_selfcheck_stops_when_stored_data_cannot_be_decrypted(network, settings):
    settings.APPRODI_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the data's key is gone
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("selfcheck")
    settings.APPRODI_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(CommandError, match="not a valid Fernet key"):
        call_command("selfcheck")


def test_selfcheck_stops_when_the_shared_cache_does_not_answer(network, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }
    with pytest.raises(CommandError, match="REDIS_URL does not answer"):
        call_command("selfcheck")


def test_deploy_check_reports_the_same_problems(network, settings):
    from approdi.core.selfcheck import deploy_selfcheck

    assert deploy_selfcheck(databases=["default"]) == []
    settings.APPRODI_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert [message.id for message in deploy_selfcheck(databases=["default"])] == ["approdi.E001"]


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    """Each app process counts into PROMETHEUS_MULTIPROC_DIR; any of them answers with the sum."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from approdi.core.metrics import REQUESTS; REQUESTS.labels(route='r', method='GET', status='200').inc()"
    for _process in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)
    scrape = "from approdi.core.metrics import exposition; print(exposition().decode())"
    text = subprocess.run([sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True).stdout
    assert sample(text, 'approdi_http_requests_total{method="GET",route="r",status="200"}') == 2


def test_the_grafana_dashboard_reads_only_metrics_approdi_exposes(settings, network):
    """deploy/grafana-approdi.json: every series a panel asks for is one /metrics answers with."""
    import json
    import re
    from pathlib import Path

    settings.APPRODI_METRICS_TOKEN = "t0ken"
    _, exposed = scrape(HTTP_AUTHORIZATION="Bearer t0ken")
    dashboard = json.loads((Path(__file__).resolve().parents[2] / "deploy" / "grafana-approdi.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\bapprodi_[a-z_]+", target["expr"])
    }
    assert asked, "the dashboard asks for nothing"
    declared = set(re.findall(r"^# TYPE (\S+)", exposed, re.M))  # a family, also before its first sample
    missing = {name for name in asked if not {name, re.sub(r"_(total|bucket|sum|count)$", "", name)} & declared}
    assert not missing, f"the dashboard asks for series /metrics does not expose: {sorted(missing)}"

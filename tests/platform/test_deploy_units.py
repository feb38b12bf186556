"""deploy/ says what the README's production section says: the same waitress line, commands that exist."""

import re
import shlex
from pathlib import Path

from django.core.management import get_commands

from tests.production_site import readme_waitress_command

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def exec_start(unit: str) -> list[str]:
    text = (DEPLOY / unit).read_text(encoding="utf-8").replace("\\\n", " ")
    return shlex.split(re.search(r"^ExecStart=(.*)$", text, re.M).group(1))


def test_the_app_unit_runs_the_readme_waitress_line_on_its_instance_port():
    _, readme_options = readme_waitress_command()
    command = exec_start("approdi-app@.service")
    assert command[0].endswith("/waitress-serve") and command[-1] == "config.wsgi:application"
    assert "--listen=127.0.0.1:%i" in command
    assert [o for o in command[1:-1] if not o.startswith("--listen")] == [
        o for o in readme_options if not o.startswith("--listen")
    ]
    assert "APPRODI_BEHIND_PROXY=1" in (DEPLOY / "approdi.env.example").read_text(encoding="utf-8")


def test_the_worker_and_the_scheduler_run_commands_that_exist():
    worker = exec_start("approdi-worker@.service")
    scheduler = exec_start("approdi-scheduler.service")
    assert worker[1:3] == ["manage.py", "run_worker"] and "--worker-id=%H-%i" in worker
    assert scheduler[1:] == ["manage.py", "run_scheduled"]
    assert {"run_worker", "run_scheduled"} <= set(get_commands())


def test_nginx_forwards_the_headers_waitress_trusts():
    conf = (DEPLOY / "nginx-approdi.conf").read_text(encoding="utf-8")
    for header in ("Host $host", "X-Forwarded-Proto $scheme", "X-Forwarded-For $remote_addr"):
        assert f"proxy_set_header {header};" in conf


def test_nginx_lets_through_every_file_the_import_takes_so_the_app_refuses_in_words():
    """The import's limit is rows (issue #20): a file within them must reach the app, which refuses a larger one with a
    translated message; nginx's own 413 page is neither translated nor the project's."""
    from django.conf import settings

    from approdi.core import importing

    conf = (DEPLOY / "nginx-approdi.conf").read_text(encoding="utf-8")
    (megabytes,) = re.findall(r"client_max_body_size (\d+)m;", conf)
    assert int(megabytes) * 1024 * 1024 > importing.max_bytes() + 1024 * 1024
    assert int(megabytes) * 1024 * 1024 > settings.APPRODI_DOCUMENT_MAX_BYTES


def test_every_unit_checks_itself_before_it_starts_and_app_processes_share_their_metrics():
    for unit in ("approdi-app@.service", "approdi-worker@.service"):
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        assert "ExecStartPre=/srv/approdi/.venv/bin/python manage.py selfcheck" in text
    assert "selfcheck" in get_commands()
    app = (DEPLOY / "approdi-app@.service").read_text(encoding="utf-8")
    assert "RuntimeDirectory=approdi-metrics" in app
    assert "Environment=PROMETHEUS_MULTIPROC_DIR=/run/approdi-metrics" in app

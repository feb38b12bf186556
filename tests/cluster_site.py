"""Approdi as the README's production section runs it at scale: N app processes, a worker, one database.

Each app process is the README's waitress command line (tests/production_site.py) behind a TLS proxy of its
own, so a test chooses which process answers each request; the browser's cookies go to both (cookies are
per host, not per port). The database is a PostgreSQL database of its own; the shared cache is Redis
(database ``REDIS_DB`` of 127.0.0.1:6379, left as it is: its keys are random session keys and hashed
counters, so clusters of parallel test workers do not meet there). Embedded, one app process on SQLite and
nothing else (``start_embedded``).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from tests.production_site import ROOT, SiteClient, manage, postgres_database, start_proxy, start_waitress

REDIS_DB = 13
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/approdi_cluster"

SEED = """
from django_scopes import scopes_disabled
from approdi.accounts.services import issue_token
from approdi.people.models import Person
from approdi.shelter.services import sync_beds
from tests.builders.network import build_network, make_user

network = build_network()
for name in ("exporter", "locked", "leaver"):
    make_user(name, network.lead, "coordinator", network.programme)
filtro = make_user("filtro", network.lead, "filtro", network.programme)
with scopes_disabled():
    sync_beds(network.other_structure)  # 3 beds
    for n in range(4):
        Person.objects.create(
            programme=network.programme, organisation=network.lead, code=f"AP-CLUST-ERAA{chr(65 + n)}",
            created_by=filtro, gender="man",
        )
print("TOKEN", issue_token(user=filtro)[1])
"""


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    urls: list[str]  # one proxy per app process
    env: dict[str, str]
    token: str
    directory: Path
    stops: list = field(default_factory=list)

    def client(self) -> SiteClient:
        return SiteClient(self.urls[0])

    def stop(self) -> None:
        for stop in reversed(self.stops):
            try:
                stop()
            except Exception as error:  # the other stops must still run
                print(f"stopping: {error}", file=sys.stderr)


def _base_env(directory: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "APPRODI_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "APPRODI_INDEX_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "APPRODI_STATIC_ROOT": str(directory / "static"),
        "APPRODI_VAR_DIR": str(directory / "var"),
    }


def start_worker(env: dict[str, str], worker_id: str) -> subprocess.Popen:
    log = Path(env["APPRODI_VAR_DIR"]).parent / f"worker-{worker_id}.log"
    with log.open("a") as stream:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", f"--worker-id={worker_id}", "--interval=0.2"],
            cwd=ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )


def start_cluster(directory: Path, *, processes: int = 2) -> Cluster:
    env = _base_env(directory) | {"REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}"}
    database = os.environ.get("DATABASE_URL", "")
    cluster = Cluster(urls=[], env=env, token="", directory=directory)
    try:
        env["DATABASE_URL"], drop = postgres_database(
            database if database.startswith("postgres") else POSTGRES_URL, "cluster"
        )
        cluster.stops.append(drop)
        # Side by side where nothing depends on the other: the test stays within its time.
        with ThreadPoolExecutor(max_workers=processes) as pool:
            static = pool.submit(manage, "collectstatic", "--no-input", "-v0", env=env)
            manage("migrate", "--no-input", "-v0", env=env)
            cluster.token = re.search(r"TOKEN (\S+)", manage("shell", "-c", SEED, env=env).stdout).group(1)
            static.result()
            started = [pool.submit(start_waitress, env) for _ in range(processes)]
            for future in started:
                process, upstream = future.result()
                cluster.stops.append(lambda process=process: (process.terminate(), process.wait(10)))
                proxy, url = start_proxy(upstream, directory)
                cluster.stops.append(lambda proxy=proxy: (proxy.shutdown(), proxy.server_close()))
                cluster.urls.append(url)
        worker = start_worker(env, "worker-1")
        cluster.stops.append(lambda: (worker.terminate(), worker.wait(30)))
    except BaseException:
        cluster.stop()
        raise
    return cluster


def start_embedded(directory: Path) -> tuple[str, list]:
    """``make run``'s embedded mode: SQLite, generated secrets, one waitress process. Answers (url, stops)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "ALLOWED_HOSTS": "127.0.0.1",
        "APPRODI_VAR_DIR": str(directory / "var"),
    }
    manage("migrate", "--no-input", "-v0", env=env)
    manage("shell", "-c", SEED, env=env)
    process, url = start_waitress(env)
    return url, [lambda: (process.terminate(), process.wait(10))]


def wait_for_download(client: SiteClient, job_path: str, *, seconds: float = 60) -> str:
    """Polls the job's page as its requester does, until it offers the file (or fails)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, page = client.request(job_path)
        assert status == 200, page[:1000]
        if 'data-status="done"' in page or 'data-status="failed"' in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{job_path} did not finish in {seconds} seconds")


def ask_for_export(client: SiteClient, fields: dict[str, str]) -> str:
    """Asks for a background export through the exports page; answers the job page's path."""
    status, _, page = client.request("/reports/exports/")
    assert status == 200, page[:1000]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, landed, page = client.request(
        "/reports/exports/new/", {"csrfmiddlewaretoken": token, **fields}, referer="/reports/exports/"
    )
    assert status == 200 and re.fullmatch(r"/reports/exports/\d+/", landed), (status, landed, page[:1000])
    return landed

"""Requests per second through the server ``make run`` starts: waitress with 8 threads on the benchmark's database.

Child side (the database's environment is this process's): ``serving`` starts ``waitress-serve`` in a process of its
own and waits until it answers; ``rate`` loads one URL with a session cookie for some seconds, with Debian's ``wrk``
(``apt-get install wrk``) when it is installed, else with a threaded Python client, and refuses any answer but 200
(a redirect to the sign-in page would be fast and wrong).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench._harness import ROOT

THREADS = 8  # as the Makefile's `make run`
CONNECTIONS = 8  # wrk -c8: one client per server thread


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving() -> Iterator[int]:
    """waitress on a free port of 127.0.0.1, as ``make run`` starts it; yields the port."""
    port = free_port()
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={THREADS}"]
    server = subprocess.Popen(
        [*command, "config.wsgi:application"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while get(port, "/healthz", "")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("waitress did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str, cookie: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    """One GET; (0, b"") when nothing answers yet."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    except ConnectionRefusedError:
        return 0, b""
    finally:
        if own:
            connection.close()


def rate(port: int, path: str, cookie: str, seconds: float) -> tuple[float, str]:
    """Requests per second answered on ``path`` by ``CONNECTIONS`` clients for ``seconds``, and the tool used."""
    status, _body = get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status} through waitress, not 200")
    if shutil.which("wrk"):
        return _wrk(port, path, cookie, seconds), "wrk"
    return _threads(port, path, cookie, seconds), "Python threads"


def _wrk(port: int, path: str, cookie: str, seconds: float) -> float:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    if "Non-2xx" in done.stdout:
        raise SystemExit(f"{path}: some answers were not 200:\n{done.stdout}")
    found = re.search(r"Requests/sec:\s*([\d.]+)", done.stdout)
    if found is None:
        raise SystemExit(f"wrk printed no rate:\n{done.stdout}")
    return float(found.group(1))


def _threads(port: int, path: str, cookie: str, seconds: float) -> float:
    """A small wrk: ``CONNECTIONS`` threads, each on one kept-alive connection, counting answers."""
    counts = [0] * CONNECTIONS
    failures: list[int] = []
    stop = time.monotonic() + seconds

    def load(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            status, _body = get(port, path, cookie, connection)
            if status != 200:
                failures.append(status)
                return
            counts[i] += 1
        connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=load, args=(i,)) for i in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise SystemExit(f"{path}: answers other than 200: {sorted(set(failures))}")
    return sum(counts) / (time.monotonic() - started)

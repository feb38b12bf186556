"""Approdi run as the README's Production section says, for the tests that must see production as it is.

Nothing here swaps a setting: ``collectstatic`` into a temporary directory, ``migrate``, then the waitress
command line of the README in a subprocess (DEBUG off, the manifest storage, HTTPS), behind a small
TLS-terminating reverse proxy that sends ``X-Forwarded-Proto: https`` as nginx or Apache would. The
database is PostgreSQL when ``DATABASE_URL`` is set (a database of its own, dropped at the end), else a
SQLite file given as ``DATABASE_URL``, so the secrets must be explicit as in production.
"""

from __future__ import annotations

import datetime
import http.client
import http.server
import ipaddress
import os
import re
import secrets
import shlex
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.builders import PASSWORD, TOTP_HEX

ROOT = Path(__file__).resolve().parents[1]
# Users whose menus together reach every menu entry: (username, role, organisation code).
USERS = [
    ("coordinator", "coordinator", "lead"),
    ("filtro", "filtro", "lead"),
    ("dpo", "dpo", "lead"),
    ("admin", "admin", "lead"),
    ("outreach", "outreach", "partner"),
    ("shelter", "shelter", "partner"),
    ("case_worker", "case_worker", "partner"),
    ("probe", "coordinator", "lead"),  # the non-browser tests' own: a TOTP code is accepted once per user
]

SEED = f"""
from datetime import date
from django_otp.plugins.otp_totp.models import TOTPDevice
from approdi.accounts.models import Membership, User
from approdi.network.models import Organisation, Programme
lead = Organisation.objects.create(code="lead", name="Comune di Prova", type="lead")
partner = Organisation.objects.create(code="partner", name="Cooperativa Alfa", type="partner")
programme = Programme.objects.create(
    code="P-1", name="Programma uno", start=date(2024, 1, 1), end=date(2027, 12, 31), lead_organisation=lead
)
programme.partners.set([lead, partner])
for username, role, at in {USERS!r}:
    user = User.objects.create_user(username=username, password={PASSWORD!r}, email=username + "@example.invalid")
    Membership.objects.create(user=user, organisation=lead if at == "lead" else partner, role=role, programme=programme)
    TOTPDevice.objects.create(user=user, name="app", key={TOTP_HEX!r}, confirmed=True)
"""


def readme_waitress_command() -> tuple[dict[str, str], list[str]]:
    """The environment assignments and waitress options of the README's production command line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    command = r"^((?:[A-Z_]+=\S+ )*)\.venv/bin/waitress-serve (.*?)config\.wsgi:application$"
    match = re.search(command, text, re.M | re.S)
    assert match, "README.md has no waitress-serve command line ending in config.wsgi:application"
    assignments = dict(item.split("=", 1) for item in shlex.split(match.group(1)))
    options = shlex.split(match.group(2).replace("\\\n", " "))
    return assignments, options


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def start_waitress(env: dict[str, str], *, trusted_proxy: bool = True) -> tuple[subprocess.Popen, str]:
    """Waitress as the README starts it; without ``trusted_proxy`` its proxy options are left out."""
    assignments, options = readme_waitress_command()
    port = free_port()
    options = [f"--listen=127.0.0.1:{port}" if o.startswith("--listen") else o for o in options]
    if not trusted_proxy:
        options = [o for o in options if not o.startswith("--trusted-proxy")]
    # Its log goes to a file: a pipe nobody reads would fill up and stop the server.
    log = Path(env["APPRODI_VAR_DIR"]).parent / f"waitress-{port}.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "waitress", *options, "config.wsgi:application"],
            cwd=ROOT,
            env=env | assignments,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"waitress stopped: {log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("waitress did not answer within 60 seconds")


# --- the reverse proxy ------------------------------------------------------------------------

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "proxy.crt", directory / "proxy.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def start_proxy(upstream: str, directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """HTTPS in front, plain HTTP to ``upstream``, with the headers a reverse proxy adds."""
    upstream_port = urlparse(upstream).port

    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_address[0]}
            connection = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            self.send_response_only(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
            connection.close()

        do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = forward

        def log_message(self, *args):
            pass

    cert, key = self_signed_certificate(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"


# --- the whole site ---------------------------------------------------------------------------


@dataclass
class ProductionSite:
    url: str  # through the proxy, as users reach it
    env: dict[str, str]
    directory: Path
    stops: list = field(default_factory=list)

    def stop(self) -> None:
        for stop in reversed(self.stops):
            stop()


def postgres_database(url: str, purpose: str) -> tuple[str, Callable[[], None]]:
    """A database of its own beside the one ``url`` names (the test database stays untouched), and its drop."""
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_{purpose}_{os.getpid()}"
    admin_url = urlunparse(parsed._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}")), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_production_site(directory: Path) -> ProductionSite:
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "APPRODI_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "APPRODI_INDEX_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "APPRODI_STATIC_ROOT": str(directory / "static"),
        "APPRODI_VAR_DIR": str(directory / "var"),
    }
    site = ProductionSite(url="", env=env, directory=directory)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = postgres_database(os.environ["DATABASE_URL"], "production")
        site.stops.append(drop)
    else:
        env["DATABASE_URL"] = f"sqlite:///{directory / 'approdi.sqlite3'}"
    try:
        manage("collectstatic", "--no-input", "-v0", env=env)
        manage("migrate", "--no-input", "-v0", env=env)
        manage("shell", "-c", SEED, env=env)
        process, upstream = start_waitress(env)
        site.stops.append(lambda: (process.terminate(), process.wait(10)))
        proxy, site.url = start_proxy(upstream, directory)
        site.stops.append(lambda: (proxy.shutdown(), proxy.server_close()))
    except BaseException:
        site.stop()
        raise
    return site


class SiteClient:
    """A browser without JavaScript for the non-browser tests: cookies, CSRF token and Referer as a browser sends."""

    def __init__(self, base_url: str):
        import http.cookiejar
        import urllib.request

        self.base_url = base_url
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the proxy's certificate is self-signed
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def request(self, path: str, data: dict | None = None, *, referer: str | None = None):
        import urllib.error
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 - the proxy's https URL
        if referer:
            request.add_header("Referer", self.base_url + referer)
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, urlparse(answer.url).path, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, urlparse(error.url).path, error.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str]:
        status, _, text = self.request(path)
        assert status == 200, f"{path} answered {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **fields}, referer=path)

    def sign_in(self, username: str, code: str) -> None:
        status, landed, _ = self.post_form("/accounts/login/", {"username": username, "password": PASSWORD})
        assert (status, landed) == (200, "/accounts/two-factor/"), (status, landed)
        status, landed, _ = self.post_form("/accounts/two-factor/", {"code": code})
        assert (status, landed) == (200, "/"), (status, landed)

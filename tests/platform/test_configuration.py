"""Configuration from the environment: production refuses to start without its secrets."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/approdi_unused",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-only-0123456789-abcdefghijklmnop",
    "APPRODI_ENCRYPTION_KEYS": "hXmY4wX2c0Q9Wq5W1C2r3Q8uTgB7gJm3bCkQyV7pQ1A=",
    "APPRODI_INDEX_KEY": "index-key-for-the-check-only",
    "ALLOWED_HOSTS": "approdi.example.org",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "APPRODI_ENCRYPTION_KEYS", "APPRODI_INDEX_KEY"])
def test_missing_secret_in_production_stops_with_a_clear_message(name):
    env = {k: v for k, v in PRODUCTION.items() if k != name}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{name} is not set" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(secret_file)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked(settings):
    from config import settings as module

    assert module.env_bool("APPRODI_SURELY_UNSET_VARIABLE", False) is False
    assert settings.DEBUG is False


@pytest.mark.parametrize("older", [False, True], ids=["new", "left-readable-by-an-older-version"])
def test_embedded_database_keys_and_mail_are_private_to_the_service_user(tmp_path, older):
    """var/ holds people's data and the keys: nobody but the service user may read it (umask 022 as usual)."""
    var = tmp_path / "var"
    if older:
        var.mkdir(mode=0o755)
        (var / "approdi.sqlite3").touch(mode=0o644)
    env = {"PATH": "/usr/bin:/bin", "APPRODI_VAR_DIR": str(var)}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr

    def mode(path):
        return oct(path.stat().st_mode & 0o777)

    assert mode(var) == oct(0o700)
    assert mode(var / "secrets") == oct(0o700)
    assert mode(var / "mail") == oct(0o700)
    assert mode(var / "approdi.sqlite3") == oct(0o600)
    secrets = sorted((var / "secrets").iterdir())
    assert [p.name for p in secrets] == ["approdi_encryption_keys.txt", "approdi_index_key.txt", "secret_key.txt"]
    assert {mode(p) for p in secrets} == {oct(0o600)}
    assert [p for p in var.rglob("*") if p.stat().st_mode & 0o077] == []


KEEPS_ITS_CONNECTION = """
from django.db import close_old_connections, connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
kept = connection.connection
close_old_connections()  # what the server runs at the end of every request
print("kept" if connection.connection is kept else "closed")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        print("jit", cursor.fetchone()[0])
"""


@pytest.mark.parametrize("mode", ["embedded", "production"])
def test_a_server_thread_keeps_its_connection_and_postgresql_plans_without_compiling(mode, tmp_path):
    """Opening a connection costs the request that pays it: on SQLite it reads the whole schema (nearly 500 tables,
    indexes and triggers: about 5 ms), on PostgreSQL it starts a server process. Each server thread keeps its own,
    in both modes, as the server runs them (Django's test client never closes one, and the suite's in-memory
    SQLite never does). PostgreSQL's JIT, which compiled costly-looking plans before running statements that take
    less (10–20 % of each list page at national scale), is off."""
    if mode == "embedded":
        env = {"PATH": "/usr/bin:/bin", "APPRODI_VAR_DIR": str(tmp_path)}
    else:
        env = PRODUCTION | {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}
    result = manage("shell", "--no-imports", "-c", KEEPS_ITS_CONNECTION, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == (["kept"] if mode == "embedded" else ["kept", "jit", "off"])

"""What every benchmark shares, so that each script is only its own question: child processes on throwaway
databases, bulk loading, timing, and the Markdown it prints. The data it times comes from ``bench/_world.py``.

Parent side (plain Python, no Django): ``run_backends`` runs the benchmark's own module once per database, in a child
process (settings are read once per process), on a fresh database from ``throwaway`` (SQLite in a temporary directory
under /tmp through ``APPRODI_VAR_DIR``; PostgreSQL at 127.0.0.1:5432 as user ``postgres``, a database created here
and dropped afterwards, through ``DATABASE_URL`` and generated secrets), echoing the child's lines and returning the
JSON each child prints last. ``cli`` parses the script's options and sends ``--child BACKEND`` to the child side;
``machine`` and ``table`` print the heading and the tables.

Child side: ``setup`` migrates and starts Django; ``Writer`` and ``insert`` append rows to a real table with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL); ``column_defaults``, ``checks_off``, ``reset_sequence`` and
``analyze`` go with them. ``rounds`` times calls in turn (a shared machine's load falls on all of them alike);
``median`` and ``percentile`` read the times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import repeat
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = "postgres@127.0.0.1:5432"
PG_ADMIN_URL = f"postgres://{PG_HOST}/postgres"
BACKENDS = ("sqlite", "postgresql")


def pg_url(name: str) -> str:
    return f"postgres://{PG_HOST}/{name}"


def kept(name: str) -> Path:
    """Where a benchmark keeps its databases between runs (``--keep``): a fixed directory under /tmp."""
    return Path(tempfile.gettempdir()) / f"approdi-bench-{name}"


# --- parent ---------------------------------------------------------------------------------------------------------


def secrets_env() -> dict[str, str]:
    """What settings require once ``DATABASE_URL`` is set: fresh keys for a throwaway database."""
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "APPRODI_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "APPRODI_INDEX_KEY": secrets.token_urlsafe(48),
    }


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(sql)


def pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@contextmanager
def throwaway(backend: str, pg_name: str, *, keep_dir: Path | None = None, reuse: bool = False) -> Iterator[dict]:
    """The environment of a fresh database for ``backend``, removed on leaving.

    With ``keep_dir`` the database stays for a later run: SQLite's file (and its generated secrets) in that directory,
    PostgreSQL's database ``pg_name`` with its secrets in ``keep_dir/postgresql.json``. With ``reuse`` as well, the
    kept database is used as it is (``env["REUSED"]`` says whether one was found) instead of being recreated.
    """
    if backend == "sqlite":
        if keep_dir is None:
            workdir = Path(tempfile.mkdtemp(prefix="approdi-bench-", dir="/tmp"))
            try:
                yield {"APPRODI_VAR_DIR": str(workdir), "REUSED": ""}
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            return
        found = reuse and (keep_dir / "approdi.sqlite3").exists()
        if not found:  # a new database; the generated secrets beside it may stay
            for suffix in ("", "-journal", "-wal", "-shm"):
                (keep_dir / f"approdi.sqlite3{suffix}").unlink(missing_ok=True)
            keep_dir.mkdir(parents=True, exist_ok=True)
        yield {"APPRODI_VAR_DIR": str(keep_dir), "REUSED": "1" if found else ""}
        print(f"kept {keep_dir}/approdi.sqlite3")
        return
    if keep_dir is None:
        pg_admin(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {pg_name}")
        try:
            yield {"DATABASE_URL": pg_url(pg_name), **secrets_env(), "REUSED": ""}
        finally:
            pg_admin(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        return
    saved = keep_dir / "postgresql.json"
    found = reuse and saved.exists() and pg_exists(pg_name)
    if found:
        env = json.loads(saved.read_text())
    else:
        pg_admin(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {pg_name}")
        env = {"DATABASE_URL": pg_url(pg_name), **secrets_env()}
        keep_dir.mkdir(parents=True, exist_ok=True)
        saved.touch(mode=0o600)
        saved.write_text(json.dumps(env))
    yield {**env, "REUSED": "1" if found else ""}
    print(f"kept {pg_url(pg_name)} (secrets in {saved})")


def run_child(module: str, backend: str, argv: list[str], env: dict[str, str]) -> dict:
    """``python -m module --child backend *argv`` on the database of ``env``: its lines echoed, its last line parsed."""
    command = [sys.executable, "-m", module, "--child", backend, *argv]
    child_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APPRODI_VAR_DIR")}
    child_env.update(env, DJANGO_SETTINGS_MODULE="config.settings", PYTHONUNBUFFERED="1")
    done = subprocess.run(command, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line)
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{backend}: the benchmark failed (exit {done.returncode})")
    return json.loads(lines[-1])


def run_backends(
    module: str, backends: Iterable[str], argv: list[str], pg_name: str, *, keep: str | None = None, reuse: bool = False
) -> list[dict]:
    """``module``'s child on a throwaway database of each backend in turn, its results in that order.

    ``keep`` names the directory under /tmp (``kept``) where the databases stay for a later run or for EXPLAIN.
    """
    keep_dir = kept(keep) if keep else None
    results = []
    for backend in backends:
        with throwaway(backend, pg_name, keep_dir=keep_dir, reuse=reuse) as env:
            results.append(run_child(module, backend, argv, env))
    return results


def cli(parser: argparse.ArgumentParser, parent: Callable, child: Callable, argv: list[str] | None = None) -> None:
    """Parses the script's options; the parent runs ``parent(args)``, a child ``child(backend, args)``."""
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args)
    else:
        parent(args)


def load_average() -> str:
    """The machine may be shared: its load, printed with the results."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine(load_before: str | None = None) -> str:
    """Today, the cores, Python and the load average (before the run, if given, and now), for a table's heading."""
    load = f"{load_before} before, {load_average()} after" if load_before else f"at the end {load_average()}"
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"
    )


def table(header: Sequence[str], rows: Iterable[Sequence], align: str) -> None:
    """Prints a Markdown table; ``align`` has one letter per column, ``l`` (left) or ``r`` (right, for numbers)."""
    rule = {"l": "---", "r": "---:"}
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(rule[a] for a in align) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


# --- child ----------------------------------------------------------------------------------------------------------


def setup(*, migrate: bool = True) -> tuple[bool, str]:
    """``manage.py migrate`` (in a process of its own, as an operator runs it), then Django in this process.

    Returns whether the database is SQLite, and its name and version for the tables (``SQLite 3.40.1``).
    """
    if migrate:
        done = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=False)
        if done.returncode != 0:
            raise SystemExit("manage.py migrate failed")

    import django

    django.setup()
    return database_label()


def database_label() -> tuple[bool, str]:
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if sqlite else "SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return sqlite, f"SQLite {version}" if sqlite else f"PostgreSQL {version}"


def analyze() -> None:
    """Fresh planner statistics after a load; on PostgreSQL also the visibility map, as autovacuum would make it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def column_defaults(model) -> dict[str, object]:
    """The value each concrete column of ``model`` stores when a row gives none (NULL where the column allows it)."""
    from django.db import connection

    defaults = {}
    for field in model._meta.concrete_fields:
        if field.null:
            defaults[field.column] = None
        elif field.get_internal_type() == "JSONField":
            defaults[field.column] = json.dumps(field.get_default())
        else:
            defaults[field.column] = field.get_db_prep_save(field.get_default(), connection)
    return defaults


def sqlite_value(value):
    """SQLite stores dates as ISO text; Python's own date adapter is deprecated."""
    return value.isoformat() if isinstance(value, date) else value


def insert(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Appends ``rows`` (tuples in the order of ``columns``) to ``model``'s table: executemany or COPY.

    Values go in as the driver takes them: dates as ``date`` on PostgreSQL and as ISO text on SQLite.
    """
    from django.db import connection

    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)
        return
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def reset_sequence(model) -> None:
    """After rows were given their ids: PostgreSQL's sequence continues after the largest (SQLite needs nothing)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


@contextmanager
def checks_off() -> Iterator[None]:
    """SQLite evaluates every ``CHECK ... IN (...)`` list afresh for each row of an executemany: skipping the CHECKs
    halves a large load. PostgreSQL's COPY checks every constraint, and the same generators feed both."""
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    if sqlite:
        connection.ensure_connection()
        connection.connection.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        if sqlite:
            connection.connection.execute("PRAGMA ignore_check_constraints = OFF")


class Writer:
    """Rows into a model's real table through ``insert``; every column a row does not give gets its stored default.

    ``write`` takes columns (a list of values per column, or one value for every row), ``rows`` a list of dicts.
    ``created_at`` is the same for every row unless given.
    """

    def __init__(self, model, sqlite: bool, *, created: datetime = datetime(2025, 12, 1, tzinfo=UTC)):
        self.model, self.sqlite = model, sqlite
        self.defaults = column_defaults(model)
        self.created = created.strftime("%Y-%m-%d %H:%M:%S") if sqlite else created

    def value(self, value):
        return sqlite_value(value) if self.sqlite else value

    def write(self, n: int, values: dict) -> int:
        """``values``: column -> a list of ``n`` values, or one value for every row. Returns ``n``."""
        values = {"created_at": self.created, **values}
        columns = [f.column for f in self.model._meta.concrete_fields if not f.primary_key or f.column in values]
        data = []
        for column in columns:
            value = values.get(column, self.defaults[column])
            if isinstance(value, list):
                data.append([self.value(v) for v in value] if self.sqlite else value)
            else:
                data.append(repeat(self.value(value), n))
        insert(self.model, columns, zip(*data, strict=False))
        if "id" in values:
            reset_sequence(self.model)
        return n

    def rows(self, rows: list[dict]) -> int:
        """Rows as dicts with the same columns."""
        return self.write(len(rows), {column: [row[column] for row in rows] for column in rows[0]})


# --- timing ---------------------------------------------------------------------------------------------------------


def rounds(functions: Sequence[Callable[[], object]], repeat: int) -> tuple[list[list[float]], list]:
    """``repeat`` rounds calling each function in turn, so that a shared machine's load falls on all of them alike.

    Returns each function's times in milliseconds and its last result.
    """
    times: list[list[float]] = [[] for _ in functions]
    results: list = [None] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            started = time.perf_counter()
            results[i] = function()
            times[i].append((time.perf_counter() - started) * 1000)
    return times, results


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """One call: its time in milliseconds and its result."""
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def median(values: Iterable[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest rank: a value that was measured, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

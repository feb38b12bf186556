"""The four "AREA EMERSIONE" figures of the funder summary (DESIGN.md §9) over a million contacts.

    .venv/bin/python -m bench.outreach_counts [--postgres] [--contacts 1000000] [--referrals 100000] [--repeat 5]

Builds a throwaway database with ``manage.py migrate`` (SQLite in a temporary directory under /tmp; with
``--postgres`` also postgres://postgres@127.0.0.1:5432/approdi_bench, created and dropped here), fills the real
``outreach_contact`` and ``outreach_referral`` tables with raw ``executemany`` (SQLite) or ``COPY`` (PostgreSQL),
then times ``approdi.outreach.figures.outreach_figures`` — what the summary report runs — against one
hand-written SQL statement computing the same four numbers (the floor), best of ``--repeat`` runs each.

Each backend runs in a child process of its own (settings are read once per process); the parent prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "approdi_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
SEED = 2026

START, END = date(2017, 12, 1), date(2025, 11, 30)  # the benchmark programme: eight years
QUARTER = (date(2023, 1, 1), date(2023, 3, 31))
CHANNELS = (("street", 55), ("indoor", 30), ("drop_in", 15))
GENDERS = (("woman", 75), ("man", 15), ("trans_woman", 5), ("unknown", 5))
NATIONALITIES = (("NG", 40), ("RO", 8), ("MA", 6), ("PK", 6), ("CI", 6), ("BD", 5), ("AL", 4), ("CN", 4), ("BR", 4),
                 ("GH", 4), ("BG", 3), ("UA", 3), ("PE", 2), ("", 5))
AGE_BANDS = (("18-20", 10), ("21-23", 18), ("24-26", 20), ("27-29", 16), ("30-38", 22), ("39-47", 6), ("48+", 2),
             ("unknown", 6))
EXPLOITATION = (("sexual", 70), ("labour", 15), ("begging", 2), ("illegal_economies", 3), ("unknown", 10))
SOURCES = (("cas", 20), ("sai", 5), ("territorial_commission", 20), ("police", 10), ("prosecutor", 3),
           ("helpline", 10), ("other_project", 8), ("health_service", 5), ("social_services", 5),
           ("labour_inspectorate", 3), ("union", 1), ("self", 5), ("outreach", 5))

FLOOR_SQL = """
SELECT c.street, c.indoor, c.drop_in, r.coded + r.anonymous
FROM (
    SELECT COALESCE(SUM(CASE WHEN channel = 'street' THEN headcount END), 0) AS street,
           COALESCE(SUM(CASE WHEN channel = 'indoor' THEN headcount END), 0) AS indoor,
           COALESCE(SUM(CASE WHEN channel = 'drop_in' THEN headcount END), 0) AS drop_in
    FROM outreach_contact WHERE programme_id = %s AND date >= %s AND date <= %s
) AS c CROSS JOIN (
    SELECT COUNT(DISTINCT CASE WHEN person_code <> '' THEN person_code END) AS coded,
           COUNT(CASE WHEN person_code = '' THEN 1 END) AS anonymous
    FROM outreach_referral
    WHERE programme_id = %s AND date >= %s AND date <= %s AND source_type NOT IN ('self', 'outreach')
) AS r
"""


# --- parent: one child per backend ---------------------------------------------------------------------------------


def _secrets_env() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "APPRODI_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "APPRODI_INDEX_KEY": secrets.token_urlsafe(48),
    }


def _child(backend: str, args, env: dict[str, str]) -> dict:
    command = [sys.executable, "-m", "bench.outreach_counts", "--child", backend, "--contacts", str(args.contacts),
               "--referrals", str(args.referrals), "--repeat", str(args.repeat), "--seed", str(args.seed)]
    child_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APPRODI_VAR_DIR")}
    child_env.update(env, DJANGO_SETTINGS_MODULE="config.settings", PYTHONUNBUFFERED="1")
    done = subprocess.run(command, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line)
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{backend}: the benchmark failed (exit {done.returncode})")
    return json.loads(lines[-1])


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(sql)


def parent(args) -> None:
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="approdi-bench-", dir="/tmp"))
    try:
        results.append(_child("sqlite", args, {"APPRODI_VAR_DIR": str(workdir)}))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.postgres:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
        try:
            results.append(_child("postgresql", args, {"DATABASE_URL": PG_URL, **_secrets_env()}))
        finally:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")

    print(f"\n# Outreach figures — {args.contacts:,} contacts, {args.referrals:,} referrals, seed {args.seed}, "
          f"best of {args.repeat}, {date.today().isoformat()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}\n")
    print("| database | period | outreach_figures() (2 queries, ORM) | hand-written SQL (1 query) | ratio | figures |")
    print("|---|---|---:|---:|---:|---|")
    for result in results:
        for row in result["rows"]:
            figures = ", ".join(f"{v:,}" for v in row["figures"].values())
            print(f"| {result['database']} | {row['period']} | {row['orm_ms']:.1f} ms | {row['floor_ms']:.1f} ms "
                  f"| {row['orm_ms'] / row['floor_ms']:.2f} | {figures} |")
    print("\nLoading (executemany / COPY, then ANALYZE): "
          + "; ".join(f"{r['database']} {r['load_s']:.1f} s" for r in results))


# --- child: one backend --------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs) -> Callable[[], str]:
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]

    def pick() -> str:
        return rng.choices(values, weights)[0]

    return pick


def _codes(rng: random.Random, count: int) -> list[str]:
    letters = string.ascii_uppercase + "234567"
    return ["AP-" + "".join(rng.choices(letters, k=5)) + "-" + "".join(rng.choices(letters, k=5)) for _ in range(count)]


def _setup_network():
    from django.db import transaction
    from django_scopes import scopes_disabled

    from approdi.network.models import Area, Organisation, Programme

    with scopes_disabled(), transaction.atomic():
        lead = Organisation.objects.create(code="bench-lead", name="Comune di Prova", type="lead")
        partners = [
            Organisation.objects.create(code=f"bench-p{i}", name=f"Partner {i}", type="partner") for i in range(8)
        ]
        areas = [Area.objects.create(code=f"B{i}", name=f"Area {i}") for i in range(5)]
        programme = Programme.objects.create(
            code="BENCH", name="Benchmark", start=START, end=END, lead_organisation=lead
        )
        programme.partners.set([lead, *partners])
        programme.areas.set(areas)
    return programme, [lead.pk, *(p.pk for p in partners)], [a.pk for a in areas]


def _columns(model, values: dict) -> tuple[list[str], list]:
    """Every concrete column but the id, with ``values`` or the field's default as stored."""
    from django.db import connection

    columns, defaults = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in values or field.null:
            defaults.append(None)
        elif field.get_internal_type() == "JSONField":
            defaults.append("[]")
        else:
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, defaults


def _contact_rows(rng, count, programme_id, organisations, areas, sqlite):
    channel = _weighted(rng, CHANNELS)
    gender = _weighted(rng, GENDERS)
    nationality = _weighted(rng, NATIONALITIES)
    age_band = _weighted(rng, AGE_BANDS)
    exploitation = _weighted(rng, EXPLOITATION)
    people = _codes(rng, 120_000)
    days = (END - START).days
    dates = [START + timedelta(days=d) for d in range(days + 1)]
    if sqlite:
        dates = [d.isoformat() for d in dates]
    created = "2025-12-01 00:00:00" if sqlite else datetime(2025, 12, 1, tzinfo=UTC)
    for _ in range(count):
        group = rng.random() < 0.08
        headcount = rng.randint(2, 8) if group else 1
        code = "" if group or rng.random() < 0.3 else rng.choice(people)
        yield {
            "programme_id": programme_id,
            "organisation_id": rng.choice(organisations),
            "channel": channel(),
            "date": rng.choice(dates),
            "area_id": rng.choice(areas),
            "headcount": headcount,
            "person_code": code,
            "first_contact": None if group else rng.random() < 0.4,
            "gender": "" if group else gender(),
            "age_band": "" if group else age_band(),
            "nationality": "" if group else nationality(),
            "exploitation": exploitation(),
            "created_at": created,
        }


def _referral_rows(rng, count, programme_id, organisations, sqlite):
    source = _weighted(rng, SOURCES)
    gender = _weighted(rng, GENDERS)
    nationality = _weighted(rng, NATIONALITIES)
    exploitation = _weighted(rng, EXPLOITATION)
    people = _codes(rng, 70_000)
    days = (END - START).days
    created = "2025-12-01 00:00:00" if sqlite else datetime(2025, 12, 1, tzinfo=UTC)
    for _ in range(count):
        day = START + timedelta(days=rng.randint(0, days))
        yield {
            "programme_id": programme_id,
            "organisation_id": rng.choice(organisations),
            "date": day.isoformat() if sqlite else day,
            "source_type": source(),
            "person_code": "" if rng.random() < 0.2 else rng.choice(people),
            "gender": gender(),
            "nationality": nationality(),
            "exploitation": exploitation(),
            "created_at": created,
        }


def _load(model, rows, sqlite: bool, chunk: int = 50_000) -> int:
    from django.db import connection, transaction

    first = next(rows)
    columns, defaults = _columns(model, first)
    positions = [(i, c) for i, c in enumerate(columns) if c in first]

    def as_tuple(row: dict) -> tuple:
        values = list(defaults)
        for i, column in positions:
            values[i] = row[column]
        return tuple(values)

    table, loaded = model._meta.db_table, 0
    connection.ensure_connection()
    raw = connection.connection
    with transaction.atomic():
        if sqlite:
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            batch = [as_tuple(first)]
            for row in rows:
                batch.append(as_tuple(row))
                if len(batch) >= chunk:
                    raw.executemany(sql, batch)
                    loaded += len(batch)
                    batch = []
            raw.executemany(sql, batch)
            loaded += len(batch)
        else:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                copy.write_row(as_tuple(first))
                loaded = 1
                for row in rows:
                    copy.write_row(as_tuple(row))
                    loaded += 1
    return loaded


def _best(function, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def child(backend: str, args) -> None:
    sqlite = backend == "sqlite"
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=False)
    if migrate.returncode != 0:
        raise SystemExit("manage.py migrate failed")

    import django

    django.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from approdi.outreach.figures import outreach_figures
    from approdi.outreach.models import Contact, Referral

    rng = random.Random(args.seed)
    programme, organisations, areas = _setup_network()
    started = time.perf_counter()
    contacts = _load(Contact, _contact_rows(rng, args.contacts, programme.pk, organisations, areas, sqlite), sqlite)
    referrals = _load(Referral, _referral_rows(rng, args.referrals, programme.pk, organisations, sqlite), sqlite)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if sqlite else "SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    database = f"SQLite {version}" if sqlite else f"PostgreSQL {version}"
    print(f"{database}: loaded {contacts:,} contacts and {referrals:,} referrals in {load_s:.1f} s", flush=True)

    def orm(start: date, end: date) -> dict:
        with scopes_disabled():
            return outreach_figures(
                Contact.objects.filter(programme=programme), Referral.objects.filter(programme=programme),
                start=start, end=end,
            )

    def floor(start: date, end: date) -> tuple:
        with connection.cursor() as cursor:
            period = [start.isoformat(), end.isoformat()] if sqlite else [start, end]
            cursor.execute(FLOOR_SQL, [programme.pk, *period] * 2)
            return cursor.fetchone()

    rows = []
    for label, (start, end) in (("whole programme (8 years)", (START, END)), ("one quarter", QUARTER)):
        orm_ms, figures = _best(lambda s=start, e=end: orm(s, e), args.repeat)
        floor_ms, numbers = _best(lambda s=start, e=end: floor(s, e), args.repeat)
        assert list(figures.values()) == [int(n) for n in numbers], (figures, numbers)
        rows.append({"period": label, "orm_ms": orm_ms, "floor_ms": floor_ms, "figures": figures})
        print(f"{database}, {label}: ORM {orm_ms:.1f} ms, SQL {floor_ms:.1f} ms, {figures}", flush=True)
    print(json.dumps({"database": database, "load_s": load_s, "rows": rows}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL at " + PG_URL)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args)
    else:
        parent(args)


if __name__ == "__main__":
    main()

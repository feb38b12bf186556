"""The four "AREA EMERSIONE" figures of the funder summary (DESIGN.md §9) over a million contacts.

    .venv/bin/python -m bench.outreach_counts [--postgres] [--contacts 1000000] [--referrals 100000] [--repeat 5]

Builds a throwaway database with ``manage.py migrate`` (SQLite in a temporary directory under /tmp; with
``--postgres`` also postgres://postgres@127.0.0.1:5432/approdi_bench, created and dropped here), fills the real
``outreach_contact`` and ``outreach_referral`` tables with raw ``executemany`` (SQLite) or ``COPY`` (PostgreSQL),
then times ``approdi.outreach.figures.outreach_figures`` — what the summary report runs — against one
hand-written SQL statement computing the same four numbers (the floor), best of ``--repeat`` runs each, for the
whole programme and for one quarter; then again after adding the covering indexes of ``CANDIDATE_INDEXES`` (not in
the migrations: a proposal, measured). ``--keep`` leaves the databases in place for EXPLAIN (SQLite in
/tmp/approdi-bench-outreach).

Each backend runs in a child process of its own (settings are read once per process; ``bench/_db.py``); the parent
prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import string
import time
from datetime import UTC, date, datetime, timedelta
from itertools import repeat

from bench import _db

PG_BENCH_DB = "approdi_bench"
PG_URL = _db.pg_url(PG_BENCH_DB)
SEED = 2026

START, END = date(2017, 12, 1), date(2025, 11, 30)  # the benchmark programme: eight years
QUARTER = (date(2023, 1, 1), date(2023, 3, 31))
CHANNELS = (("street", 55), ("indoor", 30), ("drop_in", 15))
GENDERS = (("woman", 75), ("man", 15), ("trans_woman", 5), ("unknown", 5))
NATIONALITIES = (
    ("NG", 40),
    ("RO", 8),
    ("MA", 6),
    ("PK", 6),
    ("CI", 6),
    ("BD", 5),
    ("AL", 4),
    ("CN", 4),
    ("BR", 4),
    ("GH", 4),
    ("BG", 3),
    ("UA", 3),
    ("PE", 2),
    ("", 5),
)
AGE_BANDS = (
    ("18-20", 10),
    ("21-23", 18),
    ("24-26", 20),
    ("27-29", 16),
    ("30-38", 22),
    ("39-47", 6),
    ("48+", 2),
    ("unknown", 6),
)
EXPLOITATION = (("sexual", 70), ("labour", 15), ("begging", 2), ("illegal_economies", 3), ("unknown", 10))
SOURCES = (
    ("cas", 20),
    ("sai", 5),
    ("territorial_commission", 20),
    ("police", 10),
    ("prosecutor", 3),
    ("helpline", 10),
    ("other_project", 8),
    ("health_service", 5),
    ("social_services", 5),
    ("labour_inspectorate", 3),
    ("union", 1),
    ("self", 5),
    ("outreach", 5),
)

# Not in the migrations: covering indexes for the figures, timed after the migrated ones (--no-candidate-index).
# The migrated contact_counting (programme, channel, date) cannot serve a date range without a channel.
CANDIDATE_INDEXES = (
    "CREATE INDEX bench_contact_figures ON outreach_contact (programme_id, date, channel, headcount)",
    "CREATE INDEX bench_referral_figures ON outreach_referral (programme_id, date, source_type, person_code)",
)

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


def _child(backend: str, args, env: dict[str, str]) -> dict:
    argv = [
        "--contacts",
        str(args.contacts),
        "--referrals",
        str(args.referrals),
        "--repeat",
        str(args.repeat),
        "--seed",
        str(args.seed),
    ]
    if not args.candidate_index:
        argv.append("--no-candidate-index")
    return _db.run_child("bench.outreach_counts", backend, argv, env)


def parent(args) -> None:
    results = []
    keep_dir = _db.kept("outreach") if args.keep else None
    with _db.throwaway("sqlite", PG_BENCH_DB, keep_dir=keep_dir) as env:
        results.append(_child("sqlite", args, env))
    if args.postgres:
        with _db.throwaway("postgresql", PG_BENCH_DB, keep_dir=keep_dir) as env:
            results.append(_child("postgresql", args, env))

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"\n# Outreach figures — {args.contacts:,} contacts, {args.referrals:,} referrals, seed {args.seed}, "
        f"best of {args.repeat}, {date.today().isoformat()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average at the end {load}\n"
    )
    print(
        "| database | indexes | period | outreach_figures() (ORM, 2 queries) | hand-written SQL (1 query) | ratio "
        "| figures |"
    )
    print("|---|---|---|---:|---:|---:|---|")
    for result in results:
        for row in result["rows"]:
            figures = ", ".join(f"{v:,}" for v in row["figures"].values())
            print(
                f"| {result['database']} | {row['indexes']} | {row['period']} | {row['orm_ms']:.1f} ms "
                f"| {row['floor_ms']:.1f} ms | {row['orm_ms'] / row['floor_ms']:.2f} | {figures} |"
            )
    print(
        "\nLoading (executemany / COPY, then ANALYZE): "
        + "; ".join(f"{r['database']} {r['load_s']:.1f} s" for r in results)
    )


# --- child: one backend --------------------------------------------------------------------------------------------


def _pick(rng: random.Random, pairs, n: int) -> list[str]:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights, k=n)


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


CHUNK = 50_000


def _contact_chunks(rng, count, programme_id, organisations, areas, sqlite):
    """Columns of CHUNK contacts at a time: a scalar is the same for every row."""
    people = _codes(rng, 120_000)
    days = [START + timedelta(days=d) for d in range((END - START).days + 1)]
    if sqlite:
        days = [d.isoformat() for d in days]
    for first in range(0, count, CHUNK):
        n = min(CHUNK, count - first)
        group = [r < 0.08 for r in (rng.random() for _ in range(n))]  # an anonymous group met at once
        sizes = rng.choices(range(2, 9), k=n)
        anonymous = [g or r < 0.3 for g, r in zip(group, (rng.random() for _ in range(n)), strict=True)]
        codes = rng.choices(people, k=n)
        first_contact = [r < 0.4 for r in (rng.random() for _ in range(n))]

        def personal(values, group=group):
            return ["" if g else v for g, v in zip(group, values, strict=True)]

        yield (
            n,
            {
                "programme_id": programme_id,
                "organisation_id": rng.choices(organisations, k=n),
                "channel": _pick(rng, CHANNELS, n),
                "date": rng.choices(days, k=n),
                "area_id": rng.choices(areas, k=n),
                "headcount": [s if g else 1 for g, s in zip(group, sizes, strict=True)],
                "person_code": ["" if a else c for a, c in zip(anonymous, codes, strict=True)],
                "first_contact": [None if g else f for g, f in zip(group, first_contact, strict=True)],
                "gender": personal(_pick(rng, GENDERS, n)),
                "age_band": personal(_pick(rng, AGE_BANDS, n)),
                "nationality": personal(_pick(rng, NATIONALITIES, n)),
                "exploitation": _pick(rng, EXPLOITATION, n),
                "created_at": "2025-12-01 00:00:00" if sqlite else datetime(2025, 12, 1, tzinfo=UTC),
            },
        )


def _referral_chunks(rng, count, programme_id, organisations, sqlite):
    people = _codes(rng, 70_000)
    days = [START + timedelta(days=d) for d in range((END - START).days + 1)]
    if sqlite:
        days = [d.isoformat() for d in days]
    for first in range(0, count, CHUNK):
        n = min(CHUNK, count - first)
        codes = rng.choices(people, k=n)
        yield (
            n,
            {
                "programme_id": programme_id,
                "organisation_id": rng.choices(organisations, k=n),
                "date": rng.choices(days, k=n),
                "source_type": _pick(rng, SOURCES, n),
                "person_code": [
                    "" if r < 0.2 else c for r, c in zip((rng.random() for _ in range(n)), codes, strict=True)
                ],
                "gender": _pick(rng, GENDERS, n),
                "nationality": _pick(rng, NATIONALITIES, n),
                "exploitation": _pick(rng, EXPLOITATION, n),
                "created_at": "2025-12-01 00:00:00" if sqlite else datetime(2025, 12, 1, tzinfo=UTC),
            },
        )


def _load(model, chunks) -> int:
    """Inserts the chunks in one transaction (executemany on SQLite, COPY on PostgreSQL), SQLite's CHECKs off."""
    from django.db import transaction

    defaults = _db.column_defaults(model)
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    loaded = 0
    with _db.checks_off(), transaction.atomic():
        for n, values in chunks:
            data = []
            for column in columns:
                value = values[column] if column in values else defaults[column]
                data.append(value if isinstance(value, list) else repeat(value, n))
            _db.insert(model, columns, zip(*data, strict=False))
            loaded += n
    return loaded


def _best_of(functions, repeat: int) -> list[tuple[float, object]]:
    """Best time in ms (and result) of each function, run in turn ``repeat`` times so that they share the load."""
    best, results = [float("inf")] * len(functions), [None] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            started = time.perf_counter()
            results[i] = function()
            best[i] = min(best[i], time.perf_counter() - started)
    return [(ms * 1000, result) for ms, result in zip(best, results, strict=True)]


def child(backend: str, args) -> None:
    sqlite, database = _db.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from approdi.outreach.figures import outreach_figures
    from approdi.outreach.models import Contact, Referral

    rng = random.Random(args.seed)
    programme, organisations, areas = _setup_network()
    started = time.perf_counter()
    contacts = _load(Contact, _contact_chunks(rng, args.contacts, programme.pk, organisations, areas, sqlite))
    referrals = _load(Referral, _referral_chunks(rng, args.referrals, programme.pk, organisations, sqlite))
    _db.analyze()
    load_s = time.perf_counter() - started
    print(f"{database}: loaded {contacts:,} contacts and {referrals:,} referrals in {load_s:.1f} s", flush=True)

    def orm(start: date, end: date) -> dict:
        with scopes_disabled():
            return outreach_figures(
                Contact.objects.filter(programme=programme),
                Referral.objects.filter(programme=programme),
                start=start,
                end=end,
            )

    def floor(start: date, end: date) -> tuple:
        with connection.cursor() as cursor:
            period = [start.isoformat(), end.isoformat()] if sqlite else [start, end]
            cursor.execute(FLOOR_SQL, [programme.pk, *period] * 2)
            return cursor.fetchone()

    def measure(indexes: str) -> None:
        for label, (start, end) in (("whole programme (8 years)", (START, END)), ("one quarter", QUARTER)):
            (orm_ms, figures), (floor_ms, numbers) = _best_of(
                [lambda s=start, e=end: orm(s, e), lambda s=start, e=end: floor(s, e)], args.repeat
            )
            assert list(figures.values()) == [int(n) for n in numbers], (figures, numbers)
            rows.append(
                {"indexes": indexes, "period": label, "orm_ms": orm_ms, "floor_ms": floor_ms, "figures": figures}
            )
            print(f"{database}, {indexes}, {label}: ORM {orm_ms:.1f} ms, SQL {floor_ms:.1f} ms, {figures}", flush=True)

    rows = []
    measure("as migrated")
    if args.candidate_index:
        with connection.cursor() as cursor:
            for statement in CANDIDATE_INDEXES:
                cursor.execute(statement)
        _db.analyze()
        measure("+ candidate indexes")
    print(json.dumps({"database": database, "load_s": load_s, "rows": rows}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL at " + PG_URL)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--no-candidate-index",
        dest="candidate_index",
        action="store_false",
        help="do not time the figures again with the covering indexes of CANDIDATE_INDEXES",
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway databases for inspection")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args)
    else:
        parent(args)


if __name__ == "__main__":
    main()

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

Each backend runs in a child process of its own (``bench/_harness.py``); the parent prints the table.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date

from bench import _harness, _world

PG_BENCH_DB = "approdi_bench"
PG_URL = _harness.pg_url(PG_BENCH_DB)
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


def parent(args) -> None:
    argv = ["--contacts", str(args.contacts), "--referrals", str(args.referrals), "--repeat", str(args.repeat)]
    argv += ["--seed", str(args.seed), *([] if args.candidate_index else ["--no-candidate-index"])]
    backends = ("sqlite", "postgresql") if args.postgres else ("sqlite",)
    keep = "outreach" if args.keep else None
    results = _harness.run_backends("bench.outreach_counts", backends, argv, PG_BENCH_DB, keep=keep)

    print(
        f"\n# Outreach figures — {args.contacts:,} contacts, {args.referrals:,} referrals, seed {args.seed}, "
        f"best of {args.repeat}, {_harness.machine()}\n"
    )
    _harness.table(
        [
            "database",
            "indexes",
            "period",
            "outreach_figures() (ORM, 2 queries)",
            "hand-written SQL (1 query)",
            "ratio",
            "figures",
        ],
        (
            [
                result["database"],
                row["indexes"],
                row["period"],
                f"{row['orm_ms']:.1f} ms",
                f"{row['floor_ms']:.1f} ms",
                f"{row['orm_ms'] / row['floor_ms']:.2f}",
                ", ".join(f"{v:,}" for v in row["figures"].values()),
            ]
            for result in results
            for row in result["rows"]
        ),
        "lllrrrl",
    )
    print(
        "\nLoading (executemany / COPY, then ANALYZE): "
        + "; ".join(f"{r['database']} {r['load_s']:.1f} s" for r in results)
    )


# --- child: one backend --------------------------------------------------------------------------------------------


CHUNK = 50_000


def _contact_chunks(rng, count, programme_id, organisations, areas):
    """Columns of CHUNK contacts at a time: a scalar is the same for every row."""
    people = _world.person_codes(rng, 120_000)
    days = _world.every_day(START, END)
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
                "channel": _world.weighted(rng, CHANNELS, n),
                "date": rng.choices(days, k=n),
                "area_id": rng.choices(areas, k=n),
                "headcount": [s if g else 1 for g, s in zip(group, sizes, strict=True)],
                "person_code": ["" if a else c for a, c in zip(anonymous, codes, strict=True)],
                "first_contact": [None if g else f for g, f in zip(group, first_contact, strict=True)],
                "gender": personal(_world.weighted(rng, GENDERS, n)),
                "age_band": personal(_world.weighted(rng, AGE_BANDS, n)),
                "nationality": personal(_world.weighted(rng, NATIONALITIES, n)),
                "exploitation": _world.weighted(rng, EXPLOITATION, n),
            },
        )


def _referral_chunks(rng, count, programme_id, organisations):
    people = _world.person_codes(rng, 70_000)
    days = _world.every_day(START, END)
    for first in range(0, count, CHUNK):
        n = min(CHUNK, count - first)
        codes = rng.choices(people, k=n)
        yield (
            n,
            {
                "programme_id": programme_id,
                "organisation_id": rng.choices(organisations, k=n),
                "date": rng.choices(days, k=n),
                "source_type": _world.weighted(rng, SOURCES, n),
                "person_code": [
                    "" if r < 0.2 else c for r, c in zip((rng.random() for _ in range(n)), codes, strict=True)
                ],
                "gender": _world.weighted(rng, GENDERS, n),
                "nationality": _world.weighted(rng, NATIONALITIES, n),
                "exploitation": _world.weighted(rng, EXPLOITATION, n),
            },
        )


def _load(model, chunks, sqlite: bool) -> int:
    """Inserts the chunks in one transaction (executemany on SQLite, COPY on PostgreSQL), SQLite's CHECKs off."""
    from django.db import transaction

    writer = _harness.Writer(model, sqlite)
    with _harness.checks_off(), transaction.atomic():
        return sum(writer.write(n, values) for n, values in chunks)


def child(backend: str, args) -> None:
    sqlite, database = _harness.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from approdi.outreach.figures import outreach_figures
    from approdi.outreach.models import Contact, Referral

    rng = random.Random(args.seed)
    world = _world.network(start=START, end=END, partners=8, areas=5)
    programme, organisations = world.programme, world.organisation_ids
    started = time.perf_counter()
    contacts = _load(Contact, _contact_chunks(rng, args.contacts, programme.pk, organisations, world.area_ids), sqlite)
    referrals = _load(Referral, _referral_chunks(rng, args.referrals, programme.pk, organisations), sqlite)
    _harness.analyze()
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
            times, (figures, numbers) = _harness.rounds(
                [lambda s=start, e=end: orm(s, e), lambda s=start, e=end: floor(s, e)], args.repeat
            )
            orm_ms, floor_ms = min(times[0]), min(times[1])
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
        _harness.analyze()
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
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    main()

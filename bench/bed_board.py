"""The bed board over 2,000 beds and 50,000 past placements, with the occupancy and capacity figures.

    .venv/bin/python -m bench.bed_board [--postgres] [--placements 50000] [--repeat 10] [--explain] [--keep]

Builds a throwaway database with ``manage.py migrate`` (SQLite in a temporary directory under /tmp via
APPRODI_VAR_DIR; with ``--postgres`` also postgres://postgres@127.0.0.1:5432/approdi_bench_beds, created and dropped
here) holding one programme of a lead entity and 12 partners over 9 areas:

* 300 open structures with 2,000 beds in use (women's structures, emergency reception, men's, autonomy flats, reserved
  emergency places and dormitory beds), plus 10 structures that closed during the five years; secret address and
  phone encrypted as the app stores them. Bed rows come from the real ``approdi.shelter.services.sync_beds``;
  6 structures lost beds (their surplus rows are out of use, as ``sync_beds`` leaves them) and 20 closed for a
  while, both recorded as ``CapacityChange`` rows; one bed of each emergency structure is reserved for emergencies.
* ``--placements`` ended placements spread over the last five years, bed after bed without overlaps (short stays in
  emergency beds, long ones in autonomy flats, about 80% of the nights of each bed occupied), and the current ones
  filling 80% of the beds in use, a few reserved beds included; planned ends from the stage's default length.
* one person per placement (``intake_person``, identity left empty: nothing timed here reads it; gender fitting the
  structure), inserted with raw ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) like the placements.

Then, as an Ufficio Filtro member of the lead entity inside the real ``membership_scope``, it times
``approdi.shelter.selectors.board`` fully evaluated (``list()``), over every structure and over one area; the board's
compiled SQL alone through a cursor (the database's share); ``figures.occupancy`` over the last twelve months and
``figures.capacity_table`` today, both on the queryset the occupancy page passes. Each is called once cold, then
``--repeat`` rounds call each in turn (a shared machine's load falls on all of them alike): best and median. Queries
are counted with ``CaptureQueriesContext`` on one more call; the board's totals are checked against the loaded
placements. Then, unless ``--no-candidate-index``, the board again with a partial index of the current placements
that the migrations lack (``CANDIDATE_INDEX``), and once more without decrypting the structures' secret address and
phone, which the board never shows (``.defer``): both are what the results recommend, measured here on the
throwaway database only. ``--explain`` prints the board's SQL and its plans (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

Each backend runs in a child process of its own (``bench/_harness.py``); the parent prints the tables.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench import _harness, _world

PG_BENCH_DB = "approdi_bench_beds"
PG_URL = _harness.pg_url(PG_BENCH_DB)
SEED = 2026
YEARS = 5
BEDS = 2_000
OCCUPIED_NOW = 0.8  # share of the beds in use with a current placement
NIGHTS_OCCUPIED = 0.8  # share of a bed's past nights with someone in it

# type: structures, beds (fewest, most), gender, stages with weights
TYPES = {
    "women": (70, (8, 16), "women", {"first": 50, "second": 50}),
    "emergency_women": (25, (6, 12), "women", {"emergency": 100}),
    "men": (30, (6, 12), "men", {"emergency": 30, "first": 40, "second": 30}),
    "autonomy": (140, (2, 5), "women", {"third": 100}),
    "emergency_places": (20, (1, 4), "women", {"emergency": 100}),
    "dormitory_men": (15, (2, 6), "men", {"emergency": 60, "first": 40}),
}
CLOSED_STRUCTURES = 10
REDUCED, TEMPORARILY_CLOSED = 6, 20
STAGE_DAYS = {"emergency": 30, "first": 120, "second": 240, "third": 365}  # the models' DEFAULT_STAGE_DAYS
EXIT_REASONS = {
    "next_stage": 25,
    "autonomy": 20,
    "transfer": 15,
    "assisted_return": 5,
    "dropped_out": 25,
    "safety": 5,
    "other": 5,
}
# Not in the migrations: the current placements alone, what the board's four placement subqueries read (measured
# beside the migrated indexes unless --no-candidate-index).
CANDIDATE_INDEX = (
    'CREATE INDEX bench_placement_active ON shelter_placement (structure_id, planned_end) WHERE "end" IS NULL'
)
GENDERS = {
    "women": {"woman": 90, "trans_woman": 10},
    "men": {"man": 95, "trans_man": 5},
    "any": {"woman": 60, "man": 25, "trans_woman": 8, "non_binary": 4, "unknown": 3},
}


# --- parent: one child per backend ---------------------------------------------------------------------------------


def _print_tables(args, results: list[dict]) -> None:
    data = results[0]["data"]
    print(
        f"\n# Bed board — {data['structures_open']} open structures ({data['structures_closed']} closed), "
        f"{data['beds_in_use']:,} beds in use ({data['bed_rows']:,} bed rows), {data['ended']:,} ended and "
        f"{data['current']:,} current placements, {data['people']:,} people, seed {args.seed}, "
        f"{_harness.machine(args.load_before)}\n"
    )
    _harness.table(
        ["database", "indexes", "call", "queries", "rows", "cold", "best", "median"],
        (
            [
                result["database"],
                row["indexes"],
                row["label"],
                row["queries"],
                f"{row['rows']:,}",
                f"{row['cold_ms']:.1f} ms",
                f"{row['best_ms']:.1f} ms",
                f"{row['median_ms']:.1f} ms",
            ]
            for result in results
            for row in result["rows"]
        ),
        "lllrrrrr",
    )
    for result in results:
        print(
            f"\n{result['database']}: loaded in {result['load_s']:.1f} s (beds through sync_beds "
            f"{result['sync_s']:.1f} s); board checked: {result['check']}."
        )
        print(f"Last 12 months, as figures.occupancy() counts them: {result['summary']}.")
        for label, plan in result.get("plans", {}).items():
            print(f"\n{result['database']}, plan of {label}:\n\n```\n{plan}\n```")


def parent(args) -> None:
    started = time.perf_counter()
    args.load_before = _harness.load_average()
    argv = ["--placements", str(args.placements), "--repeat", str(args.repeat), "--seed", str(args.seed)]
    argv += ["--explain"] if args.explain else []
    argv += [] if args.candidate_index else ["--no-candidate-index"]
    backends = ("sqlite", "postgresql") if args.postgres else ("sqlite",)
    keep = "beds" if args.keep else None
    results = _harness.run_backends("bench.bed_board", backends, argv, PG_BENCH_DB, keep=keep)
    _print_tables(args, results)
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s")


# --- child: the network, structures and beds ----------------------------------------------------------------------


def _setup_network(today: date) -> _world.Network:
    start = today.replace(year=today.year - YEARS) - timedelta(days=30)
    return _world.network(
        start=start,
        end=today.replace(year=today.year + 1),
        partners=12,
        areas=9,
        area_prefix="M",
        filtro_perms=("shelter.view_board", "shelter.view_occupancy"),
    )


@dataclass
class Plan:
    """One structure as generated: its beds now, and the history its beds' placements must respect."""

    type: str
    beds: int
    gender: str
    open_from: date | None = None
    open_to: date | None = None
    original_beds: int = 0  # > beds: reduced on ``reduced_on``
    reduced_on: date | None = None
    closed: tuple[date, date] | None = None  # beds 0 from the first day to the day before the second


def _plans(rng: random.Random, today: date, first: date) -> list[Plan]:
    plans = []
    for type_, (count, (fewest, most), gender, _stages) in TYPES.items():
        for _ in range(count):
            plans.append(Plan(type_, rng.randint(fewest, most), gender))
    adjustable = [p for p in plans if p.type in ("women", "emergency_women", "men")]
    while (total := sum(p.beds for p in plans)) != BEDS:  # exactly 2,000 beds in use
        plan = rng.choice(adjustable)
        fewest, most = TYPES[plan.type][1]
        if total < BEDS and plan.beds < most + 4:
            plan.beds += 1
        elif total > BEDS and plan.beds > fewest:
            plan.beds -= 1
    for plan in plans:
        if plan.type == "autonomy" and rng.random() < 0.3:
            plan.gender = "any"
        if plan.type in ("women", "men", "autonomy") and rng.random() < 0.15:  # opened during the five years
            plan.open_from = first + timedelta(days=rng.randint(60, (today - first).days - 90))
        elif rng.random() < 0.5:
            plan.open_from = first - timedelta(days=rng.randint(30, 2_000))
    rng.shuffle(plans)
    for plan in plans[:REDUCED]:
        plan.original_beds = plan.beds + rng.randint(1, 3)
        plan.reduced_on = today - timedelta(days=rng.randint(60, 700))
    long_open = [p for p in plans[REDUCED:] if (p.open_from or first) < today - timedelta(days=400)]
    for plan in long_open[:TEMPORARILY_CLOSED]:
        base = max(plan.open_from or first, first) + timedelta(days=30)
        begins = base + timedelta(days=rng.randint(0, (today - base).days - 150))  # over before today
        plan.closed = (begins, begins + timedelta(days=rng.randint(20, 120)))
    for _ in range(CLOSED_STRUCTURES):
        type_ = rng.choice(["women", "men", "autonomy", "emergency_women"])
        fewest, most = TYPES[type_][1]
        opened = first - timedelta(days=rng.randint(0, 900))
        plans.append(
            Plan(
                type_,
                rng.randint(fewest, most),
                TYPES[type_][2],
                open_from=opened,
                open_to=first + timedelta(days=rng.randint(200, (today - first).days - 60)),
            )
        )
    return plans


def _build_structures(rng: random.Random, plans: list[Plan], programme, partners, areas, today: date, first: date):
    """Structures through the ORM (so their secrets are encrypted), beds through the real sync_beds."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from approdi.shelter.models import Bed, CapacityChange, Structure
    from approdi.shelter.services import sync_beds

    with scopes_disabled(), transaction.atomic():
        structures = Structure.objects.bulk_create(
            [
                Structure(
                    code=f"S{n:04d}",
                    name=f"Struttura {n}",
                    organisation=rng.choice(partners),
                    type=plan.type,
                    gender=plan.gender,
                    area=rng.choice(areas),
                    beds=plan.original_beds or plan.beds,
                    open_from=plan.open_from,
                    open_to=plan.open_to,
                    address=f"Via {rng.choice(['Roma', 'Milano', 'Garibaldi', 'Mazzini'])} {rng.randint(1, 200)}",
                    phone=f"+39 02 {rng.randint(1_000_000, 9_999_999)}",
                )
                for n, plan in enumerate(plans, start=1)
            ]
        )
        structures = list(Structure.objects.order_by("id"))
        Structure.programmes.through.objects.bulk_create(
            [Structure.programmes.through(structure_id=s.pk, programme_id=programme.pk) for s in structures]
        )
        started = time.perf_counter()
        for structure in structures:
            sync_beds(structure)
        changes = []
        for structure, plan in zip(structures, plans, strict=True):
            if plan.reduced_on:
                structure.beds = plan.beds
                structure.save(update_fields=["beds"])
                sync_beds(structure)  # the surplus beds leave use
                changes += [
                    CapacityChange(
                        structure=structure, date=min(plan.open_from or first, first), beds=plan.original_beds
                    ),
                    CapacityChange(structure=structure, date=plan.reduced_on, beds=plan.beds),
                ]
            if plan.closed:
                changes += [
                    CapacityChange(structure=structure, date=plan.closed[0], beds=0),
                    CapacityChange(structure=structure, date=plan.closed[1], beds=plan.beds),
                ]
        sync_s = time.perf_counter() - started
        CapacityChange.objects.bulk_create(changes)
        reserved = [
            s.pk
            for s, p in zip(structures, plans, strict=True)
            if p.type in ("emergency_women", "emergency_places") and not p.open_to
        ]
        Bed.objects.filter(structure_id__in=reserved, label="1").update(reserved=True)
        beds = {}
        for bed in Bed.objects.order_by("id"):
            beds.setdefault(bed.structure_id, []).append(bed)
    return structures, beds, sync_s


# --- child: placements and people ----------------------------------------------------------------------------------


@dataclass
class Stay:
    structure_id: int
    bed_id: int
    gender: str
    stage: str
    start: date
    end: date | None


def _windows(plan: Plan, bed_label: str, first: date, today: date) -> list[tuple[date, date]]:
    """The days a bed could hold someone: open, not closed for a while, not yet removed."""
    begin = max(first, plan.open_from or first)
    finish = min(today, plan.open_to or today)
    if plan.reduced_on and int(bed_label) > plan.beds:
        finish = min(finish, plan.reduced_on - timedelta(days=1))
    windows = [(begin, finish)]
    if plan.closed:
        windows = [(begin, min(finish, plan.closed[0] - timedelta(days=1))), (max(begin, plan.closed[1]), finish)]
    return [(a, b) for a, b in windows if b >= a]


def _mean_stay(type_: str) -> float:
    stages = TYPES[type_][3]
    return sum(STAGE_DAYS[s] * w for s, w in stages.items()) / sum(stages.values())


def _spread(rng: random.Random, count: int, begin: date, finish: date) -> list[tuple[date, date]]:
    """``count`` stays in [begin, finish], in order, separated by gaps: NIGHTS_OCCUPIED of the days occupied."""
    if count == 0:
        return []
    stay_weight = NIGHTS_OCCUPIED / (1 - NIGHTS_OCCUPIED) * (count + 1) / count
    parts = []
    for i in range(2 * count + 1):  # gap, stay, gap, ..., stay, gap
        parts.append(rng.lognormvariate(0, 0.7) * stay_weight if i % 2 else rng.expovariate(1))
    scale = ((finish - begin).days + 1) / sum(parts)
    stays, position, last_end = [], 0.0, begin - timedelta(days=1)
    for i, part in enumerate(parts):
        if i % 2:
            start = max(begin + timedelta(days=math.floor(position)), last_end + timedelta(days=1))
            end = max(begin + timedelta(days=math.floor(position + part * scale) - 1), start)
            if end <= finish:
                stays.append((start, end))
                last_end = end
        position += part * scale
    return stays


def _placements(rng: random.Random, plans: list[Plan], structures, beds, ended: int, today: date, first: date):
    """Ended stays over five years bed after bed, and the current ones filling OCCUPIED_NOW of the beds in use."""
    in_use = [
        (s, p, b) for s, p in zip(structures, plans, strict=True) if not p.open_to for b in beds[s.pk] if b.in_use
    ]
    reserved = [item for item in in_use if item[2].reserved]
    others = [item for item in in_use if not item[2].reserved]
    taken_reserved = rng.sample(reserved, round(len(reserved) * 0.3))
    occupied = taken_reserved + rng.sample(others, round(len(in_use) * OCCUPIED_NOW) - len(taken_reserved))
    current: list[Stay] = []
    current_start: dict[int, date] = {}
    for structure, plan, bed in occupied:
        stage = _world.one(rng, TYPES[plan.type][3])
        windows = _windows(plan, bed.label, first, today)
        earliest = windows[-1][0] if windows else today
        days = min(int(rng.expovariate(1 / (0.7 * STAGE_DAYS[stage]))) + 1, (today - earliest).days)
        start = today - timedelta(days=max(days, 0))
        current.append(Stay(structure.pk, bed.pk, plan.gender, stage, start, None))
        current_start[bed.pk] = start

    # Each bed's share of the ended stays: its days over the mean stay of its structure's type.
    history = []
    for structure, plan in zip(structures, plans, strict=True):
        for bed in beds[structure.pk]:
            windows = _windows(plan, bed.label, first, today)
            if bed.pk in current_start:
                cut = current_start[bed.pk] - timedelta(days=1)
                windows = [(a, min(b, cut)) for a, b in windows if a <= cut]
            days = sum((b - a).days + 1 for a, b in windows)
            history.append((structure, plan, bed, windows, days / _mean_stay(plan.type)))
    total = sum(h[4] for h in history)
    shares = [ended * h[4] / total for h in history]
    counts = [math.floor(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: ended - sum(counts)]:
        counts[i] += 1  # largest remainders
    stays: list[Stay] = []
    for (structure, plan, bed, windows, _weight), count in zip(history, counts, strict=True):
        lengths = [(b - a).days + 1 for a, b in windows]
        per_window = [count * n // sum(lengths) for n in lengths] if lengths else []
        if per_window:
            per_window[-1] += count - sum(per_window)
        for (a, b), n in zip(windows, per_window, strict=True):
            for start, end in _spread(rng, n, a, b):
                stays.append(Stay(structure.pk, bed.pk, plan.gender, _world.one(rng, TYPES[plan.type][3]), start, end))
    return stays, current


def _load(rng: random.Random, sqlite: bool, programme, lead, actor, stays: list[Stay], current: list[Stay]) -> int:
    from django.db import transaction

    from approdi.people.models import Person
    from approdi.shelter.models import Placement

    created = datetime(2026, 1, 1, tzinfo=UTC)
    everyone = sorted(stays + current, key=lambda s: (s.start, s.bed_id))  # ids grow with time, as when recorded
    with transaction.atomic():
        people = [
            {
                "id": pk,
                "programme_id": programme.pk,
                "organisation_id": lead.pk,
                "code": f"BENCH-{pk:07d}",
                "gender": _world.one(rng, GENDERS[stay.gender]),
                "nationality": "",
                "created_by_id": actor.pk,
                "created_at": created,
            }
            for pk, stay in enumerate(everyone, start=1)
        ]
        _harness.Writer(Person, sqlite).rows(people)
        placements = []
        for pk, stay in enumerate(everyone, start=1):
            placements.append(
                {
                    "programme_id": programme.pk,
                    "person_id": pk,
                    "bed_id": stay.bed_id,
                    "structure_id": stay.structure_id,
                    "stage": stay.stage,
                    "start": stay.start,
                    "planned_end": stay.start + timedelta(STAGE_DAYS[stay.stage]),
                    "end": stay.end,
                    "exit_reason": _world.one(rng, EXIT_REASONS) if stay.end else "",
                    "created_by_id": actor.pk,
                    "created_at": created,
                }
            )
        _harness.Writer(Placement, sqlite).rows(placements)
    return len(people)


# --- child: the calls timed ----------------------------------------------------------------------------------------


def _timed(calls: list, repeat: int) -> list[dict]:
    """Each call once cold, then ``repeat`` rounds calling each in turn: best and median; queries counted on one more
    call of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    for label, function, size in calls:
        cold_ms, result = _harness.timed(function)
        rows.append({"label": label, "cold_ms": cold_ms, "rows": size(result)})
    times, _results = _harness.rounds([function for _label, function, _size in calls], repeat)
    for row, (_label, function, _size), spent in zip(rows, calls, times, strict=True):
        with CaptureQueriesContext(connection) as queries:
            function()
        row.update(queries=len(queries.captured_queries), best_ms=min(spent), median_ms=_harness.median(spent))
    return rows


def _explain(queryset, sqlite: bool) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _check(rows, current: list[Stay], structures, plans) -> str:
    """The board's totals against what was loaded."""
    open_ids = {s.pk for s, p in zip(structures, plans, strict=True) if not p.open_to}
    occupied = Counter(s.structure_id for s in current)
    assert {r.pk for r in rows} == open_ids, "the board lists other structures than the open ones"
    for row in rows:
        assert row.occupied == occupied[row.pk], (row.code, row.occupied, occupied[row.pk])
        assert row.free + row.occupied + row.reserved_free == row.beds_in_use == row.beds, row.code
    beds = sum(r.beds_in_use for r in rows)
    return (
        f"{len(rows)} rows, {beds:,} beds, {sum(r.occupied for r in rows):,} occupied, "
        f"{sum(r.free for r in rows):,} free, {sum(r.reserved_free for r in rows)} reserved free, "
        f"{sum(r.departures for r in rows)} departures due in 30 days"
    )


def child(backend: str, args) -> None:
    sqlite, database = _harness.setup()
    from django.db import connection
    from django.utils import timezone

    from approdi.accounts.scoping import membership_scope
    from approdi.shelter import figures, selectors
    from approdi.shelter.models import Placement

    rng = random.Random(args.seed)
    today = timezone.localdate()
    first = today.replace(year=today.year - YEARS)

    started = time.perf_counter()
    world = _setup_network(today)
    programme, lead, partners, areas = world.programme, world.lead, world.partners, world.areas
    actor, membership = world.actor, world.membership
    plans = _plans(rng, today, first)
    structures, beds, sync_s = _build_structures(rng, plans, programme, partners, areas, today, first)
    stays, current = _placements(rng, plans, structures, beds, args.placements, today, first)
    people = _load(rng, sqlite, programme, lead, actor, stays, current)
    _harness.analyze()
    load_s = time.perf_counter() - started
    in_use = sum(p.beds for p in plans if not p.open_to)
    data = {
        "structures_open": sum(1 for p in plans if not p.open_to),
        "structures_closed": CLOSED_STRUCTURES,
        "beds_in_use": in_use,
        "bed_rows": sum(len(b) for b in beds.values()),
        "ended": len(stays),
        "current": len(current),
        "people": people,
    }
    print(f"{database}: loaded {data} in {load_s:.1f} s", flush=True)

    year = (today - timedelta(days=365), today - timedelta(days=1))
    area = Counter(s.area_id for s, p in zip(structures, plans, strict=True) if not p.open_to).most_common(1)[0][0]
    results, plans_text = [], {}

    def board_sql():
        with connection.cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.fetchall()

    def occupancy():
        structures = selectors.structures_visible(actor=actor)  # as the occupancy page passes them
        return figures.occupancy(structures, Placement.objects.filter(structure__in=structures), *year)

    def measure(indexes: str, calls) -> None:
        for row in _timed(calls, args.repeat):
            row["indexes"] = indexes
            results.append(row)
            print(
                f"{database}, {indexes}, {row['label']}: {row['queries']} queries, {row['rows']:,} rows, "
                f"cold {row['cold_ms']:.1f} ms, best {row['best_ms']:.1f} ms, median {row['median_ms']:.1f} ms",
                flush=True,
            )
        if args.explain:
            plans_text[f"board(), {indexes}"] = _explain(selectors.board(actor=actor), sqlite)

    with membership_scope(membership):
        check = _check(list(selectors.board(actor=actor)), current, structures, plans)
        compiled = selectors.board(actor=actor).query.sql_with_params()  # compiled once: the database's share
        board_calls = [
            ("board(), every structure", lambda: list(selectors.board(actor=actor)), len),
            ("board(area_id=…), the largest area", lambda: list(selectors.board(actor=actor, area_id=area)), len),
            ("board's SQL alone (cursor, fetchall)", board_sql, len),
        ]
        measure(
            "as migrated",
            [
                *board_calls,
                ("figures.occupancy(), last 12 months", occupancy, lambda r: len(r["by_structure"])),
                (
                    "figures.capacity_table(), today",
                    lambda: figures.capacity_table(selectors.structures_visible(actor=actor), today),
                    lambda r: r[1]["beds"],
                ),
            ],
        )
        if args.candidate_index:
            with connection.cursor() as cursor:
                cursor.execute(CANDIDATE_INDEX)
            _harness.analyze()
            measure(
                "+ candidate index",
                [
                    *board_calls,
                    (
                        'board().defer("address", "phone"): the secrets not decrypted',
                        lambda: list(selectors.board(actor=actor).defer("address", "phone")),
                        len,
                    ),
                ],
            )
        figures_now = occupancy()  # what the data looks like, for the report
        summary = {
            "rate by type": {r["type"]: r["rate"] for r in figures_now["by_type"]},
            "average stay by stage (days)": figures_now["average_stay"],
            "people by gender": figures_now["people_by_gender"],
        }
        if args.explain:
            plans_text["board(), its SQL"] = compiled[0] % tuple(repr(p) for p in compiled[1])
    print(
        json.dumps(
            {
                "database": database,
                "load_s": load_s,
                "sync_s": sync_s,
                "data": data,
                "rows": results,
                "check": check,
                "summary": summary,
                "plans": plans_text,
            },
            default=str,
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL at " + PG_URL)
    parser.add_argument("--placements", type=int, default=50_000, help="ended placements over five years")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="print the board's SQL and its plans")
    parser.add_argument(
        "--no-candidate-index",
        dest="candidate_index",
        action="store_false",
        help="do not time the board again with the candidate index " + CANDIDATE_INDEX,
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway databases for inspection")
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    main()

"""A contacts file of 100,000 rows (every column) through the real import, beside the floor (issue #20, item 3).

    .venv/bin/python -m bench.import_scale [--database sqlite|postgres|both] [--rows 100000] [--seed 2026]

For each database, in a child process of its own (``bench/_harness.py``; PostgreSQL ``approdi_bench_import`` at
127.0.0.1:5432, created and dropped): a programme of a lead entity and eight partners over eight areas, then a CSV file
of ``--rows`` contacts with every column of the ``contacts`` format (a third anonymous, some groups, person codes
both in the network's form and as legacy references that are hashed into it, first/repeat given or left to compute).

It times ``approdi.network.imports.run_import`` — what the page and ``import_data`` call: reading, every rule of
``build_contact``/``save_contacts``, the audit rows, all or nothing — beside the floor: the same parsing (``csv``,
dates) and person-code hashing, then ONE ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) of the rows into the migrated
table, its indexes and its contact tally kept as the import keeps them (PostgreSQL's statement trigger; on SQLite
``tally.inserted_in_bulk``: one grouped statement), no rule and no audit (dates read as the import reads them,
``quick_date``). Each runs inside a transaction rolled back
afterwards, so every run starts from the same empty table. Time is measured without tracing; peak memory in a second
run under ``tracemalloc`` (Python's allocations: the file, the rows, the objects), at a fifth of the rows and at all of
them, so that a peak that grows with the rows shows.
The goals: the import's time at most 2 times the floor's and under 30 s; its peak memory flat in the rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tracemalloc
from datetime import date, datetime, timedelta

from bench import _harness, _world

PG_BENCH_DB = "approdi_bench_import"
SEED = 2026
START, END = date(2018, 1, 1), date(2030, 12, 31)  # a running programme: its days are open
GOAL_RATIO, GOAL_S = 2.0, 30.0


def contacts_csv(rng: random.Random, rows: int, world) -> bytes:
    """A file as a partner's spreadsheet exports it: dates in order, every column, the codes seen more than once."""
    from approdi.outreach.exports import CONTACT_COLUMNS  # child side: Django is set up

    organisations = [world.lead.code, *(p.code for p in world.partners)]
    areas = [a.code for a in world.areas]
    codes = _world.person_codes(rng, max(rows // 3, 1))
    days = (date.today() - START).days  # up to yesterday: no activity in the future
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CONTACT_COLUMNS)
    for i in range(rows):
        day = START + timedelta(days=i * days // rows)
        anonymous = rng.random() < 0.33
        group = anonymous and rng.random() < 0.3
        code = ""
        if not anonymous:
            code = rng.choice(codes) if rng.random() < 0.8 else f"ref-{rng.randrange(10**6):06d}"
        writer.writerow(
            (
                day.isoformat() if i % 2 else day.strftime("%d/%m/%Y"),
                rng.choice(organisations),
                _world.one(rng, {"street": 60, "indoor": 25, "drop_in": 15}),
                rng.choice(areas),
                code,
                _world.one(rng, {"woman": 80, "man": 12, "trans_woman": 5, "unknown": 3}),
                _world.one(rng, {"18-20": 20, "21-23": 30, "24-26": 20, "27-29": 15, "30-38": 15}),
                _world.one(rng, {"NG": 50, "RO": 20, "MA": 10, "AL": 10, "CN": 10}),
                _world.one(rng, {"sexual": 80, "labour": 15, "other": 5}),
                "" if anonymous or rng.random() < 0.7 else rng.choice(("yes", "no")),
                rng.randint(2, 6) if group else 1,
                "",  # sector and target group: a labour desk's, not a street unit's
                "",
            )
        )
    return out.getvalue().encode()


def floor(content: bytes, world, sqlite: bool) -> int:
    """The same parsing and hashing as the import, then one executemany / COPY: the floor of the database."""
    from approdi.core.importing import quick_date
    from approdi.outreach import tally
    from approdi.outreach.models import Contact
    from approdi.people.person_code import code_from_identifier

    organisations = {o.code: o.pk for o in (world.lead, *world.partners)}
    areas = {a.code: a.pk for a in world.areas}
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    columns: dict[str, list] = {
        name: []
        for name in (
            "date",
            "organisation_id",
            "channel",
            "area_id",
            "person_code",
            "gender",
            "age_band",
            "nationality",
            "exploitation",
            "first_contact",
            "headcount",
        )
    }
    for row in reader:
        cells = dict(zip(header, row, strict=True))
        text = cells["date"]
        parsed = quick_date(text) or datetime.strptime(text, "%Y-%m-%d" if "-" in text else "%d/%m/%Y").date()
        columns["date"].append(parsed)
        columns["organisation_id"].append(organisations[cells["organisation"]])
        columns["channel"].append(cells["channel"])
        columns["area_id"].append(areas[cells["area"]])
        columns["person_code"].append(code_from_identifier(cells["person_code"]) if cells["person_code"] else "")
        for name in ("gender", "age_band", "nationality", "exploitation"):
            columns[name].append(cells[name])
        columns["first_contact"].append({"yes": True, "no": False}.get(cells["first_contact"]))
        columns["headcount"].append(int(cells["headcount"]))
    n = len(columns["date"])
    with tally.inserted_in_bulk():  # the contact tally kept as the import keeps it: the same database work
        return _harness.Writer(Contact, sqlite).write(n, {"programme_id": world.programme.pk, **columns})


def real(content: bytes, world) -> int:
    from django.utils import translation
    from django_scopes import scopes_disabled

    from approdi.network.imports import run_import

    with scopes_disabled(), translation.override("en"):  # as import_data runs it
        return run_import("contacts", content, "contacts.csv", options={"programme": world.programme})


def rolled_back(function):
    """``function`` inside a transaction undone afterwards: each run starts from the same empty table."""
    from django.db import transaction

    def run():
        with transaction.atomic():
            result = function()
            transaction.set_rollback(True)
        return result

    return run


def peak_mb(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def one_size(rng: random.Random, rows: int, world, sqlite: bool, label: str) -> dict:
    """A file of ``rows`` contacts through the import and through the floor: each one's time and peak memory."""
    content = contacts_csv(rng, rows, world)
    runs = {
        "import": rolled_back(lambda: real(content, world)),
        "floor": rolled_back(lambda: floor(content, world, sqlite)),
    }
    size = {"rows": rows, "mb": len(content) / 1024 / 1024}
    for name, run in runs.items():
        ms, written = _harness.timed(run)
        if written != rows:
            raise SystemExit(f"{name} wrote {written} rows of {rows}")
        size[name] = {"s": ms / 1000, "peak_mb": peak_mb(run)}
        print(f"{label}: {rows:,} rows, {name}: {ms / 1000:.1f} s, peak {size[name]['peak_mb']:.0f} MB", flush=True)
    return size


def child(backend: str, args) -> None:
    import json

    sqlite, label = _harness.setup()
    rng = random.Random(args.seed)
    world = _world.network(start=START, end=END, partners=8, areas=8, code="IMP", prefix="imp")
    sizes = [one_size(rng, rows, world, sqlite, label) for rows in sorted({max(args.rows // 5, 1), args.rows})]
    print(json.dumps({"backend": label, "sizes": sizes}))


def measure(backends: list[str], rows: int, seed: int = SEED) -> list[dict]:
    """Each backend's child on a throwaway database of its own: the import and the floor at a fifth of ``rows`` and at
    all of them."""
    argv = ["--rows", str(rows), "--seed", str(seed)]
    return _harness.run_backends("bench.import_scale", backends, argv, PG_BENCH_DB)


def report(results: list[dict]) -> None:
    """The table: each database and size, the import beside its floor, the ratio and whether the goal is met."""
    print(f"Goal: import ≤ {GOAL_RATIO:g}× the floor and ≤ {GOAL_S:g} s\n")
    rows = []
    for result in results:
        for size in result["sizes"]:
            imp, flo = size["import"], size["floor"]
            ratio = imp["s"] / flo["s"]
            met = "yes" if ratio <= GOAL_RATIO and imp["s"] <= GOAL_S else "no"
            rows.append(
                (
                    result["backend"],
                    f"{size['rows']:,}",
                    f"{size['mb']:.1f} MB",
                    f"{imp['s']:.1f} s",
                    f"{flo['s']:.1f} s",
                    f"{ratio:.2f}×",
                    f"{imp['peak_mb']:.0f} MB",
                    f"{flo['peak_mb']:.0f} MB",
                    met,
                )
            )
    _harness.table(
        ("database", "rows", "file", "import", "floor", "ratio", "import peak", "floor peak", "goal met"),
        rows,
        "llrrrrrrl",
    )


def parent(args) -> None:
    backends = {"sqlite": ["sqlite"], "postgres": ["postgresql"], "both": list(_harness.BACKENDS)}[args.database]
    load = _harness.load_average()
    results = measure(backends, args.rows, args.seed)
    print(f"\n{_harness.machine(load)}")
    report(results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=SEED)
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()

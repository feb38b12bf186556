"""The reports dashboard and the occupancy figures for one year, beside hand-written SQL for the same figures.

    .venv/bin/python -m bench.dashboard_scale [--database sqlite|postgres|both] [--contacts 1000000] [--people 100000]
                                              [--repeat 7] [--seed 2026] [--keep] [--reuse]

The world is the funder summary's (``bench/summary_scale.py``'s ``build``: one programme of a lead entity and eight
partners over eight years, ``--people`` people with their referrals and placements, ``--contacts`` contacts, a small
second programme as noise), built by its own code into databases of this benchmark's own (``--keep`` leaves them in
/tmp/approdi-bench-dashboard and PostgreSQL ``approdi_bench_dashboard``; ``--reuse`` times them again without
rebuilding). A coordinator of the lead entity is added to act as, inside the real ``membership_scope``.

For one year (2023) it times, in turn (a shared machine's load falls on all alike), ``--repeat`` rounds after a
warm-up:

- ``dashboard()``: every figure of the reports dashboard (``approdi/reports/dashboard/selectors.py``);
- its floor (``bench/_dashboard_floor.py``): hand-written SQL, one statement per figure family, summed in Python;
- the same floor with the contacts' families read from the monthly tally the page reads (``ContactTally``), the
  floor of the page as it is built (the tally is counted again first: ``rebuild_figures``, timed);
- the occupancy page's figures (``figures.occupancy()`` and ``capacity_table()``, as the page calls them);
- their floor: bed-nights and stays in one statement, people by gender in another, capacity from the structures and
  their changes, and the capacity table in one statement.

Both sides' figures must be identical, else the run stops. The goal (issue #20): each at most 1.5 times its floor
and under one second.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date

from bench import _dashboard_floor, _harness, summary_scale

PG_BENCH_DB = "approdi_bench_dashboard"
KEEP = "dashboard"
YEAR = ("one year (2023)", date(2023, 1, 1), date(2023, 12, 31))
GOAL_RATIO, GOAL_MS = 1.5, 1000.0


def _coordinator(programme):
    """A coordinator of the lead entity, her membership active (made once, found again on a reused database)."""
    from django_scopes import scopes_disabled

    from approdi.accounts.models import Membership, User

    with scopes_disabled():
        user, _made = User.objects.get_or_create(username="bench-coordinator")
        Membership.objects.get_or_create(
            user=user, organisation=programme.lead_organisation, programme=programme, role="coordinator"
        )
        membership = Membership.objects.select_related("programme", "organisation").get(user=user, programme=programme)
    user.active_membership = membership
    for perm in ("reports.view_dashboard", "shelter.view_occupancy"):
        if not user.has_perm(perm):
            raise SystemExit(f"the benchmark actor lacks {perm}")
    return user, membership


def _calls(actor, programme, start: date, end: date) -> dict:
    from approdi.reports.dashboard.selectors import dashboard
    from approdi.shelter import beds, figures, selectors
    from approdi.shelter.models import Placement

    def occupancy():
        structures = selectors.structures_visible(actor=actor)  # as the occupancy page passes them
        used = figures.occupancy(structures, Placement.objects.filter(structure__in=structures), start, end)
        return used, beds.capacity_table(structures, end)

    return {
        "dashboard": lambda: dashboard(actor=actor, start=start, end=end),
        "dashboard floor": lambda: _dashboard_floor.dashboard(programme, start, end),
        "dashboard floor (tally)": lambda: _dashboard_floor.dashboard(programme, start, end, tallied=True),
        "occupancy": occupancy,
        "occupancy floor": lambda: _dashboard_floor.occupancy(programme, start, end),
    }


def _timed(actor, programme, start: date, end: date, repeat: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls = _calls(actor, programme, start, end)
    results = {name: call() for name, call in calls.items()}  # warm-up, and the figures compared
    for page, floor_name in (
        ("dashboard", "dashboard floor"),
        ("dashboard", "dashboard floor (tally)"),
        ("occupancy", "occupancy floor"),
    ):
        mine, floor = _dashboard_floor.shape(page, results[page]), results[floor_name]
        if mine != floor:
            raise SystemExit(f"{page}: the page and the {floor_name} disagree:\n{mine}\n{floor}")
    times, _last = _harness.rounds(list(calls.values()), repeat)
    rows = []
    for (name, call), spent in zip(calls.items(), times, strict=True):
        with CaptureQueriesContext(connection) as queries:
            call()
        rows.append(
            {
                "call": name,
                "median_ms": _harness.median(spent),
                "p95_ms": _harness.percentile(spent, 95),
                "queries": len(queries.captured_queries),
            }
        )
    return rows


def child(backend: str, args) -> None:
    _sqlite, database = _harness.setup()
    from django_scopes import scopes_disabled

    from approdi.accounts.scoping import membership_scope
    from approdi.network.models import Programme

    started = time.perf_counter()
    reused = bool(os.environ.get("REUSED"))
    if reused:
        with scopes_disabled():
            programme = Programme.objects.select_related("lead_organisation").get(code="BENCH")
            counts = {"contacts": programme.contacts.count(), "people": programme.people.count()}
    else:
        built = summary_scale.build(contacts=args.contacts, people=args.people, seed=args.seed)
        programme = built.programme
        counts = {k: v for k, v in vars(built).items() if k != "programme"}
    actor, membership = _coordinator(programme)
    from approdi.outreach import tally

    rebuild_s, tally_rows = _harness.timed(tally.rebuild)  # the tally is kept by the build's inserts: counted again
    print(f"{database}: manage.py rebuild_figures: {tally_rows} tally rows in {rebuild_s / 1000:.1f} s", flush=True)
    _harness.analyze()
    load_s = time.perf_counter() - started
    print(f"{database}: {'checked' if reused else 'built'} {counts} in {load_s:.1f} s", flush=True)
    label, start, end = YEAR
    with membership_scope(membership):
        rows = _timed(actor, programme, start, end, args.repeat)
    for row in rows:
        print(f"{database}, {label}, {row['call']}: median {row['median_ms']:.1f} ms, {row['queries']} queries")
    print(json.dumps({"database": database, "reused": reused, "load_s": load_s, "counts": counts, "rows": rows}))


# --- parent ---------------------------------------------------------------------------------------------------------


def parent(args) -> None:
    began = time.perf_counter()
    load_before = _harness.load_average()
    backends = (
        _harness.BACKENDS if args.database == "both" else ("sqlite" if args.database == "sqlite" else "postgresql",)
    )
    argv = ["--contacts", str(args.contacts), "--people", str(args.people), "--repeat", str(args.repeat)]
    argv += ["--seed", str(args.seed)]
    keep = KEEP if args.keep or args.reuse else None
    results = _harness.run_backends("bench.dashboard_scale", backends, argv, PG_BENCH_DB, keep=keep, reuse=args.reuse)
    print(
        f"\n# Dashboard and occupancy at scale — {args.contacts:,} contacts, {args.people:,} people, seed {args.seed}, "
        f"{YEAR[0]}, {args.repeat} rounds after a warm-up, {_harness.machine(load_before)}\n"
    )
    lines = []
    for result in results:
        rows = {row["call"]: row for row in result["rows"]}
        for page, floor_name in (
            ("dashboard", "dashboard floor"),
            ("dashboard", "dashboard floor (tally)"),
            ("occupancy", "occupancy floor"),
        ):
            mine, floor = rows[page], rows[floor_name]
            ratio = mine["median_ms"] / floor["median_ms"]
            met = ratio <= GOAL_RATIO and mine["p95_ms"] < GOAL_MS
            lines.append(
                [
                    result["database"],
                    page if floor_name.endswith("floor") else f"{page} (beside the tally's floor)",
                    f"{mine['median_ms']:.1f}",
                    f"{mine['p95_ms']:.1f}",
                    mine["queries"],
                    f"{floor['median_ms']:.1f}",
                    f"{floor['p95_ms']:.1f}",
                    floor["queries"],
                    f"{ratio:.2f}",
                    "met" if met else "missed",
                ]
            )
    _harness.table(
        [
            "database",
            "figures",
            "median ms",
            "p95 ms",
            "queries",
            "floor median ms",
            "floor p95 ms",
            "floor queries",
            "ratio (medians)",
            "goal (≤ 1.5×, p95 < 1 s)",
        ],
        lines,
        "llrrrrrrrl",
    )
    print()
    summary_scale.print_worlds(results, began)


def main(argv: list[str] | None = None) -> None:
    _harness.cli(summary_scale.world_parser(__doc__.split("\n")[0]), parent, child, argv)


if __name__ == "__main__":
    main()

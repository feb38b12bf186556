"""Every list page and API list of issue #20 at national scale, beside its goal, and the signed-in throughput ratio.

    .venv/bin/python -m bench.pages [--database sqlite|postgres|both] [--scale national|regional|tiny]
                                    [--contacts N] [--people N] [--repeat 30] [--seconds 10] [--keep] [--reuse]
                                    [--import-rows N]

For each database, in a child process of its own (``bench/_harness.py``): the funder-summary world
(``bench/summary_scale.py``: at national scale 1,000,000 contacts, 100,000 people, their referrals and placements,
2,000 beds) made a working network by ``bench/_pages_world.py`` (500 users of every role, 20,000 cases with their
teams, plans and notes, a queue with every urgency); ``--scale`` or ``--contacts``/``--people`` make it smaller (cases
a fifth of the people, users in proportion). Then, through Django's test client, each user signed in with a confirmed
second factor (bearer tokens for the API), every page is asked once to warm up (it must answer 200), once more
counting its SQL statements, then ``--repeat`` rounds ask every page in turn: median and 95th percentile (nearest
rank). Goals (issue #20): 50 ms at the 95th percentile for every list page and API list, one second for the reports
of a year.

Throughput (item 2): waitress as ``make run`` starts it (8 threads) on the same database, loaded by ``wrk -c8`` (or
Python threads without wrk) for ``--seconds`` each: a signed-in trivial view (My account: the home page now starts
each role's work) beside My work and the case list, asked as the same user. Goal: each at least 50 % of the trivial
view's requests per second.

Imports (item 3): ``bench/import_scale.py`` on databases of its own, a contacts file of ``--import-rows`` rows (the
scale's: 100,000 at national scale, a few hundred at tiny scale; 0 skips it) through the real import beside its floor:
the ratio beside the goal (≤ 2× the floor and ≤ 30 s).

``--keep`` leaves the databases in place (SQLite in /tmp/approdi-bench-pages-<size>, PostgreSQL
``approdi_bench_pages_<size>``); ``--reuse`` times a kept world again without rebuilding it, after migrating it (so a
new index is measured on the same data). ``make bench`` runs both databases with ``--reuse``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench import _harness, _pages_world, _serve, import_scale, summary_scale

SCALES = {  # contacts, people
    "national": (1_000_000, 100_000),
    "regional": (200_000, 20_000),
    "tiny": (3_000, 300),
}
IMPORT_ROWS = {"national": 100_000, "regional": 20_000, "tiny": 500}  # the rows of the import benchmark's file
LIST_MS, REPORT_MS, RATIO_GOAL = 50.0, 1000.0, 0.5
TRIVIAL_VIEW = "/accounts/me/"  # the middleware stack and one read of the user's own tokens
YEAR = "start=2024-12-01&end=2025-11-30"  # the benchmark programme's last year


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    path: str
    goal_ms: float = LIST_MS
    api: bool = False


def pages(case_pk: int, contact_position: str = "") -> list[Page]:
    """The pages of the issue's table first, then every other list page and API list of the URLconf.

    ``contact_position``: the last row of the outreach user's page 199 (``date.id``), where page 199's Next link
    reads page 200 from (``core/paginator.py``); ``?page=200`` alone, an old link, is read with an offset."""
    return [
        Page("reports dashboard, one year", "coordinator", f"/reports/?{YEAR}", REPORT_MS),
        Page("occupancy, one year", "filtro", f"/shelter/occupancy/?{YEAR}", REPORT_MS),
        # The counts page opens on the week so far (a list of this week's figures); a year of them is a report.
        Page("outreach counts, a week", "coordinator", "/outreach/counts/?date_from=2025-11-24&date_to=2025-11-30"),
        Page(
            "outreach counts, one year",
            "coordinator",
            "/outreach/counts/?date_from=2024-12-01&date_to=2025-11-30",
            REPORT_MS,
        ),
        Page("shelter alerts", "filtro", "/shelter/alerts/"),
        Page("case list, whole programme", "filtro", "/cases/"),
        Page("referral queue by urgency", "filtro", "/filtro/?order=urgency"),
        Page("bed board", "filtro", "/shelter/board/"),
        Page("case page", "case_worker", f"/cases/{case_pk}/"),
        Page("My work", "case_worker", "/cases/my-work/"),
        Page("outreach contacts, page 200", "outreach", "/outreach/contacts/?page=200"),
        Page(
            "outreach contacts, page 200 by its link",
            "outreach",
            f"/outreach/contacts/?page=200&after={contact_position}",
        ),
        Page("API GET /referrals", "filtro", "/api/v1/referrals", api=True),
        Page("API GET /cases", "filtro", "/api/v1/cases", api=True),
        Page("API GET /persons", "filtro", "/api/v1/persons", api=True),
        Page("API GET /contacts", "outreach", "/api/v1/contacts", api=True),
        # The rest of the URLconf's lists.
        Page("funder summary page, one year", "coordinator", f"/reports/summary/?{YEAR}", REPORT_MS),
        Page("outreach home", "outreach", "/outreach/"),
        Page("outreach referrals", "outreach", "/outreach/referrals/"),
        Page("people (Ufficio Filtro)", "filtro", "/filtro/people/"),
        Page("structures", "filtro", "/shelter/structures/"),
        Page("waiting list", "filtro", "/shelter/waiting-list/"),
        Page("export jobs", "coordinator", "/reports/exports/"),
        Page("funder reports", "coordinator", "/reports/funder/"),
        Page("audit log", "dpo", "/audit/"),
        Page("users", "admin", "/accounts/users/"),
        Page("programmes", "admin", "/network/programmes/"),
        Page("API GET /accesses", "outreach", "/api/v1/accesses", api=True),
        Page("API GET /outings", "outreach", "/api/v1/outings", api=True),
        Page("API GET /my-work", "case_worker", "/api/v1/my-work", api=True),
        Page("API GET /cases/deadlines", "case_worker", "/api/v1/cases/deadlines", api=True),
        Page("API GET /board", "filtro", "/api/v1/board", api=True),
        Page("API GET /waiting-list", "filtro", "/api/v1/waiting-list", api=True),
        Page("API GET /structures", "filtro", "/api/v1/structures", api=True),
        Page("API GET /audit", "dpo", "/api/v1/audit", api=True),
        Page("API GET /reports/funder", "coordinator", "/api/v1/reports/funder", api=True),
    ]


# --- child -----------------------------------------------------------------------------------------------------------


def world(args, reused: bool) -> tuple[object, dict]:
    """The benchmark programme, built now or kept from an earlier run, and its counts."""
    from django_scopes import scopes_disabled

    from approdi.network.models import Organisation, Programme

    with scopes_disabled():
        if not reused:
            built = summary_scale.build(contacts=args.contacts, people=args.people, seed=args.seed)
            organisations = list(
                Organisation.objects.filter(code__startswith="bench-b-").order_by("code").values_list("pk", flat=True)
            )
            organisations.sort(key=lambda pk: pk != built.programme.lead_organisation_id)  # the lead entity first
            _pages_world.enrich(
                built.programme,
                organisations,
                users=max(40, round(500 * args.people / 100_000)),
                cases=round(args.people / 5),
                seed=args.seed,
            )
        programme = Programme.objects.get(code="BENCH")
        counts = {
            "contacts": programme.contacts.count(),
            "people": programme.people.count(),
            "referrals": programme.referrals.count(),
            "placements": programme.placements.count(),
            "cases": programme.cases.count(),
            "users": programme.memberships.count(),
        }
    return programme, counts


def clients() -> tuple[dict, dict]:
    """Per actor's role: a test client signed in with a confirmed second factor, and an API token."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from approdi.accounts.services import issue_token

    signed_in, tokens = {}, {}
    for role in _pages_world.ACTORS:
        user = get_user_model().objects.get(username=_pages_world.actor_name(role))
        signed_in[role] = verified_client(user, TOTPDevice.objects.get(user=user, confirmed=True))
        tokens[role] = issue_token(user=user, days=1, name="bench")[1]
    return signed_in, tokens


def verified_client(user, device):
    """A test client signed in as ``user`` with ``device`` confirmed as the second factor (tests/builders
    verified_client, on the benchmark's database); its session cookie serves a real HTTP client as well."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def asker(page: Page, signed_in: dict, tokens: dict):
    client = signed_in[page.role]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[page.role]}"} if page.api else {}

    def ask():
        response = client.get(page.path, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{page.label} ({page.role}, {page.path}) answered {response.status_code}, not 200")
        return response

    return ask


def time_pages(all_pages: list[Page], signed_in: dict, tokens: dict, repeat: int, database: str) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asks = [asker(page, signed_in, tokens) for page in all_pages]
    queries = []
    for ask in asks:
        ask()  # warm-up: the session's first save, the caches
        with CaptureQueriesContext(connection) as captured:
            ask()
        queries.append(len(captured.captured_queries))
    cpu: list[list[float]] = [[] for _ in asks]

    def on_cpu(i: int, ask):
        """This process's CPU time as well: on a shared machine it moves less with the load than the clock does
        (with SQLite it includes the database's work; PostgreSQL's server is another process)."""

        def call():
            started = time.process_time()
            ask()
            cpu[i].append((time.process_time() - started) * 1000)

        return call

    times, _last = _harness.rounds([on_cpu(i, ask) for i, ask in enumerate(asks)], repeat)
    rows = []
    for page, spent, used, count in zip(all_pages, times, cpu, queries, strict=True):
        row = {
            "page": page.label,
            "role": page.role,
            "median": _harness.median(spent),
            "p95": _harness.percentile(spent, 95),
            "cpu": _harness.median(used),
            "queries": count,
            "goal": page.goal_ms,
        }
        rows.append(row)
        print(f"{database}, {page.label}: median {row['median']:.1f} ms, p95 {row['p95']:.1f} ms, {count} queries")
    return rows


def throughput(signed_in: dict, seconds: float, database: str) -> list[dict]:
    """Requests/s of the trivial view and of My work and the case list, each beside the same user's trivial view."""
    from django.conf import settings

    def cookie(role: str) -> str:
        return f"{settings.SESSION_COOKIE_NAME}={signed_in[role].cookies[settings.SESSION_COOKIE_NAME].value}"

    rows = []
    with _serve.serving() as port:
        for label, role, path in (("My work", "case_worker", "/cases/my-work/"), ("case list", "filtro", "/cases/")):
            trivial, tool = _serve.rate(port, TRIVIAL_VIEW, cookie(role), seconds)
            page, tool = _serve.rate(port, path, cookie(role), seconds)
            rows.append({"page": label, "role": role, "trivial": trivial, "rate": page, "tool": tool})
            print(f"{database}, {label}: {page:.1f}/s against the trivial view's {trivial:.1f}/s ({tool})", flush=True)
    return rows


def counts_floor(programme, repeat: int, database: str) -> dict:
    """The outreach counts of the benchmark's year (the selector, as the coordinator) beside the fastest of the
    hand-written floors of ``bench/_counts_floor.py`` on the same database; both must give the same figures."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from approdi.accounts.scoping import membership_scope, resolve_membership, visible_organisation_ids
    from approdi.outreach import selectors
    from bench._counts_floor import counts_floor as floor

    user = get_user_model().objects.get(username=_pages_world.actor_name("coordinator"))
    user.active_membership = membership = resolve_membership(user, membership_id=None)
    start, end = date(2024, 12, 1), date(2025, 11, 30)
    organisations = visible_organisation_ids(membership)
    filters = selectors.CountFilters(date_from=start, date_to=end)
    with membership_scope(membership):
        ways = [
            lambda: selectors.counts(actor=user, filters=filters),
            *(
                (lambda kind=kind: floor(programme.pk, organisations, start, end, **kind))
                for kind in ({}, {"grouped": True}, {"combined": True})
            ),
        ]
        times, answers = _harness.rounds(ways, repeat)
    if any(answer != answers[0] for answer in answers[1:]):
        raise SystemExit(f"{database}: a floor of the outreach counts gives other figures than the page's selector")
    page, best = _harness.median(times[0]), min(_harness.median(t) for t in times[1:])
    print(f"{database}, outreach counts of a year: {page:.1f} ms against the floor's {best:.1f} ms", flush=True)
    return {"report": "outreach counts, one year", "ms": page, "floor_ms": best}


def measure(programme, repeat: int, database: str) -> tuple[list[dict], dict]:
    """Every page timed as its user (the case page: the case worker's first active case); the rows and the clients."""
    from django.db.models import Min
    from django_scopes import scopes_disabled

    from approdi.accounts.models import Membership
    from approdi.cases.models import Case
    from approdi.outreach.models import Contact

    with scopes_disabled():
        case_pk = Case.objects.filter(
            programme=programme, case_manager__username=_pages_world.actor_name("case_worker"), status="active"
        ).aggregate(pk=Min("pk"))["pk"]
        outreach = Membership.objects.filter(user__username=_pages_world.actor_name("outreach"), programme=programme)
        last = (
            Contact.objects.filter(programme=programme, organisation_id__in=outreach.values("organisation_id"))
            .order_by("-date", "-id")
            .values_list("date", "pk")[199 * 50 - 1 : 199 * 50]
        )
        position = next((f"{day.isoformat()}.{pk}" for day, pk in last), "")
    signed_in, tokens = clients()
    return time_pages(pages(case_pk, position), signed_in, tokens, repeat, database), signed_in


STATIC_ROOT = _harness.kept("static")  # shared by the runs: collected again only when a file changes


def collect_static() -> None:
    """Outside the embedded mode pages name their files through the manifest of ``collectstatic``, as deployed."""
    manifest = STATIC_ROOT / "staticfiles.json"
    sources = [p for p in (_harness.ROOT / "static").rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"]
    subprocess.run(command, cwd=_harness.ROOT, check=True)


def child(backend: str, args) -> None:
    if backend == "postgresql":
        collect_static()
    _sqlite, database = _harness.setup()
    started = time.perf_counter()
    reused = bool(os.environ.get("REUSED"))
    programme, counts = world(args, reused)
    _harness.analyze()
    load_s = time.perf_counter() - started
    print(f"{database}: {'checked' if reused else 'built'} {counts} in {load_s:.1f} s", flush=True)
    rows, signed_in = measure(programme, args.repeat, database)
    floors = [counts_floor(programme, min(args.repeat, 10), database)]
    rates = throughput(signed_in, args.seconds, database) if args.seconds > 0 else []
    result = {"database": database, "reused": reused, "load_s": load_s, "counts": counts, "floors": floors}
    print(json.dumps({**result, "rows": rows, "throughput": rates}))


# --- parent ----------------------------------------------------------------------------------------------------------


def sizes(args) -> tuple[int, int]:
    contacts, people = SCALES[args.scale]
    return args.contacts or contacts, args.people or people


def report(results: list[dict], args, load_before: str) -> None:
    contacts, people = sizes(args)
    print(
        f"\n# Every page at scale — {contacts:,} contacts, {people:,} people, seed {args.seed}, "
        f"{args.repeat} requests per page after a warm-up, {_harness.machine(load_before)}\n"
    )
    for result in results:
        print(f"## {result['database']}: {result['counts']}\n")
        _harness.table(
            ["page", "as", "median", "p95", "CPU median", "queries", "goal (p95)", "met"],
            (
                [
                    r["page"],
                    r["role"],
                    f"{r['median']:,.1f} ms",
                    f"{r['p95']:,.1f} ms",
                    f"{r['cpu']:,.1f} ms",
                    r["queries"],
                    f"{r['goal']:,.0f} ms",
                    "met" if r["p95"] <= r["goal"] else "missed",
                ]
                for r in result["rows"]
            ),
            "llrrrrrl",
        )
        met = sum(r["p95"] <= r["goal"] for r in result["rows"])
        print(f"\n{met} of {len(result['rows'])} pages meet their goal.\n")
        _harness.table(
            ["report", "median", "hand-written floor (median)", "ratio", "goal ≤ 1.5×"],
            (
                [
                    r["report"],
                    f"{r['ms']:,.1f} ms",
                    f"{r['floor_ms']:,.1f} ms",
                    f"{r['ms'] / r['floor_ms']:.2f}×",
                    "met" if r["ms"] <= 1.5 * r["floor_ms"] else "missed",
                ]
                for r in result["floors"]
            ),
            "lrrrl",
        )
        print("\n(The dashboard's and occupancy's floors: `bench.dashboard_scale`.)\n")
        if result["throughput"]:
            _harness.table(
                ["page", "as", "requests/s", "signed-in trivial view", "ratio", "goal ≥ 50 %"],
                (
                    [
                        r["page"],
                        r["role"],
                        f"{r['rate']:,.1f}",
                        f"{r['trivial']:,.1f}",
                        f"{r['rate'] / r['trivial']:.0%}",
                        "met" if r["rate"] >= RATIO_GOAL * r["trivial"] else "missed",
                    ]
                    for r in result["throughput"]
                ),
                "llrrrl",
            )
            print(f"\nThrough waitress, 8 threads, 8 connections ({result['throughput'][0]['tool']}).\n")
    for result in results:
        what = "reused (built by an earlier run)" if result["reused"] else "built"
        print(f"{result['database']}: {what}, {result['load_s']:.1f} s with ANALYZE")


def parent(args) -> None:
    began = time.perf_counter()
    load_before = _harness.load_average()
    backends = (
        _harness.BACKENDS if args.database == "both" else ("sqlite" if args.database == "sqlite" else "postgresql",)
    )
    contacts, people = sizes(args)
    argv = ["--contacts", str(contacts), "--people", str(people), "--repeat", str(args.repeat)]
    argv += ["--seed", str(args.seed), "--seconds", str(args.seconds)]
    size = args.scale if not (args.contacts or args.people) else f"{contacts}-{people}"
    keep = f"pages-{size}" if args.keep or args.reuse else None
    os.environ["APPRODI_HTTPS"] = "0"  # plain HTTP on 127.0.0.1, as `make run` serves
    os.environ["APPRODI_STATIC_ROOT"] = str(STATIC_ROOT)
    pg_name = f"approdi_bench_pages_{size}".replace("-", "_")
    results = _harness.run_backends("bench.pages", backends, argv, pg_name, keep=keep, reuse=args.reuse)
    rows = IMPORT_ROWS[args.scale] if args.import_rows is None else args.import_rows
    imports = import_scale.measure(list(backends), rows, args.seed) if rows > 0 else []
    report(results, args, load_before)
    if imports:
        print(f"## Imports: a contacts file of {rows:,} rows through the import, beside its floor\n")
        import_scale.report(imports)
    print(f"\nWhole run: {time.perf_counter() - began:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--contacts", type=int, default=0, help="instead of the scale's")
    parser.add_argument("--people", type=int, default=0, help="instead of the scale's")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10, help="each throughput run; 0 skips throughput")
    parser.add_argument("--seed", type=int, default=summary_scale.SEED)
    parser.add_argument("--keep", action="store_true", help="keep the databases for another run (--reuse)")
    parser.add_argument("--reuse", action="store_true", help="time the databases kept by --keep, without rebuilding")
    parser.add_argument("--import-rows", type=int, default=None, help="the import benchmark's rows; 0 skips it")
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    main()

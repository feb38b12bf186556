"""Load held (issue 18, point 7): 50 simulated users across roles against two app processes on PostgreSQL.

    .venv/bin/python -m bench.load [--minutes 10] [--users 50] [--reuse]      (``make load``)

The runner, in a child process on a PostgreSQL database of its own (``bench/_harness.py``; ``--reuse`` keeps it as
``approdi_bench_load`` and reuses it): the benchmark world at tiny scale (``bench.pages.world``), one outing per street
operator, session cookies signed in with a confirmed second factor (``bench.pages.verified_client``) for the users of
each role; then two app processes as the README's production section starts them (its waitress command line,
``tests/production_site.py``) and a worker (``tests/cluster_site.py``), Redis as the shared cache; then Locust
headless for ``--minutes`` against 127.0.0.1 only. The simulated users do real work, each on one of the two processes:

- street operators (weight 20) open their outing and POST a contact to it with the form's CSRF token;
- the Ufficio Filtro (10) works the queue by urgency and opens a referral;
- case workers (15) open My work and one of their cases;
- a coordinator (5) opens the reports dashboard for the programme's last year.

It prints requests, failures, median and p95 per page; it exits non-zero on any failure (or any answer but the one
expected: 200, or the 302 after a recorded contact). Without PostgreSQL or Redis on 127.0.0.1 it says so and exits 0.

The same file is the Locust file: Locust imports it with ``APPRODI_LOAD_PLAN`` naming the plan the runner wrote.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import _harness

REDIS_DB = 12  # the cluster tests use 13
PG_NAME = "approdi_bench_load"
WEIGHTS = {"outreach": 20, "filtro": 10, "case_worker": 15, "coordinator": 5}
# Users per role in the world (tiny scale): enough that the simulated users do not all share one session.
SESSIONS = 8

# --- the simulated users (Locust side) ----------------------------------------------------------------------------

PLAN = os.environ.get("APPRODI_LOAD_PLAN")
if PLAN:
    from locust import HttpUser, between, task

    plan = json.loads(Path(PLAN).read_text())
    _turns = {role: itertools.count() for role in WEIGHTS}

    class Staff(HttpUser):
        """A signed-in member of staff on one of the app processes, as a browser behind the proxy is."""

        abstract = True
        role = ""
        wait_time = between(1, 5)
        host = plan["hosts"][0]

        def on_start(self):
            turn = next(_turns[self.role])
            self.base = plan["hosts"][turn % len(plan["hosts"])]
            self.me = plan["users"][self.role][turn % len(plan["users"][self.role])]
            self.csrf = secrets.token_hex(16)  # a CSRF secret of 32 characters, as the csrftoken cookie holds

        def headers(self, referer: str = "/") -> dict[str, str]:
            return {
                "Cookie": f"{plan['session_cookie']}={self.me['session']}; {plan['csrf_cookie']}={self.csrf}",
                "X-Forwarded-Proto": "https",  # the proxy's header: waitress trusts it from 127.0.0.1
                "Referer": f"https://{self.base.split('//')[1]}{referer}",
            }

        def get(self, path: str, name: str) -> str:
            with self.client.get(
                self.base + path, name=name, headers=self.headers(), allow_redirects=False, catch_response=True
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"{answer.status_code}, not 200")
                return answer.text

    class StreetOperator(Staff):
        role = "outreach"
        weight = WEIGHTS[role]

        @task
        def add_contact(self):
            outing = f"/outreach/outings/{self.me['outing']}/"
            page = self.get(outing, "outing page")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            fields = {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "gender": random.choice(["woman", "man"]),
                "languages": "italiano",
            }
            with self.client.post(
                self.base + outing + "contacts/",
                data=fields,
                name="POST contact to outing",
                headers=self.headers(outing),
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code != 302 or not answer.headers.get("Location", "").endswith(outing):
                    answer.failure(f"{answer.status_code}, not recorded: {answer.text[:300]}")  # back to the outing

    class Filtro(Staff):
        role = "filtro"
        weight = WEIGHTS[role]

        @task
        def work_the_queue(self):
            self.get("/filtro/?order=urgency", "referral queue by urgency")
            referral = random.choice(plan["referrals"])
            self.get(f"/filtro/referrals/{referral}/", "referral")

    class CaseWorker(Staff):
        role = "case_worker"
        weight = WEIGHTS[role]

        @task
        def my_work(self):
            self.get("/cases/my-work/", "My work")
            self.get(f"/cases/{random.choice(self.me['cases'])}/", "case page")

    class Coordinator(Staff):
        role = "coordinator"
        weight = WEIGHTS[role]

        @task
        def dashboard(self):
            self.get(f"/reports/?{plan['year']}", "reports dashboard, one year")


# --- child: the world, the processes, Locust -------------------------------------------------------------------------


def users(role: str, programme) -> list[dict]:
    """Up to ``SESSIONS`` users of ``role``: a session each, and what their work needs (an outing, their cases)."""
    from datetime import date

    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    from approdi.accounts.models import Membership
    from approdi.cases.models import Case
    from approdi.outreach import services
    from bench.pages import verified_client

    found = []
    with scopes_disabled():
        memberships = Membership.objects.filter(programme=programme, role=role).select_related("user", "organisation")
        for membership in memberships.order_by("user__username")[:SESSIONS]:
            user = membership.user
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="load", confirmed=True)
            client = verified_client(user, device)
            me = {"username": user.username, "session": client.cookies[_session_cookie()].value}
            if role == "outreach":
                user.active_membership = membership
                outing = services.create_outing(
                    actor=user,
                    team="Unità load",
                    date=date.today(),
                    shift="night",
                    area=programme.areas.order_by("pk").first(),
                )
                me["outing"] = outing.pk
            if role == "case_worker":
                cases = Case.objects.filter(programme=programme, case_manager=user).order_by("pk")
                me["cases"] = list(cases.values_list("pk", flat=True)[:20])
                if not me["cases"]:
                    continue
            found.append(me)
    if not found:
        raise SystemExit(f"the world has no {role} to act as")
    return found


def running(programme) -> None:
    """The benchmark programme ended in 2025: here it runs on for a year from today, so that street operators may
    record tonight's contacts (this database is the load test's own)."""
    from datetime import date, timedelta

    from approdi.network.models import Programme

    Programme.objects.filter(pk=programme.pk).update(end=date.today() + timedelta(days=365))
    programme.refresh_from_db()


def _session_cookie() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


def write_plan(programme, hosts: list[str], path: Path) -> None:
    from django.conf import settings
    from django_scopes import scopes_disabled

    from bench.pages import YEAR

    with scopes_disabled():
        referrals = list(programme.referrals.order_by("-pk").values_list("pk", flat=True)[:200])
    plan = {
        "hosts": hosts,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "year": YEAR,
        "referrals": referrals,
        "users": {role: users(role, programme) for role in WEIGHTS},
    }
    path.write_text(json.dumps(plan))


def run_locust(plan: Path, hosts: list[str], args, directory: Path) -> list[dict]:
    """Locust headless for ``args.minutes``; its per-page rows (the aggregated row last)."""
    prefix = directory / "locust"
    command = [
        sys.executable, "-m", "locust", "-f", __file__, "--headless", "--only-summary",
        "-u", str(args.users), "-r", str(max(1, args.users // 10)), "--run-time", f"{round(args.minutes * 60)}s",
        "--host", hosts[0], "--csv", str(prefix), "--stop-timeout", "30",
    ]  # fmt: skip
    env = os.environ | {"APPRODI_LOAD_PLAN": str(plan), "PYTHONPATH": str(_harness.ROOT)}
    subprocess.run(command, cwd=_harness.ROOT, env=env, stdout=sys.stderr, check=False)
    with open(f"{prefix}_stats.csv", newline="") as stream:
        return [
            {
                "page": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "rate": float(row["Requests/s"] or 0),
            }
            for row in csv.DictReader(stream)
        ]


def child(backend: str, args) -> None:
    from bench import pages

    pages.collect_static()
    _harness.setup()
    from tests.cluster_site import start_worker  # they need Django set up
    from tests.production_site import start_waitress

    args.contacts, args.people = pages.SCALES["tiny"]
    programme, counts = pages.world(args, bool(os.environ.get("REUSED")))
    running(programme)
    _harness.analyze()
    print(f"world: {counts}", file=sys.stderr, flush=True)
    directory = Path(tempfile.mkdtemp(prefix="approdi-load-"))
    env = os.environ | {"APPRODI_VAR_DIR": os.environ.get("APPRODI_VAR_DIR") or str(directory / "var")}
    stops = []
    try:
        hosts = []
        for _ in range(2):
            process, url = start_waitress(env)
            stops.append(process)
            hosts.append(url)
        stops.append(start_worker(env, "load-worker"))
        plan = directory / "plan.json"
        write_plan(programme, hosts, plan)
        load_before = _harness.load_average()
        rows = run_locust(plan, hosts, args, directory)
        result = {"rows": rows, "counts": counts, "machine": _harness.machine(load_before)}
    finally:
        for process in stops:
            process.terminate()
            process.wait(30)
    print(json.dumps(result))


# --- parent ----------------------------------------------------------------------------------------------------------


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def parent(args) -> None:
    if not (reachable(5432) and reachable(6379)):
        print("load test skipped: it needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379")
        return
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "APPRODI_STATIC_ROOT": str(_harness.kept("static")),
        }
    )
    argv = ["--minutes", str(args.minutes), "--users", str(args.users), "--seed", str(args.seed)]
    keep = "load" if args.reuse else None
    name = PG_NAME if args.reuse else f"{PG_NAME}_{os.getpid()}"  # a throwaway leaves the kept one alone
    [result] = _harness.run_backends("bench.load", ["postgresql"], argv, name, keep=keep, reuse=args.reuse)
    rows = result["rows"]
    print(
        f"\n# Load held — {args.users} users for {args.minutes:g} min, two app processes and a worker on "
        f"PostgreSQL, world {result['counts']}, {result['machine']}\n"
    )
    _harness.table(
        ["page", "requests", "failures", "median", "p95", "requests/s"],
        ([r["page"], r["requests"], r["failures"], f"{r['median']:,.0f} ms", f"{r['p95']:,.0f} ms",
          f"{r['rate']:,.1f}"] for r in rows),
        "lrrrrr",
    )  # fmt: skip
    failures = sum(r["failures"] for r in rows if r["page"] != "Aggregated")
    print(f"\n{failures} errors")
    if failures or not rows:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    from bench import summary_scale

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=summary_scale.SEED)
    parser.add_argument("--reuse", action="store_true", help="keep the world's database and reuse it next time")
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    main()

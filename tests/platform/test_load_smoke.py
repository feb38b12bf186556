"""`make load` cannot rot: bench/load.py for a few seconds with 5 simulated users, on a PostgreSQL database of its
own with two app processes, a worker and Redis, as CI's two-minute run and the ten-minute one start it."""

import os
import subprocess
import sys

import pytest

from tests.cluster_site import reachable
from tests.production_site import ROOT

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(
        not (
            os.environ.get("DATABASE_URL", "").startswith("postgres")
            and reachable("127.0.0.1", 5432)
            and reachable("127.0.0.1", 6379)
        ),
        reason="runs on the PostgreSQL pass, with Redis at 127.0.0.1:6379",
    ),
]


def test_every_role_works_through_both_processes_without_an_error():
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--minutes", "0.15", "--users", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout
    for page in ("POST contact to outing", "referral queue by urgency", "My work", "case page"):
        assert f"| {page} |" in table, table
    assert "\n0 errors" in table, table

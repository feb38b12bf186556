"""`make bench` cannot rot: bench/pages.py builds its world at a tiny size on the suite's own database (SQLite, or
PostgreSQL when DATABASE_URL names it), asks every page and API list as its user (each must answer 200) and prints
its table. The throughput part runs waitress on a database of its own: .ci/run smokes the whole command."""

from argparse import Namespace

import pytest

from bench import pages

pytestmark = pytest.mark.django_db

TINY = Namespace(scale="tiny", contacts=2_000, people=200, seed=7, repeat=1)


def test_every_page_of_the_benchmark_answers_as_its_user_and_is_reported(capsys):
    programme, counts = pages.world(TINY, reused=False)
    assert counts["contacts"] == 2_000 and counts["people"] == 200
    assert counts["cases"] == 40 and counts["users"] >= 30

    rows, _signed_in = pages.measure(programme, TINY.repeat, "test")  # raises on any answer but 200

    assert [row["page"] for row in rows] == [page.label for page in pages.pages(0)]
    assert all(row["queries"] > 0 and row["p95"] >= row["median"] > 0 for row in rows)
    floors = [pages.counts_floor(programme, 1, "test")]  # raises if a floor's figures differ from the page's
    pages.report(
        [
            {
                "database": "test",
                "reused": False,
                "load_s": 0.0,
                "counts": counts,
                "rows": rows,
                "floors": floors,
                "throughput": [],
            }
        ],
        TINY,
        "0.0",
    )
    printed = capsys.readouterr().out
    assert "| reports dashboard, one year | coordinator |" in printed
    assert f"of {len(rows)} pages meet their goal" in printed
    assert "| outreach counts, one year |" in printed and "hand-written floor" in printed


def test_the_import_benchmark_measures_a_small_file_and_prints_its_ratio_beside_the_goal(capsys):
    """`make bench` prints the import's ratio to its floor too (bench/import_scale.py, at a few rows here)."""
    import random

    from django.db import connection

    from bench import _world, import_scale

    world = _world.network(
        start=import_scale.START, end=import_scale.END, partners=2, areas=2, code="IMP", prefix="imp"
    )
    sqlite = connection.vendor == "sqlite"
    size = import_scale.one_size(random.Random(7), 40, world, sqlite, "test")  # raises unless both wrote 40 rows

    assert size["rows"] == 40 and size["import"]["s"] > 0 and size["floor"]["s"] > 0
    import_scale.report([{"backend": "test", "sizes": [size]}])
    printed = capsys.readouterr().out
    assert "Goal: import ≤ 2× the floor and ≤ 30 s" in printed
    assert "| test | 40 |" in printed

"""After migrations, a SQLite database analysed before is analysed again, so that its planner knows the new
indexes (a database with statistics for the old indexes only kept the old plans: 1.3–1.6 s for the queue and the API
lists at national scale). One that was never analysed is left to SQLite's defaults, which pick the new indexes."""

import pytest
from django.db import connection

from approdi.core.apps import analyze_after_migrations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statistics (PostgreSQL keeps its own per table, refreshed by autovacuum)")


def statistics_of(index: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = %s", [index])
        return cursor.fetchall()


def test_a_database_analysed_before_learns_the_new_indexes_after_migrations(network):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # An index of a table with rows (an empty table's indexes get no statistics), as before it existed:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'network_organisation' AND idx IS NOT NULL")
        index = cursor.fetchone()[0]
        cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = %s", [index])
    assert statistics_of(index) == []

    analyze_after_migrations(sender=None, using="default", plan=[])  # nothing migrated: nothing done
    assert statistics_of(index) == []

    analyze_after_migrations(sender=None, using="default", plan=[("outreach", "0016_list_indexes")])
    assert statistics_of(index) != []


def test_a_database_never_analysed_is_left_to_the_defaults(network):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("DROP TABLE sqlite_stat1")
    analyze_after_migrations(sender=None, using="default", plan=[("outreach", "0016_list_indexes")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None

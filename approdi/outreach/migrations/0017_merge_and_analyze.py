"""Joins the two index migrations of 6 December (0016), and lets SQLite's planner know the new indexes.

A SQLite database analysed before (``sqlite_stat1`` exists, as after ``manage.py`` or a benchmark ran ANALYZE)
has statistics for the old indexes and none for the new ones: its planner then kept the old plans, reading every
contact of a partner for the queue by urgency and the API lists (1.3–1.6 s at national scale). ANALYZE of the two
tables gives the new indexes theirs. A database never analysed plans by its defaults, which pick the new indexes;
PostgreSQL keeps its statistics per table, and autovacuum refreshes them.
"""

from django.db import migrations

TABLES = ("outreach_contact", "outreach_referral")


def analyze(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        for table in TABLES:
            cursor.execute(f'ANALYZE "{table}"')


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0016_counting_index_covers_people"),
        ("outreach", "0016_list_indexes"),
    ]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]

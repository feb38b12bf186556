"""Joins the two index migrations of 6 December (0016). (A SQLite database analysed before is analysed again after
any migration: ``approdi.core.apps.analyze_after_migrations``.)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0016_counting_index_covers_people"),
        ("outreach", "0016_list_indexes"),
    ]

    operations = []

"""Whether an edition's dashboard breaks figures down by employment sector and target group (the labour desk).

On SQLite the new column rebuilds ``network_programme``, which the membership triggers read: they are dropped for
the rebuild and created again after it, as in 0005 (PostgreSQL alters the table in place).
"""

import importlib

from django.db import migrations, models

EDITION = importlib.import_module("approdi.network.migrations.0005_edition_call_and_co_funding_lines")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_programme_night_entry_hours"),
        ("accounts", "0003_membership_firewall_trigger"),
    ]

    operations = [
        migrations.RunPython(EDITION.drop_sqlite_triggers, EDITION.create_sqlite_triggers),
        migrations.AddField(
            model_name="programme",
            name="labour_breakdown",
            field=models.BooleanField(
                default=False,
                verbose_name="figures by employment sector and target group (labour-exploitation desk)",
            ),
        ),
        migrations.RunPython(EDITION.create_sqlite_triggers, EDITION.drop_sqlite_triggers),
    ]

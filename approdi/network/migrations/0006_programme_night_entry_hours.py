"""How many hours the Ufficio Filtro has to regularise a night emergency entry (approdi/shelter/night.py).

On SQLite the new column rebuilds ``network_programme``, which the membership triggers read: they are dropped for
the rebuild and created again after it, as in 0005 (PostgreSQL alters the table in place).
"""

import importlib

import django.core.validators
from django.db import migrations, models

EDITION = importlib.import_module("approdi.network.migrations.0005_edition_call_and_co_funding_lines")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_edition_call_and_co_funding_lines"),
        ("accounts", "0003_membership_firewall_trigger"),
    ]

    operations = [
        migrations.RunPython(EDITION.drop_sqlite_triggers, EDITION.create_sqlite_triggers),
        migrations.AddField(
            model_name="programme",
            name="night_entry_hours",
            field=models.PositiveSmallIntegerField(
                default=72,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(720),
                ],
                verbose_name="hours to regularise a night emergency entry",
            ),
        ),
        migrations.RunPython(EDITION.create_sqlite_triggers, EDITION.drop_sqlite_triggers),
    ]

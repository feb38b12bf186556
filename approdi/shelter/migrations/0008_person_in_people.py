"""Requests and placements point at people.Person: the same table, so only the state changes (see people 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shelter", "0007_structure_ages_admitted"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="placementrequest",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placement_requests",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="placement",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="placements", to="people.person"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

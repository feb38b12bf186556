"""A case's person is now people.Person: the same table, so only the state changes (see people 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_encrypt_free_text"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="cases", to="people.person"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

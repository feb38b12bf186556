"""An edition's call for proposals, budgets that cannot be negative, and co-funding lines (money or in kind).

On SQLite the new constraints rebuild ``network_programme``, which the membership triggers read: they are
dropped for the rebuild and created again after it (PostgreSQL alters the table in place).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

FIREWALL = importlib.import_module("approdi.accounts.migrations.0003_membership_firewall_trigger")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in FIREWALL.SQLITE:
            schema_editor.execute("DROP TRIGGER IF EXISTS " + name)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, body in FIREWALL.SQLITE.items():
            schema_editor.execute("CREATE TRIGGER " + name + " " + body)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_merge_enforcement_and_partnership"),
        ("accounts", "0003_membership_firewall_trigger"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.CreateModel(
            name="CoFunding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("contributor", models.CharField(max_length=200, verbose_name="contributor")),
                (
                    "kind",
                    models.CharField(
                        choices=[("money", "Money"), ("in_kind", "In kind")], max_length=10, verbose_name="kind"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount (EUR)")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
            ],
            options={
                "verbose_name": "co-funding line",
                "verbose_name_plural": "co-funding lines",
                "ordering": ["contributor", "pk"],
            },
        ),
        migrations.AddField(
            model_name="programme",
            name="call",
            field=models.CharField(blank=True, max_length=200, verbose_name="call for proposals"),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(("budget__isnull", True), ("budget__gte", 0), _connector="OR"),
                name="programme_budget_not_negative",
                violation_error_message="A budget cannot be negative.",
            ),
        ),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.CheckConstraint(
                condition=models.Q(("co_funding__isnull", True), ("co_funding__gte", 0), _connector="OR"),
                name="programme_co_funding_not_negative",
                violation_error_message="Co-funding cannot be negative.",
            ),
        ),
        migrations.AddField(
            model_name="cofunding",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="co_funding_lines", to="network.programme"
            ),
        ),
        migrations.AddConstraint(
            model_name="cofunding",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gte", 0)),
                name="co_funding_amount_not_negative",
                violation_error_message="Co-funding cannot be negative.",
            ),
        ),
        migrations.AddConstraint(
            model_name="cofunding",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["money", "in_kind"])),
                name="co_funding_kind_valid",
                violation_error_message="Choose money or in kind.",
            ),
        ),
        migrations.AddConstraint(
            model_name="cofunding",
            constraint=models.CheckConstraint(
                condition=models.Q(("contributor", ""), _negated=True),
                name="co_funding_has_contributor",
                violation_error_message="Name who contributes.",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]

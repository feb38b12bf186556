import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartnerBudget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "budget",
                    models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="budget (EUR)"),
                ),
                (
                    "co_funding",
                    models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="co-funding (EUR)"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="budgets",
                        to="network.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partner_budgets",
                        to="network.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner budget",
                "verbose_name_plural": "partner budgets",
                "ordering": ["organisation__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "organisation"),
                        name="one_budget_per_partner",
                        violation_error_message="This organisation has a budget in this programme already.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("budget__gte", 0)),
                        name="partner_budget_not_negative",
                        violation_error_message="A budget cannot be negative.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("co_funding__gte", 0)),
                        name="partner_co_funding_not_negative",
                        violation_error_message="Co-funding cannot be negative.",
                    ),
                ],
            },
        ),
    ]

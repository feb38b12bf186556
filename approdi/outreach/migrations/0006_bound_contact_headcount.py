"""A contact stands for 1 to 500 people (DESIGN.md §9): validators and a database check.

Rows already above 500 are not changed silently (any figure picked for them would be invented): the
migration stops and names them, to be corrected before it runs again. Going back only drops the bound.
"""

import django.core.validators
from django.db import migrations, models


def refuse_contacts_above_the_bound(apps, schema_editor):
    Contact = apps.get_model("outreach", "Contact")
    over = list(Contact.objects.filter(headcount__gt=500).values_list("pk", "headcount")[:20])
    if over:
        listed = ", ".join(f"contact {pk}: {headcount}" for pk, headcount in over)
        raise RuntimeError(
            f"Contacts count more than 500 people ({listed}): correct their headcount, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0005_encrypt_outing_notes"),
    ]

    operations = [
        migrations.RunPython(refuse_contacts_above_the_bound, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="contact",
            name="contact_headcount_positive",
        ),
        migrations.AlterField(
            model_name="contact",
            name="headcount",
            field=models.PositiveIntegerField(
                default=1,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(500),
                ],
                verbose_name="people",
            ),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=models.Q(("headcount__gte", 1), ("headcount__lte", 500)),
                name="contact_headcount_in_range",
                violation_error_message="A contact counts from 1 to 500 people.",
            ),
        ),
    ]

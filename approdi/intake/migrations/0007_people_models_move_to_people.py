"""Intake's people now live in people (0001 there): its own foreign keys follow, then it forgets the models.

State only, as in people 0001: the tables stay where they are. The models are forgotten after every
other app has re-pointed its foreign keys (the dependencies below).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_merge_0005_encrypt_free_text_0005_whole_name_keys"),
        ("people", "0001_initial"),
        ("outreach", "0007_referral_person_in_people"),
        ("shelter", "0008_person_in_people"),
        ("cases", "0005_person_in_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="screening",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="screenings", to="people.person"
                    ),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="assessments", to="people.person"
                    ),
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="decisions", to="people.person"
                    ),
                ),
                migrations.AlterField(
                    model_name="caseconference",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="conferences", to="people.person"
                    ),
                ),
                migrations.DeleteModel(name="ProgrammeRecord"),
                migrations.DeleteModel(name="Consent"),
                migrations.DeleteModel(name="PersonKey"),
                migrations.DeleteModel(name="Person"),
            ],
            database_operations=[],
        ),
    ]

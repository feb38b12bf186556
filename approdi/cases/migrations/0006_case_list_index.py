from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_person_in_people")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["programme", "status", "-start", "-id"], name="case_list"),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["programme", "created_at", "id"], name="person_list"),
        ),
    ]

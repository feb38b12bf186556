from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0007_referral_person_in_people")]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["programme", "organisation", "date", "id"], name="contact_list"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["programme", "urgency", "date", "id"], name="referral_queue_urgency"),
        ),
    ]

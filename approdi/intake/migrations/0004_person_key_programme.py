from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_programme(apps, schema_editor):
    PersonKey = apps.get_model("intake", "PersonKey")
    Person = apps.get_model("intake", "Person")
    PersonKey.objects.update(programme_id=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("programme_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_caseconference_followupaction_programmerecord"), ("network", "0001_initial")]

    operations = [
        migrations.AddField("person", "birth_index", models.CharField(blank=True, max_length=64)),
        migrations.RemoveConstraint("personkey", "person_key_once"),
        migrations.AlterField("personkey", "key", models.CharField(max_length=64)),
        migrations.AddField("personkey", "programme", models.ForeignKey(
            null=True, on_delete=models.deletion.CASCADE, related_name="+", to="network.programme")),
        migrations.RunPython(copy_programme, migrations.RunPython.noop),
        migrations.AlterField("personkey", "programme", models.ForeignKey(
            on_delete=models.deletion.CASCADE, related_name="+", to="network.programme")),
        migrations.AddConstraint("personkey", models.UniqueConstraint(fields=("key", "person"), name="person_key_once")),
    ]

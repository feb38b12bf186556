"""The duplicate check's indexes, and the family-name typo keys (identity.family_typo_keys) of the people recorded
before them, so that a family name typed with one letter wrong finds them too."""

from django.db import migrations, models


def add_family_typo_keys(apps, schema_editor):
    from django_scopes import scopes_disabled

    from approdi.people.identity import family_typo_keys

    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    with scopes_disabled():  # every programme's people
        people = Person.objects.only("id", "programme_id", "family_name")
        for person in people.iterator(chunk_size=2_000):
            keys = family_typo_keys(person.family_name)
            PersonKey.objects.bulk_create(
                [PersonKey(person_id=person.pk, programme_id=person.programme_id, key=k) for k in sorted(keys)],
                ignore_conflicts=True,
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["programme", "birth_index"], name="person_birth_day"),
        ),
        migrations.AddIndex(
            model_name="personkey",
            index=models.Index(fields=["key", "programme", "person"], name="person_key_holders"),
        ),
        migrations.RunPython(add_family_typo_keys, migrations.RunPython.noop),
    ]

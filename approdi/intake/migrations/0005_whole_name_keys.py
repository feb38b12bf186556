"""Whole-name keys (identity.whole_name_key) for the people recorded before them, so that the duplicate
check finds them by an alias searched as it is."""

from django.db import migrations


def add_whole_name_keys(apps, schema_editor):
    from django_scopes import scopes_disabled

    from approdi.people.identity import aliases_of, whole_name_keys

    Person = apps.get_model("intake", "Person")
    PersonKey = apps.get_model("intake", "PersonKey")
    with scopes_disabled():  # every programme's people
        people = Person.objects.only("id", "programme_id", "given_name", "family_name", "aliases")
        for person in people.iterator():
            keys = whole_name_keys(person.given_name, person.family_name, aliases_of(person.aliases))
            PersonKey.objects.bulk_create(
                [PersonKey(person_id=person.pk, programme_id=person.programme_id, key=k) for k in sorted(keys)],
                ignore_conflicts=True,
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_person_key_programme")]

    operations = [migrations.RunPython(add_whole_name_keys, migrations.RunPython.noop)]

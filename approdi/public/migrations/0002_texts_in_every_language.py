"""The public site's first texts, in all its languages (approdi/public/starting_texts.py)."""

from django.db import migrations


def add_texts(apps, schema_editor):
    from approdi.public.starting_texts import add_missing_texts

    add_missing_texts(apps.get_model("public", "PublicText"))


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(add_texts, migrations.RunPython.noop)]

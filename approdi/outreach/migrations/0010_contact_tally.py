"""The monthly contact tally, its triggers on outreach_contact, and its first count (approdi/outreach/tally.py)."""

import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from approdi.outreach import tally

    tally.create_triggers(schema_editor.execute, schema_editor.connection.vendor)
    schema_editor.execute(tally.rebuild_sql(schema_editor.connection.vendor))


def uninstall(apps, schema_editor):
    from approdi.outreach import tally

    tally.drop_triggers(schema_editor.execute, schema_editor.connection.vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0005_edition_call_and_co_funding_lines'),
        ('outreach', '0009_merge_list_and_counting_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('channel', models.CharField(choices=[('street', 'Street unit'), ('indoor', 'Indoor'), ('drop_in', 'Drop-in / desk')], max_length=10)),
                ('dimension', models.CharField(choices=[('area', 'Area'), ('exploitation', 'Exploitation'), ('nationality', 'Nationality'), ('gender', 'Gender')], max_length=12)),
                ('value', models.CharField(blank=True, max_length=20)),
                ('contacts', models.BigIntegerField()),
                ('records', models.BigIntegerField()),
                ('organisation', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.organisation')),
                ('programme', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.programme')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('records', 0)), fields=['records'], name='contact_tally_empty')],
                'constraints': [models.UniqueConstraint(fields=('programme', 'month', 'organisation', 'channel', 'dimension', 'value'), name='contact_tally_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]

"""The labour desk's employment sector and target group on a desk access (seed 002).

On SQLite the new constraints rebuild ``outreach_contact``, which drops the tally's triggers: they are dropped before
and created again after (approdi/outreach/tally.py; PostgreSQL alters the table in place).
"""

from django.conf import settings
from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from approdi.outreach import tally

    tally.drop_triggers(schema_editor.execute, schema_editor.connection.vendor)


def create_triggers(apps, schema_editor):
    from approdi.outreach import tally

    tally.create_triggers(schema_editor.execute, schema_editor.connection.vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0007_labour_desk'),
        ('outreach', '0012_sync_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name='contact',
            name='sector',
            field=models.CharField(blank=True, choices=[('construction', 'Construction'), ('restaurants', 'Restaurants'), ('hotels', 'Hotels'), ('logistics', 'Logistics'), ('agriculture', 'Agriculture'), ('domestic_work', 'Domestic work'), ('other', 'Other')], max_length=20, verbose_name='employment sector'),
        ),
        migrations.AddField(
            model_name='contact',
            name='target_group',
            field=models.CharField(blank=True, choices=[('foreign_regular', 'Foreign national, regularly present'), ('foreign_irregular', 'Foreign national, irregularly present'), ('young_person', 'Young person'), ('woman', 'Woman'), ('other', 'Other')], max_length=20, verbose_name='target group'),
        ),
        migrations.AddConstraint(
            model_name='contact',
            constraint=models.CheckConstraint(condition=models.Q(('sector__in', ['construction', 'restaurants', 'hotels', 'logistics', 'agriculture', 'domestic_work', 'other']), ('sector', ''), _connector='OR'), name='contact_sector_valid'),
        ),
        migrations.AddConstraint(
            model_name='contact',
            constraint=models.CheckConstraint(condition=models.Q(('target_group__in', ['foreign_regular', 'foreign_irregular', 'young_person', 'woman', 'other']), ('target_group', ''), _connector='OR'), name='contact_target_group_valid'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

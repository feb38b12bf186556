"""People move out of intake with their tables: the models enter people's state, nothing touches the database.

The tables keep their names (``intake_person``…, see the models' ``db_table``). Every operation on the
schema is state-only: a real AlterField on SQLite rebuilds a table and would drop the triggers other
migrations put on it. ``intake`` 0007 re-points its own foreign keys and forgets the models; outreach,
shelter and cases re-point theirs in between. The content types (and with them the permissions that
point at them) are renamed, so that nothing recorded against them is left behind.
"""

import approdi.core.crypto
import django.db.models.deletion
import django_countries.fields
from django.conf import settings
from django.db import migrations, models

MOVED = ("person", "personkey", "consent", "programmerecord")


def _rename_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_people(apps, schema_editor):
    _rename_content_types(apps, schema_editor, source="intake", target="people")


def content_types_to_intake(apps, schema_editor):
    _rename_content_types(apps, schema_editor, source="people", target="intake")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('intake', '0006_merge_0005_encrypt_free_text_0005_whole_name_keys'),
        ('network', '0005_edition_call_and_co_funding_lines'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        (
                            'id',
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name='ID'
                            ),
                        ),
                        ('code', models.CharField(db_index=True, max_length=20, verbose_name='person code')),
                        ('given_name', approdi.core.crypto.EncryptedTextField(blank=True, verbose_name='given name')),
                        ('family_name', approdi.core.crypto.EncryptedTextField(blank=True, verbose_name='family name')),
                        (
                            'aliases',
                            approdi.core.crypto.EncryptedTextField(
                                blank=True, help_text='One per line.', verbose_name='aliases'
                            ),
                        ),
                        (
                            'birth_date',
                            approdi.core.crypto.EncryptedDateField(blank=True, null=True, verbose_name='birth date'),
                        ),
                        ('birth_place', approdi.core.crypto.EncryptedTextField(blank=True, verbose_name='birth place')),
                        ('phone', approdi.core.crypto.EncryptedTextField(blank=True, verbose_name='phone')),
                        (
                            'documents',
                            approdi.core.crypto.EncryptedTextField(
                                blank=True, help_text='Type and number, one per line.', verbose_name='documents'
                            ),
                        ),
                        (
                            'nationality',
                            django_countries.fields.CountryField(blank=True, max_length=2, verbose_name='nationality'),
                        ),
                        ('languages', models.CharField(blank=True, max_length=100, verbose_name='languages')),
                        (
                            'gender',
                            models.CharField(
                                blank=True,
                                choices=[
                                    ('woman', 'Woman'),
                                    ('man', 'Man'),
                                    ('trans_woman', 'Trans woman'),
                                    ('trans_man', 'Trans man'),
                                    ('non_binary', 'Non-binary'),
                                    ('unknown', 'Unknown'),
                                ],
                                max_length=12,
                                verbose_name='gender',
                            ),
                        ),
                        ('is_minor', models.BooleanField(default=False, verbose_name='minor')),
                        ('identity_index', models.CharField(blank=True, db_index=True, max_length=64)),
                        ('birth_index', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        (
                            'created_by',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name='+',
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            'organisation',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name='people',
                                to='network.organisation',
                                verbose_name='registered by',
                            ),
                        ),
                        (
                            'programme',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name='people',
                                to='network.programme',
                            ),
                        ),
                    ],
                    options={
                        'verbose_name': 'person',
                        'verbose_name_plural': 'people',
                        'db_table': 'intake_person',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        (
                            'id',
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name='ID'
                            ),
                        ),
                        (
                            'purpose',
                            models.CharField(
                                choices=[
                                    ('services', 'Receiving services'),
                                    ('network_sharing', 'Sharing with other organisations of the network'),
                                    ('national_network', 'Transfer to the national anti-trafficking network'),
                                    ('statistics', 'Anonymised statistics'),
                                ],
                                max_length=20,
                                verbose_name='purpose',
                            ),
                        ),
                        ('granted', models.BooleanField(verbose_name='granted')),
                        ('date', models.DateField(verbose_name='date')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        (
                            'recorded_by',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name='+',
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            'person',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='people.person'
                            ),
                        ),
                    ],
                    options={
                        'verbose_name': 'consent',
                        'verbose_name_plural': 'consents',
                        'db_table': 'intake_consent',
                        'ordering': ['-date', '-recorded_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PersonKey',
                    fields=[
                        (
                            'id',
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name='ID'
                            ),
                        ),
                        ('key', models.CharField(max_length=64)),
                        (
                            'person',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name='keys', to='people.person'
                            ),
                        ),
                        (
                            'programme',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name='+', to='network.programme'
                            ),
                        ),
                    ],
                    options={
                        'db_table': 'intake_personkey',
                    },
                ),
                migrations.CreateModel(
                    name='ProgrammeRecord',
                    fields=[
                        (
                            'id',
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name='ID'
                            ),
                        ),
                        (
                            'kind',
                            models.CharField(
                                choices=[('entry', 'Entry'), ('exit', 'Exit')], max_length=5, verbose_name='record'
                            ),
                        ),
                        ('date', models.DateField(verbose_name='date')),
                        ('outcome', models.CharField(blank=True, max_length=30, verbose_name='outcome')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        (
                            'created_by',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name='+',
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            'decision',
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name='+',
                                to='intake.decision',
                            ),
                        ),
                        (
                            'person',
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name='programme_records',
                                to='people.person',
                            ),
                        ),
                    ],
                    options={
                        'db_table': 'intake_programmerecord',
                        'ordering': ['date', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='person',
                    constraint=models.UniqueConstraint(
                        fields=('programme', 'code'), name='person_code_once_per_programme'
                    ),
                ),
                migrations.AddConstraint(
                    model_name='consent',
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ('purpose__in', ['services', 'network_sharing', 'national_network', 'statistics'])
                        ),
                        name='consent_purpose_valid',
                    ),
                ),
                migrations.AddConstraint(
                    model_name='personkey',
                    constraint=models.UniqueConstraint(fields=('key', 'person'), name='person_key_once'),
                ),
                migrations.AddConstraint(
                    model_name='programmerecord',
                    constraint=models.CheckConstraint(
                        condition=models.Q(('kind__in', ['entry', 'exit'])), name='record_kind_valid'
                    ),
                ),
                migrations.AddConstraint(
                    model_name='programmerecord',
                    constraint=models.UniqueConstraint(
                        fields=('person', 'kind'), name='one_entry_and_one_exit_per_person'
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_people, content_types_to_intake),
    ]

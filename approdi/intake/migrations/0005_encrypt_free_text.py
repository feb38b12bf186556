"""Free text about a person's life stored encrypted: the columns become ciphertext and the rows already there
are encrypted (going back decrypts them first)."""

import approdi.core.crypto
from approdi.core.crypto import encrypt_columns
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_person_key_programme"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseconference",
            name="other_participants",
            field=approdi.core.crypto.EncryptedTextField(
                blank=True,
                help_text="Names and bodies of people without an account, one per line.",
                verbose_name="other participants",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="reason",
            field=approdi.core.crypto.EncryptedTextField(verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="followupaction",
            name="description",
            field=approdi.core.crypto.EncryptedTextField(max_length=300, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="screening",
            name="explanation",
            field=approdi.core.crypto.EncryptedTextField(verbose_name="explanation"),
        ),
        encrypt_columns("intake_caseconference", "other_participants"),
        encrypt_columns("intake_decision", "reason"),
        encrypt_columns("intake_followupaction", "description"),
        encrypt_columns("intake_screening", "explanation"),
    ]

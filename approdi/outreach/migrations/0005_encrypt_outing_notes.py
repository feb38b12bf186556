"""Free text about a person's life stored encrypted: the columns become ciphertext and the rows already there
are encrypted (going back decrypts them first)."""

import approdi.core.crypto
from approdi.core.crypto import encrypt_columns
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_summary_covering_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outing",
            name="notes",
            field=approdi.core.crypto.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        encrypt_columns("outreach_outing", "notes"),
    ]

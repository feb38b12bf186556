"""Free text about a person's life stored encrypted: the columns become ciphertext and the rows already there
are encrypted (going back decrypts them first)."""

import approdi.core.crypto
from approdi.core.crypto import encrypt_columns
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_paths"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="certificate",
            field=approdi.core.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="certificate obtained"
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="paid_by",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=200, verbose_name="paid by"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="provider",
            field=approdi.core.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="provider or employer"
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="sector",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=100, verbose_name="sector"),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="place",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=200, verbose_name="where"),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="title",
            field=approdi.core.crypto.EncryptedTextField(max_length=200, verbose_name="what"),
        ),
        migrations.AlterField(
            model_name="goal",
            name="description",
            field=approdi.core.crypto.EncryptedTextField(max_length=300, verbose_name="goal"),
        ),
        migrations.AlterField(
            model_name="goalprogress",
            name="note",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=500, verbose_name="progress"),
        ),
        migrations.AlterField(
            model_name="hearing",
            name="note",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=300, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="hearing",
            name="place",
            field=approdi.core.crypto.EncryptedTextField(max_length=200, verbose_name="where"),
        ),
        migrations.AlterField(
            model_name="legalmatter",
            name="authority",
            field=approdi.core.crypto.EncryptedTextField(max_length=200, verbose_name="authority"),
        ),
        migrations.AlterField(
            model_name="legalmatter",
            name="outcome",
            field=approdi.core.crypto.EncryptedTextField(blank=True, max_length=300, verbose_name="outcome"),
        ),
        migrations.AlterField(
            model_name="permit",
            name="questura",
            field=approdi.core.crypto.EncryptedTextField(max_length=100, verbose_name="Questura"),
        ),
        migrations.AlterField(
            model_name="planaction",
            name="description",
            field=approdi.core.crypto.EncryptedTextField(max_length=300, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="review",
            name="summary",
            field=approdi.core.crypto.EncryptedTextField(verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="answer",
            field=approdi.core.crypto.EncryptedTextField(blank=True, verbose_name="answer"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="reason",
            field=approdi.core.crypto.EncryptedTextField(verbose_name="reason"),
        ),
        encrypt_columns("cases_activity", "certificate", "paid_by", "provider", "sector"),
        encrypt_columns("cases_appointment", "place", "title"),
        encrypt_columns("cases_goal", "description"),
        encrypt_columns("cases_goalprogress", "note"),
        encrypt_columns("cases_hearing", "note", "place"),
        encrypt_columns("cases_legalmatter", "authority", "outcome"),
        encrypt_columns("cases_permit", "questura"),
        encrypt_columns("cases_planaction", "description"),
        encrypt_columns("cases_review", "summary"),
        encrypt_columns("cases_transfer", "answer", "reason"),
    ]

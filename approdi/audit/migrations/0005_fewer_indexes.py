"""Fewer indexes on the audit entries, which every write of the application adds to (see the model's Meta).

Done by name rather than by ``AlterField``: on SQLite altering a field rebuilds the table, which would drop the
triggers that keep it append-only (0003). The dropped names are Django's for these columns, the same everywhere; the
pattern ("_like") ones exist on PostgreSQL only.
"""

from django.db import migrations, models

PLAIN = {
    "action": "audit_auditentry_action_dee621eb",
    "object_id": "audit_auditentry_object_id_c21697b7",
    "object_type": "audit_auditentry_object_type_00e64ac4",
}
DROPPED = [*PLAIN.values(), *(f"{name}_like" for name in PLAIN.values())]


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_retention_deletes_old_rows")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="action",
                    field=models.CharField(
                        choices=[
                            ("view", "View"),
                            ("create", "Create"),
                            ("change", "Change"),
                            ("delete", "Delete"),
                            ("export", "Export"),
                            ("sign_in", "Sign-in"),
                            ("sign_in_failed", "Failed sign-in"),
                            ("sign_out", "Sign-out"),
                            ("denied", "Permission denied"),
                            ("break_glass", "Emergency access"),
                        ],
                        max_length=20,
                        verbose_name="action",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="object_id",
                    field=models.CharField(blank=True, max_length=64, verbose_name="object id"),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="object_type",
                    field=models.CharField(blank=True, max_length=60, verbose_name="object type"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name in DROPPED],
                    reverse_sql=[
                        f'CREATE INDEX IF NOT EXISTS "{name}" ON "audit_auditentry" ("{column}")'
                        for column, name in PLAIN.items()
                    ],
                )
            ],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_id"], name="audit_object_id"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action"], name="audit_action"),
        ),
    ]

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from approdi.core import files
from approdi.core.crypto import EncryptedDateField, EncryptedTextField, reencrypt


class Command(BaseCommand):
    help = "Re-encrypts every encrypted field and document file with the newest key of APPRODI_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        quote = connection.ops.quote_name
        total = 0
        # Raw SQL on purpose: ciphertext is rotated without being decrypted into model instances,
        # and across every organisation (no scope applies to this command).
        with transaction.atomic(), connection.cursor() as cursor:
            for model in apps.get_models():
                columns = [
                    f.column
                    for f in model._meta.concrete_fields
                    if isinstance(f, EncryptedTextField | EncryptedDateField)
                ]
                if not columns:
                    continue
                table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
                cursor.execute(f"SELECT {pk}, {', '.join(quote(c) for c in columns)} FROM {table}")  # noqa: S608 - quoted names
                rows = cursor.fetchall()
                for row in rows:
                    updates = {c: reencrypt(v) for c, v in zip(columns, row[1:], strict=True) if v}
                    if updates:
                        assignments = ", ".join(f"{quote(c)} = %s" for c in updates)
                        cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*updates.values(), row[0]])  # noqa: S608
                        total += 1
                self.stdout.write(f"{model._meta.label}: {len(rows)} row(s) checked")
        self.stdout.write(f"{total} row(s) re-encrypted with the newest key")
        # The documents' files (approdi/core/files.py), each replaced whole: a file is readable before and after.
        self.stdout.write(f"{files.reencrypt_all()} document file(s) re-encrypted with the newest key")

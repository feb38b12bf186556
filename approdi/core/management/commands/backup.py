from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approdi.core.backup import BackupError, backup_key, write_backup


class Command(BaseCommand):
    help = (
        "Writes a consistent, encrypted archive of the database (SQLite's online backup, or pg_dump's custom "
        "format of one snapshot) and of the stored files, with a manifest of row counts and checksums. The "
        "archive is encrypted with APPRODI_BACKUP_KEY and never holds a key. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="The archive to write (must not exist).")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = write_backup(output, key=backup_key())
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} file(s) ({manifest['vendor']})."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approdi.core.backup import BackupError, backup_key, restore_backup


class Command(BaseCommand):
    help = (
        "Restores an archive of `backup` into the EMPTY database DATABASE_URL names (a database with tables is "
        "refused), then checks every table's row count and checksum against the archive's manifest. Needs the "
        "APPRODI_BACKUP_KEY the archive was made with, and then the data keys in effect when it was made."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive written by `manage.py backup`.")

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            manifest = restore_backup(archive, key=backup_key())
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored {archive} (made {manifest['created']}): {len(manifest['tables'])} tables and {rows} rows "
            "match the manifest. Start Approdi with the data keys in effect when the backup was made."
        )

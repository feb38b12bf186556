from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scopes_disabled

from approdi.core.importing import REGISTRY, ImportFailed, limits_text
from approdi.network.imports import run_import
from approdi.network.models import Programme


class Command(BaseCommand):
    help = "Imports a CSV or XLSX file, all or nothing (DESIGN.md §9)."

    def add_arguments(self, parser):
        with translation.override("en"):
            parser.epilog = f"A file holds {limits_text()}; APPRODI_IMPORT_MAX_ROWS sets the rows."
        parser.add_argument("kind", choices=sorted(REGISTRY))
        parser.add_argument("file")
        parser.add_argument("--programme", help="programme code the records belong to")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--force", action="store_true", help="import a file already imported into the programme again (audited)"
        )

    def handle(self, *args, **options):
        # Scripts parse "row N, column C: message" (DESIGN.md §9): the command line speaks English.
        with translation.override("en"):
            return self.import_file(**options)

    def import_file(self, *, kind, file, programme=None, dry_run=False, force=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        options = {}
        if REGISTRY[kind].needs_programme and not programme:
            raise CommandError(f"{kind}: --programme is required")
        if programme:
            found = Programme.objects.filter(code__iexact=programme).first()
            if found is None:
                raise CommandError(f"unknown programme '{programme}'")
            options["programme"] = found
        # The command line acts for the whole network: it leaves the organisation scope on purpose.
        with scopes_disabled():
            try:
                with path.open("rb") as source:  # read a chunk of rows at a time
                    count = run_import(kind, source, path.name, dry_run=dry_run, force=force, options=options)
            except ImportFailed as failure:
                for error in failure.errors:
                    self.stderr.write(str(error))
                raise CommandError(f"{len(failure.errors)} error(s): nothing imported") from None
        verb = "valid, nothing written (dry run)" if dry_run else "imported"
        self.stdout.write(f"{count} row(s) {verb}")

"""Carries out the retention schedule (approdi/intake/retention.py). Daily, from cron; idempotent.

``--dry-run`` lists, per programme and kind of record, what it would anonymise or delete, and changes nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from approdi.core.retention import RULES
from approdi.intake.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymises or deletes what the retention schedule says is due, per programme; audited with counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due without changing anything.")
        parser.add_argument("--programme", default="", help="Only this programme (its code).")
        parser.add_argument("--today", default="", help="Run as on this day (YYYY-MM-DD); today otherwise.")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(_("Give the day as YYYY-MM-DD.")) from error
        runs = apply_retention(today=today, dry_run=options["dry_run"], programme=options["programme"])
        # One line per programme and kind, in codes (a log to read and to grep): programme, kind, "due" (dry run)
        # or "done", how many, and the day before which the kind's event had to fall.
        verb = "due" if options["dry_run"] else "done"
        for run in runs:
            for kind in RULES:
                if kind in run.counts:
                    self.stdout.write(f"{run.code}\t{kind}\t{verb}\t{run.counts[kind]}\t{run.cutoffs[kind]}")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))

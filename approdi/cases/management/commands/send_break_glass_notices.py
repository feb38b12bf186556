"""Tells the DPO and the case manager of the emergency accesses (break-glass) not yet notified. Daily, from cron.

Each access is notified once, however often it runs; ``--dry-run`` lists them without sending anything.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from approdi.cases.services.break_glass import send_notices


class Command(BaseCommand):
    help = "E-mails the DPO and the case manager the emergency accesses not yet notified (codes and links only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the accesses without sending anything.")

    def handle(self, *args, **options):
        lines = send_notices(dry_run=options["dry_run"])
        if options["dry_run"]:
            for line in lines:
                self.stdout.write(line)
        sent = 0 if options["dry_run"] else len(lines)
        self.stdout.write(
            ngettext("%(count)s emergency access notified.", "%(count)s emergency accesses notified.", sent)
            % {"count": sent}
        )

"""Sends the deadline alerts due today at once (approdi/cases/alerts.py).

The task queue already sends them every 15 minutes (``APPRODI_SCHEDULED_TASKS``): this command is for a day to
catch up by hand, or ``--dry-run`` to see what would go. Each alert goes once, however often it runs.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from approdi.cases.alerts import send_due_alerts


class Command(BaseCommand):
    help = "Sends the deadline alerts due today (30, 14 and 7 days before a permit expires or a hearing)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Pretend today is this day (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List the alerts without sending them.")

    def handle(self, *args, **options):
        lines = send_due_alerts(today=options["date"] or timezone.localdate(), dry_run=options["dry_run"])
        if options["dry_run"]:
            for line in lines:
                self.stdout.write(line)
        sent = 0 if options["dry_run"] else len(lines)
        self.stdout.write(ngettext("%(count)s alert sent.", "%(count)s alerts sent.", sent) % {"count": sent})

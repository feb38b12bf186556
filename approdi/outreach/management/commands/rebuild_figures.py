from django.core.management.base import BaseCommand

from approdi.outreach import tally


class Command(BaseCommand):
    help = (
        "Counts the dashboard's pre-aggregated contact figures (the monthly tally) again from every contact, and "
        "installs its triggers if they are missing. Safe at any time; on PostgreSQL contacts wait meanwhile."
    )

    def handle(self, *args, **options):
        rows = tally.rebuild()
        self.stdout.write(f"contact tally rebuilt: {rows} rows")

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from approdi.network.models import Programme
from approdi.reports import exports
from approdi.reports.summary import funder_summary


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "DESIGN.md §9 reports: `report summary --programme P --from D --to D --format json|xlsx|csv|pdf [--output F]`"
    )

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["summary"])
        parser.add_argument("--programme", required=True)
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--format", dest="fmt", choices=["json", "xlsx", "csv", "pdf"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output for json)")

    def handle(self, *args, report, programme, start, end, fmt, output=None, **options):
        found = Programme.objects.filter(code__iexact=programme).first()
        if found is None:
            raise CommandError(f"unknown programme '{programme}'")
        start_day, end_day = _day(start), _day(end)
        if end_day < start_day:
            raise CommandError("--to comes before --from")
        with translation.override("it"):
            summary = funder_summary(programme=found, start=start_day, end=end_day)
            if fmt == "json":
                content = json.dumps(summary, ensure_ascii=False).encode()
            else:
                content = {"xlsx": exports.xlsx, "csv": exports.csv, "pdf": exports.pdf}[fmt](summary)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"written {output}")
        elif fmt == "json":
            self.stdout.write(content.decode())
        else:
            raise CommandError(f"--output is required for {fmt}")

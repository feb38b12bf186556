import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.period import Period
from approdi.network.models import Programme
from approdi.reports.disclosure import htcds, publication
from approdi.reports.funder import exports
from approdi.reports.funder.summary import funder_summary


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
        parser.add_argument("report", choices=["summary", "htcds", "publication"])
        parser.add_argument("--programme", required=True)
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--format", dest="fmt", choices=["json", "xlsx", "csv", "pdf"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output for json)")
        parser.add_argument("--k", type=int, help="htcds, publication: threshold, at least APPRODI_SMALL_CELL_K")

    def handle(self, *args, report, programme, start, end, fmt, output=None, k=None, **options):
        found = Programme.objects.filter(code__iexact=programme).first()
        if found is None:
            raise CommandError(f"unknown programme '{programme}'")
        try:
            period = Period.of(_day(start), _day(end))
        except ValidationError as error:
            raise CommandError(f"--from, --to: {' '.join(error.messages)}") from None
        start_day, end_day = period.start, period.end
        if report != "summary":
            return self._leaving_the_network(report, found, start_day, end_day, k=k, fmt=fmt, output=output)
        with translation.override("it"):
            summary = funder_summary(programme=found, start=start_day, end=end_day)
            if fmt == "json":
                content = json.dumps(summary, ensure_ascii=False).encode()
            else:
                content = {"xlsx": exports.xlsx, "csv": exports.csv, "pdf": exports.pdf}[fmt](
                    summary, exports.letterhead(found)
                )
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"written {output}")
        elif fmt == "json":
            self.stdout.write(content.decode())
        else:
            raise CommandError(f"--output is required for {fmt}")

    def _leaving_the_network(self, report, programme, start, end, *, k, fmt, output):
        """`report htcds|publication … [--k N] --output F.csv|F.xlsx` (docs/disclosure.md), audited as an export."""
        if not output:
            raise CommandError(f"--output is required for {report}")
        if fmt == "json":  # not chosen: the output's suffix decides
            fmt = Path(output).suffix.lstrip(".").lower()
        if fmt not in ("csv", "xlsx"):
            raise CommandError(f"{report} writes csv or xlsx: name the --output file .csv or .xlsx")
        try:
            k = htcds.threshold(k)
        except (ValidationError, ValueError) as error:
            raise CommandError(f"--k: {' '.join(getattr(error, 'messages', [str(error)]))}") from None
        module = htcds if report == "htcds" else publication
        with translation.override("it"):
            result = module.build(programme=programme, start=start, end=end, k=k)
            content = module.to_xlsx(result) if fmt == "xlsx" else module.to_csv(result)
        Path(output).write_bytes(content)
        done = result.summary()
        record(
            action=Action.EXPORT,
            username="manage.py report",
            object_type=f"reports.{report}",
            object_id=programme.code,
            reason=f"{start}–{end} as {fmt}: {done}",
        )
        self.stdout.write(f"written {output}: {done}")

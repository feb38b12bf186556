from datetime import date

from django.core.management.base import BaseCommand, CommandError

from approdi.network.services import save_programme


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Creates or updates a programme edition."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--funder", default=None)
        parser.add_argument("--lead", default=None, help="code of the lead organisation")
        parser.add_argument(
            "--partner", action="append", default=[], help="code of a partner organisation (repeat for each)"
        )

    def handle(self, *args, code, name, start, end, funder=None, lead=None, partner=(), **options):
        from django.core.exceptions import ValidationError

        try:
            programme, created = save_programme(
                code=code,
                name=name,
                start=_day(start),
                end=_day(end),
                funder=funder,
                lead_code=lead,
                partner_codes=partner,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        self.stdout.write(f"{'created' if created else 'updated'} programme {programme.code}")

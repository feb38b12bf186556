from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from approdi.accounts import services
from approdi.accounts.models import User


class Command(BaseCommand):
    help = "Prints a new API token for a user, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, days=None, name="", **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user '{username}'")
        try:
            token, raw = services.issue_token(user=user, days=days, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"token for {user.username}, expires {token.expires_at:%Y-%m-%d}:")
        self.stdout.write(raw)

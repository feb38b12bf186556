from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from approdi.accounts import services
from approdi.accounts.roles import Role
from approdi.network.models import Organisation, Programme


class Command(BaseCommand):
    help = "Creates or updates a user and their membership; prints the link to set a password."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--programme", required=True, help="programme code")
        parser.add_argument("--email", default="")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="address of Approdi, for the link")

    def handle(self, *args, username, organisation, role, programme, email="", base_url="", **options):
        org = Organisation.objects.filter(code__iexact=organisation).first()
        if org is None:
            raise CommandError(f"unknown organisation '{organisation}'")
        prog = Programme.objects.filter(code__iexact=programme).first()
        if prog is None:
            raise CommandError(f"unknown programme '{programme}'")
        try:
            user, created = services.add_user(
                actor=None, username=username, organisation=org, programme=prog, role=role, email=email
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        self.stdout.write(
            f"{'created' if created else 'updated'} user {user.username}: {prog.code} · {org.code} · {role}"
        )
        if not user.has_usable_password():
            link = services.send_invitation(user=user, base_url=base_url)
            self.stdout.write(f"set-password link: {link}")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from approdi.accounts import services
from approdi.accounts.models import User
from approdi.accounts.roles import Role
from approdi.network.models import Organisation, Programme


class Command(BaseCommand):
    help = (
        "Creates a user with a membership, or adds a membership to an existing user (never changing her name or "
        "e-mail); prints the link to set a password. The operator's bootstrap path: it runs with the server's "
        "access, so its roles act at once, without the second person the web pages require (README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--programme", required=True, help="programme code")
        parser.add_argument("--email", default="", help="for a new user; for an existing one it must be hers")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="address of Approdi, for the link")

    def handle(self, *args, **options):
        with translation.override("en"):  # scripts parse the command line's answers
            self._add(**options)

    def _add(self, *, username, organisation, role, programme, email="", base_url="", **options):
        org = Organisation.objects.filter(code__iexact=organisation).first()
        if org is None:
            raise CommandError(f"unknown organisation '{organisation}'")
        prog = Programme.objects.filter(code__iexact=programme).first()
        if prog is None:
            raise CommandError(f"unknown programme '{programme}'")
        user = User.objects.filter(username=username).first()
        label = f"{prog.code} · {org.code} · {role}"
        try:
            if user is None:
                user, _membership = services.invite_user(
                    actor=None, username=username, organisation=org, programme=prog, role=role, email=email
                )
                self.stdout.write(f"created user {user.username}: {label}")
            else:
                # Naming an existing account adds a role to that very person; an e-mail that is not hers means
                # the operator has someone else in mind, and the account is left alone.
                if email and email.lower() != user.email.lower():
                    raise CommandError(
                        f"user '{username}' exists with another e-mail address: add_user never changes a person's "
                        "e-mail; choose another username for a new person, or omit --email to add a role to her"
                    )
                if user.memberships.filter(organisation=org, programme=prog, role=role).exists():
                    self.stdout.write(f"existing user {user.username} already holds {label}: unchanged")
                else:
                    services.add_membership(actor=None, user=user, organisation=org, programme=prog, role=role)
                    self.stdout.write(f"existing user {user.username}: role added, {label}")
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        if not user.has_usable_password():
            link = services.send_invitation(user=user, base_url=base_url)
            self.stdout.write(f"set-password link: {link}")

from django.core.management.base import BaseCommand

from approdi.demo.seeds import CURRENT, DEMO_PASSWORD, DEMO_TOTP_BASE32, DEMO_USERS, current_edition_spec, load_demo


class Command(BaseCommand):
    help = "Loads the demo network of the seeds (idempotent) and prints the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="do not print the demo users")

    def handle(self, *args, quiet=False, **options):
        created = load_demo()
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(f"demo data loaded (new: {summary})")
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write("Demo users (demo only; every one has the same password and authenticator secret):")
        running = current_edition_spec()["code"]
        for username, (organisation, role, programmes, _name) in DEMO_USERS.items():
            codes = ", ".join(running if code == CURRENT else code for code in programmes)
            self.stdout.write(f"  {username:<15} {role:<12} {organisation} ({codes})")
        self.stdout.write(f"  password:      {DEMO_PASSWORD}")
        self.stdout.write(f"  TOTP secret:   {DEMO_TOTP_BASE32}   (oathtool --totp -b {DEMO_TOTP_BASE32})")

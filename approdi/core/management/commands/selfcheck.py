from django.core.management.base import BaseCommand, CommandError

from approdi.core.selfcheck import problems


class Command(BaseCommand):
    help = (
        "Stops with an error unless Approdi can serve: encryption keys present and opening stored data, "
        "every migration applied, the shared cache (REDIS_URL) answering. Run it before starting the service."
    )

    def handle(self, *args, **options):
        found = problems()
        if found:
            raise CommandError("Approdi must not start:\n- " + "\n- ".join(found))
        self.stdout.write("Self-check passed: keys, migrations, cache.")

from django.core.management.base import BaseCommand

from approdi.core.taskqueue import enqueue_scheduled


class Command(BaseCommand):
    help = (
        "Queues the scheduled tasks (APPRODI_SCHEDULED_TASKS: expired export files, deadline alerts) for the "
        "workers; one still waiting or running is not queued twice. Run it every 15 minutes "
        "(deploy/approdi-scheduler.timer, or cron)."
    )

    def handle(self, *args, **options):
        queued = enqueue_scheduled()
        self.stdout.write(f"queued: {', '.join(queued) or 'nothing'}")

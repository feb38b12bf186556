import socket

from django_tasks_db.management.commands import db_worker

from approdi.core.taskqueue import requeue_interrupted


class Command(db_worker.Command):
    help = (
        "Runs the background tasks (exports, deadline alerts, expired files): django-tasks' database worker, "
        "which first queues again the tasks its previous run left unfinished. Give each worker of the "
        "deployment its own --worker-id, the same across restarts (deploy/approdi-worker@.service)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=socket.gethostname()[:64], queue_name="*")

    def handle(self, *args, worker_id: str, **options):
        requeued = requeue_interrupted(worker_id=worker_id)
        if requeued:
            self.stdout.write(f"{requeued} interrupted task(s) queued again")
        return super().handle(*args, worker_id=worker_id, **options)

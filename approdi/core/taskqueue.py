"""The workers of Django's tasks (django-tasks' database backend): restarts, the schedule, the embedded worker.

A task is a row (``django_tasks_db.DBTaskResult``) written in the transaction that asks for it, so a job is
never lost between a commit and a broker, and never queued for work that was rolled back. A worker takes
one with ``SELECT ... FOR UPDATE SKIP LOCKED``: two workers never take the same task.

What django-tasks leaves to us:
- **Restarts.** A worker stopped hard (crash, SIGKILL, a host rebooted) leaves its task ``RUNNING`` for ever.
  Each worker has a stable id (``run_worker --worker-id``, the systemd unit's instance): as it starts it puts
  back in the queue the tasks its previous life was running. The same id is never used by two living workers,
  so a task still running elsewhere is never taken twice. The tasks themselves are written to be run again
  (an export starts over; an alert already sent is not sent again).
- **The schedule.** ``APPRODI_SCHEDULED_TASKS`` are queued by ``run_scheduled`` (a systemd timer, or cron)
  and by the embedded worker every ``SCHEDULE_SECONDS``; one is not queued again while it waits or runs.
- **Embedded mode.** One thread of the web process is the worker (``start_in_web``), woken as soon as a
  request that queued a task commits, so ``make run`` needs nothing else.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued

logger = logging.getLogger(__name__)
SCHEDULE_SECONDS = 15 * 60
EMBEDDED_WORKER_ID = "embedded"


def requeue_interrupted(*, worker_id: str) -> int:
    """Puts back in the queue the tasks this worker id was running when its process stopped."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update().only("id", "worker_ids")
        mine = [task.pk for task in running if task.worker_ids and task.worker_ids[-1] == worker_id]
        if mine:
            DBTaskResult.objects.filter(pk__in=mine).update(status=TaskResultStatus.READY, started_at=None)
    for task_id in mine:
        logger.warning("task %s was interrupted by a stop of worker %s: queued again", task_id, worker_id)
    return len(mine)


def enqueue_scheduled() -> list[str]:
    """Queues each scheduled task not already waiting or running; answers the names of those queued."""
    from django_tasks_db.models import DBTaskResult

    queued = []
    for path in settings.APPRODI_SCHEDULED_TASKS:
        task = import_string(path)
        pending = DBTaskResult.objects.filter(
            task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
        if pending.exists():
            continue
        task.enqueue()
        queued.append(task.name)
    return queued


def uses_database_backend() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


class EmbeddedWorker:
    """The worker of the embedded mode: a daemon thread of the web process."""

    def __init__(self, *, idle_seconds: float = 5.0):
        self.idle_seconds = idle_seconds
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.next_schedule = 0.0

    def start(self) -> threading.Thread:
        # A request queues its task inside its transaction: the worker looks once that transaction commits.
        task_enqueued.connect(self._on_enqueued, weak=False)
        thread = threading.Thread(target=self._loop, name="approdi-tasks", daemon=True)
        thread.start()
        return thread

    def _on_enqueued(self, **kwargs) -> None:
        transaction.on_commit(self.wake.set)

    def _loop(self) -> None:
        try:
            requeue_interrupted(worker_id=EMBEDDED_WORKER_ID)
        except Exception:
            logger.exception("the embedded worker could not look for interrupted tasks")
        while not self.stopped.is_set():
            self.wake.clear()
            try:
                self.run_once()
            except Exception:
                logger.exception("the embedded worker failed; it tries again shortly")
            finally:
                close_old_connections()
            self.wake.wait(self.idle_seconds)

    def run_once(self) -> None:
        """The schedule when due, then every task ready to run."""
        from django_tasks_db.management.commands.db_worker import Worker

        if time.monotonic() >= self.next_schedule:
            enqueue_scheduled()
            self.next_schedule = time.monotonic() + SCHEDULE_SECONDS
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=EMBEDDED_WORKER_ID,
            excluded_queue_names=[],
        ).run()


def start_in_web() -> EmbeddedWorker | None:
    """Starts the embedded worker when this web process is to be one (``APPRODI_WORKER_IN_WEB``)."""
    if not settings.APPRODI_WORKER_IN_WEB or not uses_database_backend():
        return None
    worker = EmbeddedWorker()
    worker.start()
    return worker

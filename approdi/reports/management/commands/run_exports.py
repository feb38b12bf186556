from datetime import timedelta

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from approdi.reports.jobs import services as jobs


class Command(BaseCommand):
    help = (
        "Runs queued background exports, removes the files of expired ones and fails those left running by a "
        "stopped process. Run it from cron (e.g. every minute) or as a worker with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, waiting for new jobs")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between looks at the queue (--loop)")
        parser.add_argument("--max-jobs", type=int, default=0, help="stop after this many jobs (0: no limit)")
        parser.add_argument(
            "--stale-hours", type=float, default=6.0, help="a job running for longer than this is marked failed"
        )

    def handle(self, *args, loop=False, sleep=2.0, max_jobs=0, stale_hours=6.0, **options):
        import time

        ran = 0
        while True:
            with scopes_disabled():  # the queue spans every programme; each job then runs in its own scope
                stale = jobs.fail_stale(older_than=timedelta(hours=stale_hours))
                purged = jobs.purge_expired()
            if stale or purged:
                self.stdout.write(f"{stale} interrupted job(s) failed, {purged} expired file(s) removed")
            while not max_jobs or ran < max_jobs:
                with scopes_disabled():
                    claimed = jobs.claim_next()
                if claimed is None:
                    break
                job_id, programme_id = claimed
                status = jobs.execute(job_id=job_id, programme_id=programme_id)
                ran += 1
                self.stdout.write(f"export {job_id}: {status}")
            if not loop or (max_jobs and ran >= max_jobs):
                break
            time.sleep(sleep)
        self.stdout.write(f"{ran} export(s) run")

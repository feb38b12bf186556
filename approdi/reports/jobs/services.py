"""Exports that run in the background, with progress the requester can watch, and a download when done.

A job is an ``ExportJob`` row and a task (``run_export``) queued in the same transaction through
Django's tasks interface (approdi/core/taskqueue.py: a worker process in production, a thread of the web
process embedded, at once in the test suite). One task per job, taken by one worker; a worker stopped in the
middle of it runs it again from the start when it comes back, and a job already finished is not run again.

A job runs under the membership of the request that asked for it (same scope, same role, checked
again when it runs and when it is downloaded). Its file stays in the database, never under a
served directory, so every app process can serve it, until it expires (``APPRODI_EXPORT_HOURS``);
the scheduled task ``remove_expired_exports`` then removes it.
Only the requester sees a job: for anyone else it does not exist (404).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled
from django_tasks import task

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import membership_scope
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.db_router import replica_reads
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.core.spreadsheets import csv_writer, new_workbook
from approdi.outreach import exports as outreach_exports
from approdi.outreach import selectors as outreach_selectors
from approdi.reports.funder import exports
from approdi.reports.funder import selectors as report_selectors
from approdi.reports.models import CONTENT_TYPES, ExportJob

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


class DownloadExpired(Exception):
    """The job's file was kept for its time and is gone: ask again."""


@dataclass(frozen=True)
class Kind:
    label: StrOrPromise
    perm: str
    formats: tuple[str, ...]
    audit_type: str
    needs_period: bool
    build: Callable[..., bytes]


def _period(job: ExportJob) -> tuple[date | None, date | None]:
    start, end = job.params.get("start"), job.params.get("end")
    return (date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None)


def _summary(*, job: ExportJob, actor: Actor, progress: Progress) -> bytes:
    progress(0, 2)
    start, end = _period(job)
    figures = report_selectors.summary(actor=actor, start=start, end=end)
    progress(1, 2)
    content = {"xlsx": exports.xlsx, "csv": exports.csv, "pdf": exports.pdf}[job.fmt](
        figures, exports.letterhead(job.programme)
    )
    progress(2, 2)
    return content


def _records(*, job: ExportJob, actor: Actor, progress: Progress) -> bytes:
    """Contacts or referrals in the columns of the §9 import formats, as ``outreach/exports.py`` writes them."""
    start, end = _period(job)
    rows: QuerySet[Any]
    if job.kind == ExportJob.Kind.CONTACTS:
        rows = outreach_selectors.contacts(actor=actor, date_from=start, date_to=end)
    else:
        rows = outreach_selectors.referrals(actor=actor)
        rows = rows.filter(date__gte=start) if start else rows
        rows = rows.filter(date__lte=end) if end else rows
    model, columns, to_row = outreach_exports.layout(job.kind)
    total = rows.count()
    progress(0, total)
    step = max(1, min(1000, total // 20))
    if job.fmt == "xlsx":
        book = new_workbook(write_only=True)
        sheet = book.create_sheet(job.kind)
        write = sheet.append
    else:
        text = io.StringIO()
        write = csv_writer(text).writerow
    write(outreach_exports.headers(model, columns))
    done = 0
    for done, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        write(to_row(row))
        if done % step == 0:
            progress(done, total)
    progress(done, max(done, total))
    if job.fmt == "xlsx":
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    return text.getvalue().encode("utf-8")


KINDS: dict[str, Kind] = {
    ExportJob.Kind.SUMMARY: Kind(
        gettext_lazy("Funder summary"),
        "reports.view_summary",
        ("xlsx", "csv", "pdf"),
        "reports.summary",
        True,
        _summary,
    ),
    ExportJob.Kind.CONTACTS: Kind(
        gettext_lazy("Contacts"), "outreach.export_contacts", ("csv", "xlsx"), "outreach.contacts", False, _records
    ),
    ExportJob.Kind.REFERRALS: Kind(
        gettext_lazy("Referrals"), "outreach.export_referrals", ("csv", "xlsx"), "outreach.referrals", False, _records
    ),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    ExportJob.Kind.CONTACTS: outreach_exports.CONTACT_COLUMNS,
    ExportJob.Kind.REFERRALS: outreach_exports.REFERRAL_COLUMNS,
}


def kinds_for(actor: Actor) -> list[tuple[str, Kind]]:
    """The exports the actor's role may ask for."""
    return [(key, kind) for key, kind in KINDS.items() if actor.has_perm(kind.perm)]


# Selectors


def my_jobs(*, actor: Actor) -> QuerySet[ExportJob]:
    """The actor's own jobs in the programme they act for (colleagues' jobs do not exist for them)."""
    ensure(actor, "reports.export_in_background")
    return ExportJob.objects.filter(requested_by=actor).defer("content")


def my_job(*, actor: Actor, pk: int) -> ExportJob:
    job = my_jobs(actor=actor).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def is_expired(job: ExportJob) -> bool:
    return job.purged_at is not None or (job.expires_at is not None and job.expires_at <= timezone.now())


def job_file(*, actor: Actor, job: ExportJob) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a finished job; the download is audited as an export."""
    ensure(actor, KINDS[job.kind].perm)  # the role may have changed since the request
    if job.status != ExportJob.Status.DONE:
        raise Http404
    if is_expired(job):
        raise DownloadExpired
    content = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    if content is None:
        raise DownloadExpired
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type=KINDS[job.kind].audit_type,
        object_id=job.pk,
        fields=COLUMNS.get(job.kind, ()),
        reason=f"downloaded export {job.pk}: {job.total if job.kind in COLUMNS else 1} rows as {job.fmt}",
    )
    return bytes(content), CONTENT_TYPES[job.fmt], job.filename


# Services


def request_export(
    *, actor: Actor, kind: str, fmt: str, start: date | None = None, end: date | None = None
) -> ExportJob:
    """Queues an export for the actor and starts it (see the module's note on runners)."""
    ensure(actor, "reports.export_in_background")
    found = KINDS.get(kind)
    if found is None:
        raise ValidationError({"kind": [_("Choose one of the exports offered.")]})
    ensure(actor, found.perm)
    if fmt not in found.formats:
        raise ValidationError({"fmt": [_("This export is not available in that format.")]})
    if found.needs_period and not (start and end):
        raise ValidationError({"start": [_("Give the period of the summary.")]})
    if start and end:
        Period.of(start, end)
    membership = actor.active_membership
    programme = membership.programme
    period = f"-{start}-{end}" if start and end else ""
    job = ExportJob(
        requested_by=actor,
        membership=membership,
        programme=programme,
        kind=kind,
        fmt=fmt,
        params={"start": start.isoformat() if start else None, "end": end.isoformat() if end else None},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        filename=f"approdi-{kind}-{programme.code}{period}.{fmt}",
    )
    job.full_clean()
    with transaction.atomic():
        job.save()
        record(
            actor=actor,
            action=Action.EXPORT,
            obj=job,
            reason=f"requested {kind} as {fmt}" + (f", {start}–{end}" if start or end else ""),
        )
        run_export.enqueue(job_id=job.pk, programme_id=job.programme_id)
    job.refresh_from_db()  # finished already when tasks run at once (the test suite)
    return job


@task()
def run_export(*, job_id: int, programme_id: int) -> str:
    """The task of one job, queued or interrupted while running; a finished one is left alone."""
    with scope(programme=[programme_id]):
        started = ExportJob.objects.filter(
            pk=job_id, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
        ).update(status=ExportJob.Status.RUNNING, started_at=timezone.now(), done=0)
        if not started:
            return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
    return execute(job_id=job_id, programme_id=programme_id)


def execute(*, job_id: int, programme_id: int) -> str:
    """Runs a claimed job under the membership it was requested with; the outcome is written on the job."""
    with scope(programme=[programme_id]):
        job = ExportJob.objects.select_related(
            "requested_by", "membership__organisation", "membership__programme", "programme"
        ).get(pk=job_id)
    actor, membership = job.requested_by, job.membership
    actor.active_membership = membership

    def progress(done: int, total: int) -> None:
        with scope(programme=[programme_id]):
            ExportJob.objects.filter(pk=job_id).update(done=min(done, total), total=total)

    try:
        # The export may read the replica; its progress writes do not send its reads back to the primary.
        with membership_scope(membership), translation.override(job.language), replica_reads(ignore_own_writes=True):
            if membership.user_id != actor.pk or membership.programme_id != job.programme_id:
                raise PermissionDenied
            ensure(actor, KINDS[job.kind].perm)
            content = KINDS[job.kind].build(job=job, actor=actor, progress=progress)
    except PermissionDenied:
        return _fail(job_id, programme_id, ExportJob.Error.FORBIDDEN)
    except Exception:
        logger.exception("export %s failed", job_id)
        return _fail(job_id, programme_id, ExportJob.Error.FAILED)
    else:
        now = timezone.now()
        with scope(programme=[programme_id]):
            current = ExportJob.objects.filter(pk=job_id).values_list("total", flat=True).get()
            ExportJob.objects.filter(pk=job_id).update(
                status=ExportJob.Status.DONE,
                content=content,
                size=len(content),
                done=current,
                finished_at=now,
                expires_at=now + timedelta(hours=settings.APPRODI_EXPORT_HOURS),
            )
        return ExportJob.Status.DONE


def _fail(job_id: int, programme_id: int, error: str) -> str:
    with scope(programme=[programme_id]):
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, error=error, content=None, finished_at=timezone.now()
        )
    return ExportJob.Status.FAILED


def purge_expired() -> int:
    """Removes the files of expired jobs (the rows stay, as the record of what was exported). Scopes disabled."""
    now = timezone.now()
    return ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now, purged_at__isnull=True).update(
        content=None, purged_at=now
    )


def fail_stale(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Jobs left running by a worker that never came back: failed, so their owners know to ask again.

    Scopes disabled. A worker that does come back runs its interrupted jobs again (approdi/core/taskqueue.py).
    """
    now = timezone.now()
    return ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - older_than).update(
        status=ExportJob.Status.FAILED, error=ExportJob.Error.INTERRUPTED, content=None, finished_at=now
    )


@task()
def remove_expired_exports() -> dict[str, int]:
    """Scheduled (``APPRODI_SCHEDULED_TASKS``): expired files removed, jobs no worker will finish failed."""
    with scopes_disabled():  # across every programme
        return {"purged": purge_expired(), "failed": fail_stale()}

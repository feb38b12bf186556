"""The export queue's figures for /metrics (approdi/core/metrics.py): how many jobs wait, run, and failed."""

from django.db.models import Count
from django_scopes import scopes_disabled

from .models import ExportJob


def export_jobs_by_status() -> dict[str, int]:
    """Jobs by status, every status present (a queue that empties reads 0, not a vanished series).

    Job records stay (only a finished file is purged), so "failed" only grows: alert on its increase.
    """
    with scopes_disabled():
        counted = dict(ExportJob.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counted.get(status, 0) for status in ExportJob.Status.values}

"""The programme dashboard's pages: the dashboard (and its exports) and the records behind a number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.db_router import reads_replica
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import (
    asked_period,
    period_query,
    read_or_download,
    running_year,
)

from . import exports, selectors


@login_required
@reads_replica
def dashboard(request):
    require_perm(request, selectors.PERM)
    template = "reports/dashboard_body.html" if request.htmx else "reports/dashboard.html"
    form, period = asked_period(request, default=running_year(request))
    result = None
    if period is not None:
        result, file = read_or_download(
            request, form, period, export_file=exports.export_file, read=selectors.dashboard, name="dashboard"
        )
        if file is not None:
            return file
    if result is None:
        return render(request, template, {"form": form})
    charts = exports.charts(result)
    return render(
        request,
        template,
        {
            "form": form,
            "result": result,
            "charts": charts,
            "has_targets": any(row.target for row in result.targets),
            "monthly_charts": [charts[f"monthly-{m.code}"] for m in result.monthly.columns],
            "breakdowns": [(table, charts[table.key]) for table in result.breakdowns],
            "period_query": period_query(result.start, result.end),
            "scope_line": exports.scope_line(result),
        },
    )


# Lists that show person codes are audited; the list of structures shows no one.
PEOPLE_KINDS = {"contacts", "referrals", "people", "entries"}


@login_required
@reads_replica
def drilldown(request):
    require_perm(request, selectors.PERM)
    _form, period = asked_period(request, default=running_year(request))
    if period is None:
        raise Http404
    try:
        found = selectors.drilldown(
            actor=request.user,
            measure=request.GET.get("measure", ""),
            start=period["start"],
            end=period["end"],
            dimension=request.GET.get("dimension", ""),
            value=request.GET.get("value", ""),
            month=request.GET.get("month", ""),
        )
    except ValidationError:
        raise Http404 from None
    page = Paginator(found.rows, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if found.kind == "referrals":
        for row in page.object_list:
            row["source_label"] = selectors.label_of("source_type", row["source_type"])
    if found.kind in PEOPLE_KINDS:
        filters = [f"{period['start']}–{period['end']}"]
        if found.dimension:
            filters.append(f"{found.dimension}={found.value or '-'}")
        if found.month:
            filters.append(f"month={found.month}")
        filters.append(f"page {page.number}")
        record(
            actor=request.user,
            action=Action.VIEW,
            object_type="reports.drilldown",
            object_id=found.measure.code,
            fields=["person_code"],
            reason="; ".join(filters),
        )
    return render(
        request,
        "reports/drilldown.html",
        {
            "found": found,
            "dimension_label": selectors.DIMENSIONS.get(found.dimension, ""),
            "page": page,
            "back": period_query(period["start"], period["end"]),
        },
    )

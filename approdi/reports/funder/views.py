from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from approdi.core.db_router import reads_replica
from approdi.core.period import PeriodForm
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import CONTENT_TYPES, download

from . import exports, selectors


@login_required
@reads_replica
def summary(request):
    require_perm(request, "reports.view_summary")
    programme = request.membership.programme
    form = PeriodForm(request.GET or None, initial={"start": programme.start, "end": programme.end})
    period: dict[str, date] = {"start": programme.start, "end": programme.end}
    if form.is_bound:
        if not form.is_valid():
            return render(request, "reports/summary.html", {"form": form})
        period = form.cleaned_data
    fmt = request.GET.get("format", "")
    try:
        if fmt in CONTENT_TYPES:
            _summary, content = exports.export_file(
                actor=request.user, start=period["start"], end=period["end"], fmt=fmt
            )
            return download(content, fmt, f"summary-{programme.code}.{fmt}")
        result = selectors.summary(actor=request.user, start=period["start"], end=period["end"])
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "reports/summary.html", {"form": form})
    return render(
        request,
        "reports/summary.html",
        {
            "form": form,
            "result": result,
            "sections": exports.rows(result),
            "capacity": exports.capacity_rows(result),
            "training_line": exports.training_line(result),
        },
    )

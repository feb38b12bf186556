from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.period import PeriodForm
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import CONTENT_TYPES, download

from . import exports, selectors


@login_required
def summary(request):
    require_perm(request, "reports.view_summary")
    programme = request.membership.programme
    form = PeriodForm(request.GET or None, initial={"start": programme.start, "end": programme.end})
    period: dict[str, date] = {"start": programme.start, "end": programme.end}
    if form.is_bound:
        if not form.is_valid():
            return render(request, "reports/summary.html", {"form": form})
        period = form.cleaned_data
    try:
        result = selectors.summary(actor=request.user, start=period["start"], end=period["end"])
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "reports/summary.html", {"form": form})
    fmt = request.GET.get("format", "")
    if fmt in CONTENT_TYPES:
        record(
            actor=request.user,
            action=Action.EXPORT,
            object_type="reports.summary",
            object_id=programme.code,
            reason=f"{period['start']}–{period['end']} as {fmt}",
        )
        content = {"xlsx": exports.xlsx, "csv": exports.csv, "pdf": exports.pdf}[fmt](
            result, exports.letterhead(programme)
        )
        return download(content, fmt, f"summary-{programme.code}.{fmt}")
    return render(
        request,
        "reports/summary.html",
        {"form": form, "result": result, "sections": exports.rows(result), "capacity": exports.capacity_rows(result)},
    )

"""What the report pages share: the period a page is asked for and the file it hands back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from approdi.core.forms import add_errors
from approdi.core.period import Period, PeriodForm
from approdi.network.dates import today
from approdi.reports.models import CONTENT_TYPES


def running_year(request) -> dict[str, date]:
    """The default period of the pages whose figures grow with the period: the running year of the programme."""
    year = Period.running_year(request.membership.programme, today())
    return {"start": year.start, "end": year.end}


def asked_period(request, *, default: dict[str, date] | None = None) -> tuple[PeriodForm, dict[str, date] | None]:
    """The period asked for, else ``default`` (the programme's own when not given); None when the form has errors."""
    programme = request.membership.programme
    default = default or {"start": programme.start, "end": programme.end}
    bound = "start" in request.GET or "end" in request.GET
    form = PeriodForm(request.GET if bound else None, initial=default)
    if not bound:
        return form, default
    return form, (form.cleaned_data if form.is_valid() else None)


def period_query(start: date, end: date) -> str:
    """The query string that asks a page for the same period."""
    return f"start={start.isoformat()}&end={end.isoformat()}"


def download(content: bytes | str, fmt: str, filename: str) -> HttpResponse:
    """The file as an attachment named ``filename``, with the content type of its format."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_or_download(request, form, period: dict[str, date], *, export_file, read, name: str):
    """``(result, None)``: the report read for the period; ``(None, file)`` when ``?format=`` asks for its file
    (built and audited by ``export_file``); ``(None, None)`` with the service's errors put on ``form``."""
    fmt = request.GET.get("format", "")
    try:
        if fmt in CONTENT_TYPES:
            result, content = export_file(actor=request.user, start=period["start"], end=period["end"], fmt=fmt)
            filename = f"{name}-{result.programme.code}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.{fmt}"
            return None, download(content, fmt, filename)
        return read(actor=request.user, start=period["start"], end=period["end"]), None
    except ValidationError as error:
        add_errors(form, error)
        return None, None

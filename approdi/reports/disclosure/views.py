"""Pages of the exports that leave the network: suppressed publication tables and the HTCDS file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from approdi.core.db_router import reads_replica
from approdi.core.forms import add_errors
from approdi.core.period import PeriodForm
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import download

from . import htcds, publication


class DisclosureForm(PeriodForm):
    k = forms.IntegerField(
        label=_("Threshold k"),
        required=False,
        min_value=2,
        max_value=1000,
        help_text=_("Counts below k are hidden. The network's threshold is the lowest allowed."),
    )


def _form(request) -> DisclosureForm:
    programme = request.membership.programme
    return DisclosureForm(
        request.GET or None,
        initial={"start": programme.start, "end": programme.end, "k": settings.APPRODI_SMALL_CELL_K},
    )


def _period(form: DisclosureForm) -> dict | None:
    if not form.is_bound:
        initial = form.initial
        return {"start": initial["start"], "end": initial["end"], "k": initial["k"]}
    return form.cleaned_data if form.is_valid() else None


def _disclosure_page(request, exporter, name: str, extra: dict | None = None):
    """The preview of an export that leaves the network (page ``reports/<name>.html``), or its file.

    ``exporter`` makes it (the ``publication`` or ``htcds`` module: the same ``preview`` and ``export_file``);
    the file, when a format is asked for, is called ``<name>-<programme>-<start>-<end>.<format>``."""
    require_perm(request, htcds.PERM)
    form = _form(request)
    period, context = _period(form), {"form": form}
    if period is not None:
        fmt = request.GET.get("format", "")
        arguments = {"actor": request.user, "start": period["start"], "end": period["end"], "k": period["k"]}
        try:
            if fmt in htcds.FORMATS:
                result, content = exporter.export_file(**arguments, fmt=fmt)
                return download(content, fmt, f"{name}-{result.programme}-{result.start}-{result.end}.{fmt}")
            context["result"] = exporter.preview(**arguments)
            context.update(extra or {})
        except ValidationError as error:
            add_errors(form, error)
    return render(request, f"reports/{name}.html", context)


@login_required
@reads_replica
def publication_tables(request):
    return _disclosure_page(request, publication, "publication")


@login_required
@reads_replica
def htcds_export(request):
    extra = {"fields": htcds.FIELDS, "quasi_identifiers": htcds.QUASI_IDENTIFIERS}
    return _disclosure_page(request, htcds, "htcds", extra)

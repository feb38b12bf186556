from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approdi.audit.models import Action
from approdi.core.forms import IsoDateInput
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm

from . import exports, processing, selectors
from .labels import entry_in_words, field_labels, object_type_choices, object_type_label, role_label
from .reasons import reason_in_words


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any"))] + list(Action.choices))
    object_type = forms.ChoiceField(
        label=_("Object type"), required=False, choices=lambda: [("", _("Any")), *object_type_choices()]
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    day_from = forms.DateField(label=_("From"), required=False, widget=IsoDateInput())
    day_to = forms.DateField(label=_("To"), required=False, widget=IsoDateInput())


def _filters(request) -> tuple[AuditSearchForm, dict]:
    """The search of the page's form: the page and its CSV file read the same entries."""
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@login_required
def audit_log(request):
    require_perm(request, "audit.search_log")
    form, filters = _filters(request)
    entries = selectors.search_log(actor=request.user, **filters)
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": e,
            "words": entry_in_words(e),
            "role": role_label(e.role),
            "object_type": object_type_label(e.object_type),
            "fields": field_labels(e.object_type, e.fields),
            "reason": reason_in_words(e.reason),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/audit_log.html", context)


@login_required
def audit_log_csv(request):
    """The entries of the page's search as a CSV file (the same words), its download audited."""
    require_perm(request, "audit.search_log")
    _form, filters = _filters(request)
    text, _rows = exports.export_csv(actor=request.user, **filters)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="approdi-audit-log-{day}.csv"'
    return response


@login_required
def processing_record(request):
    """The register of processing activities (GDPR art. 30) of the acting programme, for the DPO."""
    require_perm(request, "core.view_processing_record")
    found = processing.processing_record(actor=request.user)
    context = {"record": found, "title": processing.title(), "transfers": processing.transfers()}
    return render(request, "audit/processing_record.html", context)


@login_required
def processing_record_pdf(request):
    """The register as a PDF to file (its download audited)."""
    require_perm(request, "core.view_processing_record")
    response = HttpResponse(processing.pdf(actor=request.user), content_type="application/pdf")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="approdi-record-of-processing-{day}.pdf"'
    return response

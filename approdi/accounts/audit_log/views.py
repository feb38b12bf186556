from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from approdi.audit.models import Action
from approdi.core.forms import IsoDateInput
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm

from . import selectors
from .labels import field_labels, object_type_choices, object_type_label, role_label
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


@login_required
def audit_log(request):
    require_perm(request, "audit.search_log")
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.search_log(actor=request.user, **{k: v for k, v in filters.items() if v})
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": e,
            "role": role_label(e.role),
            "object_type": object_type_label(e.object_type),
            "fields": field_labels(e.object_type, e.fields),
            "reason": reason_in_words(e.reason),
        }
        for e in page
    ]
    return render(request, "audit/audit_log.html", {"form": form, "page": page, "rows": rows})

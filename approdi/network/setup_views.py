"""Pages that set a network up: the acting edition and its co-funding, areas.

A new edition and organisations are accounts' pages (approdi/accounts/network_setup_views.py), materials
outreach's (approdi/outreach/material_views.py); config/urls.py serves them all under /network/.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approdi.core.forms import IsoDateInput, add_errors
from approdi.core.permissions import require_perm

from . import closing, editions
from .models import Area, CoFunding, Programme


def _money(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=12, decimal_places=2, localize=True, **kwargs)


class EditionForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=Programme._meta.get_field("code").max_length)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    start = forms.DateField(label=gettext_lazy("Start"), widget=IsoDateInput())
    end = forms.DateField(label=gettext_lazy("End"), widget=IsoDateInput())
    funder = forms.CharField(label=gettext_lazy("Funder"), max_length=200, required=False)
    call = forms.CharField(label=gettext_lazy("Call for proposals"), max_length=200, required=False)
    budget = _money(gettext_lazy("Budget (EUR)"), required=False)
    areas = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Territorial areas"),
        queryset=Area.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    labour_breakdown = forms.BooleanField(
        label=gettext_lazy("Figures by employment sector and target group"),
        help_text=gettext_lazy(
            "For a desk against labour exploitation: the dashboard breaks desk accesses and referrals down by "
            "employment sector and target group."
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("An edition cannot end before it starts."))
        return data

    def values(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("name", "start", "end", "funder", "call", "budget", "areas", "labour_breakdown")
        }


class CoFundingForm(forms.Form):
    contributor = forms.CharField(label=gettext_lazy("Contributor"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CoFunding.Kind.choices, widget=forms.RadioSelect)
    amount = _money(gettext_lazy("Amount (EUR)"), help_text=gettext_lazy("In kind: the value the funder accepts."))
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)


LINE_FIELDS = ("contributor", "kind", "amount", "description")


@login_required
def edition_page(request, line_pk: int | None = None):
    """The acting edition: its details and its co-funding lines, each added, changed in place or removed."""
    require_perm(request, editions.EDITIONS)
    programme = request.membership.programme
    editing = get_object_or_404(CoFunding, pk=line_pk, programme=programme) if line_pk is not None else None
    fields = ("code", "name", "start", "end", "funder", "call", "budget", "labour_breakdown")
    form = EditionForm(None, initial={k: getattr(programme, k) for k in fields} | {"areas": programme.areas.all()})
    form.fields["code"].disabled = True
    initial = {f: getattr(editing, f) for f in LINE_FIELDS} if editing else {"kind": CoFunding.Kind.MONEY}
    line_form = CoFundingForm(initial=initial, prefix="line")
    if request.method == "POST" and "line-contributor" in request.POST:
        line_form = CoFundingForm(request.POST, prefix="line")
        if line_form.is_valid():
            try:
                if editing is None:
                    editions.add_co_funding(actor=request.user, programme=programme, **line_form.cleaned_data)
                else:
                    editions.change_co_funding(actor=request.user, line=editing, **line_form.cleaned_data)
            except ValidationError as error:
                add_errors(line_form, error)
            else:
                messages.success(request, _("Co-funding line saved.") if editing else _("Co-funding line added."))
                return redirect(reverse("network:edition") + "#co-funding")
    elif request.method == "POST" and editing is not None:
        raise Http404  # a line's address takes only the line's form
    elif request.method == "POST":
        form = EditionForm(request.POST, initial={"code": programme.code})
        form.fields["code"].disabled = True
        if form.is_valid():
            try:
                editions.update_edition(actor=request.user, programme=programme, **form.values())
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Edition saved."))
                return redirect("network:edition")
    return render(
        request,
        "network/edition.html",
        {
            "programme": programme,
            "form": form,
            "line_form": line_form,
            "editing": editing,
            "lines": CoFunding.objects.filter(programme=programme),
            "no_approver": closing.lead_approver_missing(programme),
        },
    )


@login_required
@require_POST
def remove_co_funding(request, pk: int):
    require_perm(request, editions.EDITIONS)
    line = get_object_or_404(CoFunding, pk=pk, programme=request.membership.programme)
    editions.remove_co_funding(actor=request.user, line=line)
    messages.success(request, _("Co-funding line removed."))
    return redirect("network:edition")


class AreaForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=10,
        help_text=gettext_lazy("For instance MI. An existing code renames that area."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


def reference_page(request, *, form_class, save, rows, template: str, done: str, url: str):
    require_perm(request, editions.REFERENCE)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj, _created = save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done % {"name": obj.name})
            return redirect(url)
    return render(request, template, {"form": form, "rows": rows})


@login_required
def area_page(request):
    return reference_page(
        request,
        form_class=AreaForm,
        save=editions.save_area,
        rows=Area.objects.order_by("code"),
        template="network/areas.html",
        done=_("%(name)s saved."),
        url="network:areas",
    )

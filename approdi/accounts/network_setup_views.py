"""The set-up pages whose services touch memberships (approdi/accounts/network_setup.py), under /network/."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.network import editions, selectors
from approdi.network.models import Organisation
from approdi.network.setup_views import EditionForm, reference_page

from . import network_setup


@login_required
def new_edition(request):
    require_perm(request, editions.EDITIONS)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = network_setup.create_edition(
                actor=request.user, code=form.cleaned_data["code"], **form.values()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Edition %(code)s created. Choose it in the programme menu to add its partners and structures.")
                % {"code": programme.code},
            )
            return redirect("network:programme_list")
    return render(request, "network/edition_new.html", {"form": form})


class OrganisationForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Letters, digits and hyphens. An existing code changes that organisation."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=Organisation.Type.choices, widget=forms.RadioSelect)


@login_required
def organisation_page(request):
    return reference_page(
        request,
        form_class=OrganisationForm,
        save=network_setup.save_organisation,
        rows=selectors.organisations(actor=request.user),
        template="network/organisations.html",
        done=_("%(name)s saved."),
        url="network:organisations",
    )

"""The partners of the acting edition, with the days they joined and left: the lead entity manages them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.core.forms import IsoDateInput, add_errors
from approdi.core.permissions import require_perm

from . import selectors, services


class PartnerForm(forms.Form):
    JOIN, LEAVE = "join", "leave"

    action = forms.ChoiceField(
        label=gettext_lazy("What changes"),
        choices=[(JOIN, gettext_lazy("joins the programme")), (LEAVE, gettext_lazy("leaves the programme"))],
        widget=forms.RadioSelect,
    )
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    day = forms.DateField(
        label=gettext_lazy("From"),
        widget=IsoDateInput(),
        help_text=gettext_lazy(
            "A partner that leaves files no new work from this day; what it recorded stays in the programme's figures."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.code: o for o in organisations}
        self.fields["organisation"].choices = [("", "—")] + [(o.code, o.name) for o in organisations]


@login_required
def partner_page(request):
    require_perm(request, services.PERM)
    programme = request.membership.programme
    form = PartnerForm(
        request.POST or None,
        initial={"action": PartnerForm.JOIN, "day": timezone.localdate()},
        organisations=list(selectors.organisations_that_may_partner(actor=request.user)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = form.organisations[data["organisation"]]
        try:
            if data["action"] == PartnerForm.JOIN:
                _partnership, changed = services.add_partner(
                    actor=request.user, programme=programme, organisation=organisation, joined=data["day"]
                )
                if not changed:
                    raise ValidationError(
                        {"organisation": [_("This organisation is a partner of this programme already.")]}
                    )
                done = _("%(name)s is a partner of the programme.")
            else:
                services.end_partnership(
                    actor=request.user, programme=programme, organisation=organisation, left=data["day"]
                )
                done = _("%(name)s has left the programme.")
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done % {"name": organisation.name})
            return redirect("network:partners")
    return render(
        request,
        "network/partners.html",
        {"form": form, "programme": programme, "partnerships": selectors.partnerships(actor=request.user)},
    )

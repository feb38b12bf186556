"""The DPO's answer to a person's request of access and portability: a form that gives back one file."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approdi.core.forms import IsoDateInput, add_errors
from approdi.core.permissions import require_perm

from . import access_file

EARLIEST = date(2000, 1, 1)


class AccessRequestForm(forms.Form):
    code = forms.CharField(
        label=_("Person code"),
        max_length=access_file.CODE_MAX_LENGTH,
        help_text=_("The code of the person who asks for her data."),
    )
    received_on = forms.DateField(label=_("Request received on"), widget=IsoDateInput())
    # No default: the DPO chooses what the person asked for.
    kind = forms.ChoiceField(
        label=_("File"),
        choices=[("pdf", _("PDF, to read")), ("json", _("JSON, to carry to another service (portability)"))],
        widget=forms.RadioSelect,
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The request cannot be received in the future."))
        if day < EARLIEST or day < timezone.localdate() - timedelta(days=366 * 5):
            raise ValidationError(_("Give a date in the last five years."))
        return day


@login_required
def access_request(request):
    require_perm(request, "people.answer_access_request")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = access_file.access_file(actor=request.user, code=data["code"], received_on=data["received_on"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            if data["kind"] == "json":
                response = HttpResponse(found.as_json(), content_type="application/json; charset=utf-8")
            else:
                response = HttpResponse(access_file.pdf(found), content_type="application/pdf")
            name = f"approdi-access-{found.person.code}-{timezone.localdate().isoformat()}.{data['kind']}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "intake/access_request.html", {"form": form})

"""Forms of legal support: permits (with renewals and conversions), legal matters, hearings."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future as _not_in_the_future
from approdi.outreach.forms import BLANK, DateInput, TimeInput

from ..models import LegalMatter, PermitType
from ._common import at


class PermitForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of permit"), choices=BLANK + list(PermitType.choices))
    application_date = forms.DateField(label=_("Application date"), widget=DateInput())
    questura = forms.CharField(label=_("Questura"), max_length=100, help_text=_("E.g. Questura di Milano."))

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        if previous is not None:
            self.fields["type"].label = _("Type of the new permit")
            self.fields["type"].help_text = _(
                "The same type renews the permit; another type (e.g. work or study) converts it."
            )

    def clean_application_date(self):
        return _not_in_the_future(self.cleaned_data["application_date"])


class PermitIssueForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())
    expiry = forms.DateField(label=_("Expiry"), widget=DateInput())

    def __init__(self, *args, permit, **kwargs):
        super().__init__(*args, **kwargs)
        self.permit = permit

    def clean_issue_date(self):
        day = _not_in_the_future(self.cleaned_data["issue_date"])
        if day < self.permit.application_date:
            raise forms.ValidationError(_("The permit cannot be issued before the application."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("issue_date") and data.get("expiry") and data["expiry"] <= data["issue_date"]:
            self.add_error("expiry", _("The expiry comes after the issue date."))
        return data


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + list(LegalMatter.Kind.choices))
    day = forms.DateField(label=_("Date"), widget=DateInput(), help_text=_("When it was filed or opened."))
    authority = forms.CharField(
        label=_("Authority"),
        max_length=200,
        help_text=_("E.g. Procura della Repubblica di Milano, Commissione Territoriale di Milano."),
    )
    reference = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=100,
        help_text=_("Stored encrypted; shown only to whoever records legal matters."),
    )

    def clean_day(self):
        return _not_in_the_future(self.cleaned_data["day"])


class MatterCloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. recognised refugee status, sentence, case dismissed."),
    )


class HearingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    place = forms.CharField(label=_("Where"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def starts_at(self) -> datetime:
        return at(self.cleaned_data["day"], self.cleaned_data["time"])

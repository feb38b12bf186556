"""Forms of a transfer to another project of the network: sending it, its answer, her arrival, the follow-up."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.core.forms import QuickSelect
from approdi.directory.models import Body
from approdi.network.dates import not_in_the_future
from approdi.outreach.forms import BLANK, DateInput


class _Day(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])


class ExternalTransferForm(forms.Form):
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Receiving project"),
        queryset=Body.objects.none(),
        widget=QuickSelect,  # the directory's projects, given by the view
        help_text=_("A project of the national network, from the directory."),
    )
    sent_on = forms.DateField(label=_("Date sent"), widget=DateInput())

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = bodies

    def clean_sent_on(self):
        return not_in_the_future(self.cleaned_data["sent_on"])


class ExternalAnswerForm(_Day):
    answer = forms.ChoiceField(
        label=_("Answer of the receiving project"),
        choices=BLANK + [("accepted", _("Accepted")), ("refused", _("Refused"))],
    )
    day = forms.DateField(label=_("Date of the answer"), widget=DateInput())


class ArrivalForm(_Day):
    day = forms.DateField(
        label=_("Date of arrival"),
        widget=DateInput(),
        help_text=_("This programme's case closes on this day with outcome: transferred."),
    )


class FollowUpForm(_Day):
    day = forms.DateField(label=_("Date of the follow-up"), widget=DateInput())
    text = forms.CharField(
        label=_("How she is"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )


# An assisted voluntary return --------------------------------------------------------------------------------


class ReturnRequestForm(forms.Form):
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("IOM office"),
        queryset=Body.objects.none(),
        widget=QuickSelect,  # the directory's IOM entries (and whom acts for it), given by the view
        help_text=_("From the directory."),
    )
    requested_on = forms.DateField(label=_("Date of the request to IOM"), widget=DateInput())
    notes = forms.CharField(
        label=_("Documents needed and notes"),
        required=False,
        max_length=2000,
        help_text=_("Seen by whom manages the case; never in a notice or an e-mail."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = bodies

    def clean_requested_on(self):
        return not_in_the_future(self.cleaned_data["requested_on"])


class ReturnAnswerForm(_Day):
    answer = forms.ChoiceField(
        label=_("IOM's answer"), choices=BLANK + [("accepted", _("Accepted")), ("refused", _("Refused"))]
    )
    day = forms.DateField(label=_("Date of IOM's answer"), widget=DateInput())
    reference = forms.CharField(label=_("IOM reference"), required=False, max_length=100)


class ReturnDocumentsForm(_Day):
    day = forms.DateField(label=_("Travel documents ready on"), widget=DateInput())
    departure_planned = forms.DateField(
        label=_("Planned departure"), widget=DateInput(), help_text=_("The case team is told.")
    )


class DepartureForm(_Day):
    day = forms.DateField(
        label=_("Departure confirmed on"),
        widget=DateInput(),
        help_text=_("This programme's case closes on this day with outcome: assisted voluntary return."),
    )


class ReturnArrivalForm(_Day):
    day = forms.DateField(label=_("Arrival confirmed on"), widget=DateInput())


class ReintegrationForm(_Day):
    day = forms.DateField(label=_("Date of the reintegration follow-up"), widget=DateInput())
    text = forms.CharField(
        label=_("How her reintegration goes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class WithdrawReturnForm(_Day):
    day = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

"""Forms of the training and awareness events: the event, a row of participants, and the list's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.core.forms import IsoDateInput
from approdi.core.period import PeriodForm
from approdi.directory.models import Body
from approdi.directory.services import MAX_DOCUMENT_BYTES
from approdi.network.models import Area, Organisation

from .models import (
    MAX_HOURS,
    MAX_PARTICIPANTS_PER_ROW,
    MAX_SCORE,
    MIN_HOURS,
    MIN_SCORE,
    Audience,
    Event,
    EventKind,
    ParticipantRole,
)

BLANK = [("", "—")]


class EventFilterForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Type"), choices=BLANK + list(EventKind.choices), required=False)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=BLANK + list(EventKind.choices))
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organised by"), queryset=Organisation.objects.none()
    )
    date = forms.DateField(label=_("Date"), widget=IsoDateInput())
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.order_by("name"), required=False
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=BLANK + list(Audience.choices))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=MIN_HOURS,
        max_value=MAX_HOURS,
        max_digits=4,
        decimal_places=1,
        help_text=_("From %(min)s to %(max)s, in steps of half an hour.") % {"min": MIN_HOURS, "max": MAX_HOURS},
    )
    agenda = forms.CharField(label=_("Programme of the event"), max_length=4000, required=False, widget=forms.Textarea)
    trainers = forms.CharField(
        label=_("Trainers"),
        max_length=500,
        required=False,
        help_text=_("Names and organisations of the trainers (professionals)."),
    )
    materials = forms.CharField(
        label=_("Materials"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        help_text=_("What was handed out, and links to the materials."),
    )
    material = forms.FileField(
        label=_("Material file (PDF)"),
        required=False,
        help_text=_("A PDF of at most 10 MB; a new file replaces the previous one."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    respondents = forms.IntegerField(
        label=_("Satisfaction questionnaires returned"),
        min_value=0,
        max_value=MAX_PARTICIPANTS_PER_ROW * 100,
        required=False,
        help_text=_("No more than the participants recorded; empty if no questionnaire was given."),
    )
    mean_score = forms.DecimalField(
        label=_("Mean satisfaction score"),
        min_value=MIN_SCORE,
        max_value=MAX_SCORE,
        max_digits=3,
        decimal_places=2,
        required=False,
        help_text=_("On a scale from %(min)s (poor) to %(max)s (excellent).") % {"min": 1, "max": 5},
    )

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisers]).order_by(
            "name"
        )

    def clean_material(self):
        upload = self.cleaned_data.get("material")
        if upload and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The document is larger than %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}
            )
        return upload

    @classmethod
    def initial_of(cls, event: Event) -> dict:
        return {name: getattr(event, name) for name in cls.base_fields if name != "material"}


class ParticipationForm(forms.Form):
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body of the directory"), queryset=Body.objects.none(), required=False
    )
    organisation_name = forms.CharField(
        label=_("Or the organisation's name"),
        max_length=200,
        required=False,
        help_text=_("When the organisation is not in the directory."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + list(ParticipantRole.choices))
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=1,
        max_value=MAX_PARTICIPANTS_PER_ROW,
        help_text=_("How many people of this organisation, in this role: never their names."),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

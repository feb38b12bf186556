"""Forms of integration activities: the fields each kind shows (a course, a job, housing), and its updates."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approdi.outreach.forms import BLANK, DateInput

from ..models import Activity, IntegrationKind

# The fields each kind of activity shows, in order; what a course or a job adds as it goes.
KIND_FIELDS = {
    IntegrationKind.ITALIAN_COURSE: ["provider", "level", "start", "end", "hours", "attendance_percent", "certificate"],
    IntegrationKind.TRAINING: ["provider", "sector", "start", "end", "hours", "attendance_percent", "certificate"],
    IntegrationKind.INTERNSHIP: [
        "provider",
        "sector",
        "start",
        "end",
        "hours_per_week",
        "monthly_allowance",
        "paid_by",
    ],
    IntegrationKind.WORK_GRANT: [
        "provider",
        "sector",
        "start",
        "end",
        "hours_per_week",
        "monthly_allowance",
        "paid_by",
    ],
    IntegrationKind.EMPLOYMENT: ["provider", "contract", "sector", "start", "end", "hours_per_week"],
    IntegrationKind.HOUSING: ["housing", "start"],
}
UPDATE_FIELDS = {
    IntegrationKind.ITALIAN_COURSE: ["level", "hours", "attendance_percent", "end", "certificate", "completed"],
    IntegrationKind.TRAINING: ["hours", "attendance_percent", "end", "certificate", "completed"],
    IntegrationKind.INTERNSHIP: ["hours_per_week", "monthly_allowance", "end", "completed"],
    IntegrationKind.WORK_GRANT: ["hours_per_week", "monthly_allowance", "end", "completed"],
    IntegrationKind.EMPLOYMENT: ["contract", "hours_per_week", "end", "completed"],
    IntegrationKind.HOUSING: ["end", "completed"],
}
PROVIDER_LABELS = {
    IntegrationKind.ITALIAN_COURSE: _("School or provider (e.g. CPIA)"),
    IntegrationKind.TRAINING: _("Training provider"),
    IntegrationKind.INTERNSHIP: _("Host employer"),
    IntegrationKind.WORK_GRANT: _("Host employer"),
    IntegrationKind.EMPLOYMENT: _("Employer"),
}
OTHER_LABELS = {
    "paid_by": _("Who pays the allowance"),
    "completed": _("Completed"),
    "certificate": _("Certificate obtained (e.g. A2 certificate)"),
}


def activity_label(kind: str, name: str):
    """The label of an activity's field for its kind (the provider of a course is its school)."""
    if name == "provider" and kind in PROVIDER_LABELS:
        return PROVIDER_LABELS[kind]
    if name == "start" and kind == IntegrationKind.HOUSING:
        return _("From")
    if name in OTHER_LABELS:
        return OTHER_LABELS[name]
    return capfirst(Activity._meta.get_field(name).verbose_name)


def _activity_field(kind: str, name: str) -> forms.Field:
    field = Activity._meta.get_field(name).formfield()
    field.label = activity_label(kind, name)
    if isinstance(field, forms.DateField):
        field.widget = DateInput()
    if isinstance(field, forms.TypedChoiceField):
        field.choices = BLANK + [c for c in field.choices if c[0] != ""]
    if name == "attendance_percent":
        field.max_value = 100
        field.validators.append(MaxValueValidator(100))
        field.widget.attrs["max"] = 100
    if name in Activity.REQUIRED.get(kind, ()):
        field.required = True
    return field


class ActivityKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=IntegrationKind.choices, widget=forms.RadioSelect)


class ActivityForm(forms.Form):
    """The fields of one kind of activity (``KIND_FIELDS``); the kind travels in a hidden field."""

    kind = forms.ChoiceField(choices=IntegrationKind.choices, widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        for name in KIND_FIELDS[kind]:
            self.fields[name] = _activity_field(kind, name)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != self.kind:
            raise forms.ValidationError(_("Choose the kind of activity again."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in KIND_FIELDS[self.kind] if name in self.cleaned_data}


class ActivityUpdateForm(forms.Form):
    """What a course, an internship or a job adds as it goes: attendance, the end, the certificate."""

    def __init__(self, *args, activity: Activity, **kwargs):
        self.activity = activity
        names = UPDATE_FIELDS[activity.kind]
        kwargs.setdefault("initial", {name: getattr(activity, name) for name in names})
        super().__init__(*args, **kwargs)
        for name in names:
            self.fields[name] = _activity_field(activity.kind, name)

    def clean(self):
        data = super().clean()
        if data.get("end") and data["end"] < self.activity.start:
            self.add_error("end", _("The end comes before the start."))
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in UPDATE_FIELDS[self.activity.kind] if name in self.cleaned_data
        }

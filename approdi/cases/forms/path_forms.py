"""Forms of a case's path: the plan, appointments, services delivered, integration, legal records,
and the programme's reference list of service types.

The forms check what a user can put right on the spot (an end before its start); the services
check the rules (the case is open, the owner is on the team) and their errors go on these forms.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future as _not_in_the_future
from approdi.outreach.forms import BLANK, DateInput, TimeInput

from ..models import (
    Activity,
    Domain,
    GoalStatus,
    IntegrationKind,
    LegalMatter,
    PermitType,
    ServiceType,
    Unit,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class TeamChoiceField(forms.ModelChoiceField):
    """A member of the case team, by name."""

    def label_from_instance(self, obj) -> str:
        return person_label(obj)


def _team_queryset(case):
    from approdi.accounts.models import User

    ids = [seat.user_id for seat in case.active_members]
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def _at(day, time) -> datetime:
    return timezone.make_aware(datetime.combine(day, time))


# The individual plan ------------------------------------------------------------------------------


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=BLANK + list(Domain.choices))
    description = forms.CharField(
        label=_("Goal"),
        max_length=300,
        help_text=_("What the person wants to reach, in her words where possible."),
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = TeamChoiceField(label=_("Who does it"), queryset=None, help_text=_("Someone on the case team."))
    due = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _team_queryset(case)


class ReviewForm(forms.Form):
    """A periodic review: every goal with its new status and a progress note, a summary, the next date."""

    day = forms.DateField(label=_("Date of the review"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    next_review = forms.DateField(label=_("Next review"), required=False, widget=DateInput())

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"status_{goal.pk}"] = forms.ChoiceField(
                label=_("Status"), choices=GoalStatus.choices, initial=goal.status
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=_("Progress"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_day(self):
        return _not_in_the_future(self.cleaned_data["day"])

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("next_review") and data["next_review"] <= data["day"]:
            self.add_error("next_review", _("The next review comes after this one."))
        return data

    def goal_rows(self):
        """(goal, status field, note field) for the template, one fieldset per goal."""
        return [(goal, self[f"status_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goals]

    def progress(self) -> dict[int, tuple[str, str]]:
        return {
            goal.pk: (self.cleaned_data[f"status_{goal.pk}"], self.cleaned_data[f"note_{goal.pk}"])
            for goal in self.goals
        }

    @property
    def main_fields(self):
        return [self["day"], self["summary"], self["next_review"]]


class AppointmentForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    title = forms.CharField(
        label=_("What"), max_length=200, help_text=_("E.g. interview, accompaniment to a medical visit.")
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    operator = TeamChoiceField(label=_("Operator"), queryset=None, help_text=_("Who goes: someone on the case team."))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = _team_queryset(case)

    def starts_at(self) -> datetime:
        return _at(self.cleaned_data["day"], self.cleaned_data["time"])


# Services delivered -------------------------------------------------------------------------------


def service_type_label(service_type: ServiceType) -> str:
    return _("%(name)s · € %(cost)s per %(unit)s") % {
        "name": service_type.name,
        "cost": formats.number_format(service_type.unit_cost, 2, use_l10n=True),
        "unit": service_type.get_unit_display(),
    }


class ServiceTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return service_type_label(obj)


class ServiceForm(forms.Form):
    service_type = ServiceTypeChoiceField(label=_("Service"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    quantity = forms.DecimalField(
        label=_("Units"),
        min_value=0.01,
        max_digits=7,
        decimal_places=2,
        initial=1,
        help_text=_("How many units of the service's unit (sessions, hours, days …)."),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, required=False)

    def __init__(self, *args, service_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types

    def clean_day(self):
        return _not_in_the_future(self.cleaned_data["day"])


class ServiceTypeForm(forms.Form):
    """A line of the programme's reference list. The code cannot change once services use it."""

    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Short, without spaces, e.g. psychological-session.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"), choices=BLANK + list(Unit.choices))
    unit_cost = forms.DecimalField(label=_("Unit cost (EUR)"), min_value=0, max_digits=9, decimal_places=2)

    def __init__(self, *args, existing=None, instance: ServiceType | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {"code": instance.code, "name": instance.name, "unit": instance.unit, "unit_cost": instance.unit_cost},
            )
        super().__init__(*args, **kwargs)
        self.existing = existing
        self.instance = instance
        if instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code does not change.")
            self.fields["unit_cost"].help_text = _(
                "Services recorded before keep the unit cost of their day; the new cost applies from now on."
            )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.instance is None and self.existing is not None and self.existing.filter(code=code).exists():
            raise forms.ValidationError(_("This code is in the list already: change that line instead."))
        return code


# Integration --------------------------------------------------------------------------------------

# The fields each kind of activity shows, in order; what a course or a job adds as it goes.
KIND_FIELDS: dict[str, list[str]] = {
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
UPDATE_FIELDS: dict[str, list[str]] = {
    IntegrationKind.ITALIAN_COURSE: ["level", "hours", "attendance_percent", "end", "certificate", "completed"],
    IntegrationKind.TRAINING: ["hours", "attendance_percent", "end", "certificate", "completed"],
    IntegrationKind.INTERNSHIP: ["hours_per_week", "monthly_allowance", "end", "completed"],
    IntegrationKind.WORK_GRANT: ["hours_per_week", "monthly_allowance", "end", "completed"],
    IntegrationKind.EMPLOYMENT: ["contract", "hours_per_week", "end", "completed"],
    IntegrationKind.HOUSING: ["end", "completed"],
}
PROVIDER_LABELS: dict[str, StrOrPromise] = {
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
    return capfirst(cast(models.Field, Activity._meta.get_field(name)).verbose_name)


def _activity_field(kind: str, name: str) -> forms.Field:
    # Any: which form field (date, typed choice, integer) depends on the model field the name picks.
    field: Any = cast(models.Field, Activity._meta.get_field(name)).formfield()
    field.label = activity_label(kind, name)
    if isinstance(field, forms.DateField):
        field.widget = DateInput()
    if isinstance(field, forms.TypedChoiceField):
        field.choices = BLANK + [c for c in cast(list[tuple[str, str]], field.choices) if c[0] != ""]
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

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        # Added here, not declared on the class, so that ``self.kind`` is the code, not the form field.
        self.fields["kind"] = forms.ChoiceField(choices=IntegrationKind.choices, widget=forms.HiddenInput, initial=kind)
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


# Legal --------------------------------------------------------------------------------------------


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
        return _at(self.cleaned_data["day"], self.cleaned_data["time"])

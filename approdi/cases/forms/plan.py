"""Forms of the individual plan: goals, actions, reviews, appointments.

The forms check what a user can put right on the spot (a next review before this one); the services
check the rules (the case is open, the owner is on the team) and their errors go on these forms.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future as _not_in_the_future
from approdi.outreach.forms import BLANK, DateInput, TimeInput

from ..models import Domain, GoalStatus
from ._common import TeamChoiceField, at, team_queryset


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
        self.fields["owner"].queryset = team_queryset(case)


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
        self.fields["operator"].queryset = team_queryset(case)

    def starts_at(self) -> datetime:
        return at(self.cleaned_data["day"], self.cleaned_data["time"])

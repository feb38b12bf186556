"""Forms of the governance tables: a table, a meeting scheduled, a meeting recorded, an action."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.accounts.models import User
from approdi.core.forms import IsoDateInput
from approdi.directory.models import Referent

from .models import Meeting, Recurrence, Table, TableKind, Topic

BLANK = [("", "—")]
# The agenda goes into the members' calendars, outside Approdi (ical.py).
AGENDA_HELP = _("It goes into the members' calendars: write no name and no code of the people the network serves.")


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _name(obj)


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _name(obj)


class ReferentsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.role}, {obj.body.name})"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TableForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + list(TableKind.choices))
    topic = forms.ChoiceField(label=_("Topic"), choices=list(Topic.choices), initial=Topic.GENERAL)
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, required=False, widget=forms.Textarea)
    convenor = UserChoice(label=_("Convenor"), queryset=User.objects.none())
    recurrence = forms.TypedChoiceField(
        label=_("Recurrence"),
        choices=list(Recurrence.choices),
        coerce=int,
        help_text=_("On the same weekday of the same week of the month as the first meeting."),
    )
    first_day = forms.DateField(label=_("First meeting"), widget=IsoDateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=720, initial=120)
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)
    users = UsersChoice(
        label=_("Members with an account"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    referents = ReferentsChoice(
        label=_("Members from the directory"),
        queryset=Referent.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Referents of the bodies in the directory."),
    )

    def __init__(self, *args, users, referents, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users]
        queryset = User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username")
        self.fields["convenor"].queryset = queryset
        self.fields["users"].queryset = queryset
        self.fields["referents"].queryset = (
            Referent.objects.filter(pk__in=[r.pk for r in referents])
            .select_related("body")
            .order_by("body__name", "name")
        )

    @classmethod
    def initial_of(cls, table: Table) -> dict:
        plain = ("name", "kind", "topic", "purpose", "convenor", "recurrence", "first_day", "start_time")
        return {f: getattr(table, f) for f in plain} | {
            "duration": table.duration,
            "place": table.place,
            "users": list(table.users.all()),
            "referents": list(table.referents.all()),
        }


class ScheduleForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=IsoDateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=720)
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), max_length=4000, required=False, widget=forms.Textarea, help_text=AGENDA_HELP
    )


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=list(Meeting.Status.choices))
    agenda = forms.CharField(
        label=_("Agenda"), max_length=4000, required=False, widget=forms.Textarea, help_text=AGENDA_HELP
    )
    present_users: UsersChoice = UsersChoice(
        label=_("Present (members with an account)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    present_referents: ReferentsChoice = ReferentsChoice(
        label=_("Present (members from the directory)"),
        queryset=Referent.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Name the people the network serves by their code only, never by name."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line."),
    )

    def __init__(self, *args, table: Table, **kwargs):
        super().__init__(*args, **kwargs)
        sitting = [u.pk for u in table.users.all()] + [table.convenor_id]
        users = cast("UsersChoice", self.fields["present_users"])
        users.queryset = User.objects.filter(pk__in=sitting).order_by("first_name", "last_name", "username")
        referents = cast("ReferentsChoice", self.fields["present_referents"])
        referents.queryset = table.referents.select_related("body").order_by("body__name", "name")

    @classmethod
    def initial_of(cls, meeting: Meeting) -> dict:
        return {
            "status": meeting.status,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            "present_users": list(meeting.present_users.all()),
            "present_referents": list(meeting.present_referents.all()),
        }


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = UserChoice(label=_("Owner"), queryset=User.objects.none())
    due = forms.DateField(label=_("Due date"), widget=IsoDateInput())

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in users]).order_by(
            "first_name", "last_name", "username"
        )

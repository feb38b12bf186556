"""What the forms of a case's path share: a team member to choose, a day and a time made one moment."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

from approdi.core.forms import QuickSelect


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class TeamChoiceField(forms.ModelChoiceField):
    """A member of the case team, by name."""

    widget = QuickSelect

    def label_from_instance(self, obj) -> str:
        return person_label(obj)


def team_queryset(case):
    from approdi.accounts.models import User

    ids = [seat.user_id for seat in case.active_members]
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def at(day, time) -> datetime:
    return timezone.make_aware(datetime.combine(day, time))

"""Forms of the case page: the list filter, assignment, team, transfers, notes, status and closure."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from approdi.accounts.models import Membership
from approdi.core.forms import QuickSelect
from approdi.network.dates import not_in_the_future
from approdi.outreach.forms import BLANK, DateInput

from ..models import Case, Note, Outcome, TeamRole


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + list(Case.Status.choices), required=False)
    code = forms.CharField(label=_("Person code"), max_length=40, required=False)


class UserChoiceField(forms.ModelChoiceField):
    """A user with her organisation in the case's programme (annotated by ``with_organisation``)."""

    widget = QuickSelect  # hundreds of users

    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.username
        organisation = getattr(user, "organisation_name", None)
        return f"{name} ({user.username}) · {organisation}" if organisation else f"{name} ({user.username})"


def with_organisation(users, case: Case):
    """Annotates each user with the organisation she works for in the case's programme."""
    organisation = Membership.objects.filter(user=OuterRef("pk"), programme_id=case.programme_id).values(
        "organisation__name"
    )[:1]
    return users.annotate(organisation_name=Subquery(organisation))


class AssignForm(forms.Form):
    case_manager = UserChoiceField(label=_("Case manager"), queryset=None)

    def __init__(self, *args, users, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["case_manager"]).queryset = with_organisation(users, case)


class TeamMemberForm(forms.Form):
    user = UserChoiceField(label=_("Person to add"), queryset=None)
    role = forms.ChoiceField(
        label=_("Role on the team"), choices=BLANK + [c for c in TeamRole.choices if c[0] != TeamRole.CASE_MANAGER]
    )

    def __init__(self, *args, users, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["user"]).queryset = with_organisation(users, case)


class TransferForm(forms.Form):
    to_user = UserChoiceField(
        label=_("Send to"),
        queryset=None,
        help_text=_("A named user of another organisation: the case moves only when she accepts."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, users, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["to_user"]).queryset = with_organisation(users, case)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    answer = forms.CharField(
        label=_("Why you refuse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: the colleague who sent the case reads it."),
    )


class NoteForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    domain = forms.ChoiceField(
        label=_("Domain"),
        choices=BLANK + list(Note.Domain.choices),
        help_text=_(
            "Legal, psychological and health notes are read only by your role on the team, whatever you choose below."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Note.Confidentiality.choices,
        initial=Note.Confidentiality.TEAM,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(Case.Status.ACTIVE, ""), (Case.Status.SUSPENDED, "")])


class CloseForm(forms.Form):
    day = forms.DateField(label=_("Closing date"), widget=DateInput())
    # "Continued in the next edition" is the continuation's own (a coordinator's, from the next edition).
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=BLANK + [c for c in Outcome.choices if c[0] != Outcome.CONTINUED]
    )

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])

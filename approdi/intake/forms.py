from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]  # missing from its fields.pyi

from approdi.cases.models.case import Outcome
from approdi.core.labels import country_choices
from approdi.network.dates import not_in_the_future
from approdi.network.models import Area, Organisation
from approdi.outreach.codes import Exploitation
from approdi.outreach.forms import BLANK, DateInput, TimeInput
from approdi.people.codes import Gender
from approdi.people.models import ConsentPurpose

from .models import Decision, Screening, Vulnerability

if TYPE_CHECKING:
    from approdi.accounts.models import User


class PersonForm(forms.Form):
    code = forms.CharField(
        label=_("Person code"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to derive it from names, birth date, nationality and gender."),
    )
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    aliases = forms.CharField(
        label=_("Aliases"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    birth_place = forms.CharField(label=_("Birth place"), required=False, max_length=100)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=BLANK + list(Gender.choices), required=False)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Type and number, one per line."),
    )
    is_minor = forms.BooleanField(label=_("Minor (or declares to be)"), required=False)


class ConsentForm(forms.Form):
    # The person's answer is never preselected: a "Consents" nobody chose would be recorded as hers.
    purpose = forms.ChoiceField(label=_("Purpose"), choices=BLANK + list(ConsentPurpose.choices))
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        coerce=lambda v: v == "yes",
        choices=BLANK + [("yes", _("Consents")), ("no", _("Does not consent / withdraws"))],
        error_messages={"required": _("Record the person's answer.")},
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])


class ScreeningForm(forms.Form):
    # No answer is offered: the operator chooses one (a preselected conclusion gets saved unread).
    conclusion = forms.ChoiceField(
        label=_("Your conclusion"),
        choices=BLANK + list(Screening.Conclusion.choices),
        help_text=_("Your judgement, recorded beside the rule's result."),
        error_messages={"required": _("Choose your conclusion: Approdi does not suggest one.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentForm(forms.Form):
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"), required=False, choices=Vulnerability.choices, widget=forms.CheckboxSelectMultiple
    )
    exploitation = forms.ChoiceField(
        label=_("Exploitation"), choices=BLANK + list(Exploitation.choices), required=False
    )
    complaint_filed = forms.BooleanField(label=_("A complaint has been filed"), required=False)
    cooperates_with_justice = forms.BooleanField(
        label=_("The person cooperates with the judicial authority"), required=False
    )
    asylum_claim = forms.BooleanField(label=_("An asylum claim is pending or intended"), required=False)
    wishes = forms.CharField(label=_("The person's own will"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=Decision.Kind.choices, widget=forms.RadioSelect)
    stage = forms.ChoiceField(
        label=_("Reception stage"),
        required=False,
        choices=BLANK
        + [
            ("emergency", _("Emergency")),
            ("first", _("First reception")),
            ("second", _("Second reception")),
            ("third", _("Third reception")),
        ],
        help_text=_("For residential reception."),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    # Never preselected: an area nobody chose would keep a woman away from beds she could take.
    avoid_area = forms.ModelChoiceField(
        label=_("Area to avoid"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text=_(
            "For residential reception: where she was exploited, or must stay away from. No bed there is proposed."
        ),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Decision.Kind.RESIDENTIAL and not data.get("stage"):
            self.add_error("stage", _("Choose the reception stage."))
        return data


class ExitForm(forms.Form):
    day = forms.DateField(label=_("Exit date"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=BLANK + [c for c in Outcome.choices if c[0] != Outcome.CONTINUED]
    )


class _FollowUp(forms.Form):
    """The follow-up actions of a conference, one per line, their owners among ``owners`` (users of the
    programme; the case team from the case page)."""

    follow_up = forms.CharField(
        label=_("Follow-up actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: action ; username of the owner ; due date (YYYY-MM-DD)."),
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self._owners = owners
        self._actions = []

    def clean_follow_up(self):
        from datetime import date

        actions = []
        for number, line in enumerate(self.cleaned_data["follow_up"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            # An owner works in the programme: the participants' list, law-enforcement bodies never in it.
            owner = self._owners.filter(username=parts[1]).first() if len(parts) == 3 else None
            try:
                due = date.fromisoformat(parts[2]) if len(parts) == 3 else None
            except ValueError:
                due = None
            if len(parts) != 3 or not parts[0] or owner is None or due is None:
                raise forms.ValidationError(_("Line %(n)s: write 'action ; username ; YYYY-MM-DD'.") % {"n": number})
            actions.append((parts[0], owner, due))
        self._actions = actions
        return self.cleaned_data["follow_up"]

    def actions(self):
        return self._actions


def _programme_users(programme, team):
    from approdi.accounts.models import Membership, User

    acting = Membership.objects.acting().filter(programme=programme).values("user_id")
    users = User.objects.filter(pk__in=acting, is_active=True)
    if team is not None:
        users = users.filter(pk__in=team)
    return users.order_by("username")


class ConferenceForm(_FollowUp):
    """A conference recorded after the fact (its date, what it decided) or scheduled ahead (its date, time and
    place; its decisions recorded once it has taken place)."""

    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=TimeInput(),
        required=False,
        help_text=_("For a conference scheduled ahead: its participants get the invitation by e-mail."),
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=720, required=False, help_text=_("60 if left empty.")
    )
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)
    organisations: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        label=_("Organisations taking part"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    participants: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        label=_("Participants with an account"), queryset=None, required=False
    )
    other_participants = forms.CharField(
        label=_("Other participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Once the conference has taken place; empty for a conference scheduled ahead."),
    )
    field_order = [
        "day", "start_time", "duration", "place", "organisations", "participants", "other_participants", "decisions",
        "follow_up",
    ]  # fmt: skip

    def __init__(self, *args, programme, team=None, **kwargs):
        """``team``: the case team's user ids, when the conference is recorded from the case page: its
        participants with an account and its actions' owners are chosen among them."""
        users = _programme_users(programme, team)
        super().__init__(*args, owners=users, **kwargs)
        # The firewall of DESIGN.md §5: a case conference is about a person, so no law-enforcement body takes part.
        self.fields["organisations"].queryset = programme.partners.exclude(type=Organisation.Type.ENFORCEMENT).order_by(
            "name"
        )
        self.fields["participants"].queryset = users

    def conference(self) -> dict:
        """What the form says, as the conference services take it (from the person's page or the case's)."""
        data = self.cleaned_data
        fields = ("start_time", "duration", "place", "organisations", "participants", "other_participants", "decisions")
        return {"day": data["day"], **{name: data[name] for name in fields}, "actions": self.actions()}


class ConferenceDecisionsForm(_FollowUp):
    """What a conference scheduled ahead decided, once it has taken place, and who does what by when."""

    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["decisions", "follow_up"]

    def __init__(self, *args, programme, team=None, **kwargs):
        super().__init__(*args, owners=_programme_users(programme, team), **kwargs)

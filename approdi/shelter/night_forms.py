"""The night emergency entry on a phone: few fields, none answered in advance for the person."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]  # missing from its fields.pyi

from approdi.core.labels import country_choices
from approdi.outreach.codes import AgeBand, SourceType
from approdi.people.codes import Gender

BLANK = [("", "—")]


class NightEntryForm(forms.Form):
    structure = forms.ChoiceField(label=_("Emergency structure"), widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("Person code"),
        required=False,
        max_length=20,
        help_text=_("Her code if she has one; leave empty and Approdi gives her one."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=list(Gender.choices), widget=forms.RadioSelect)
    age_band = forms.ChoiceField(label=_("Age band"), choices=BLANK + list(AgeBand.choices))
    language = forms.CharField(label=_("Language she speaks"), required=False, max_length=60)
    nationality = LazyTypedChoiceField(label=_("Nationality, if known"), choices=country_choices, required=False)
    referred_by = forms.ChoiceField(label=_("Who referred her"), choices=BLANK + list(SourceType.choices))
    referring_body = forms.CharField(label=_("Referring body or person"), required=False, max_length=200)
    arrived_at = forms.DateTimeField(
        label=_("Time of arrival"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    needs = forms.CharField(
        label=_("Urgent needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Health, safety, children with her: what the night and the next morning must know."),
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.structures = {s.code: s for s in structures}
        self.fields["structure"].choices = [
            (s.code, _("%(name)s · free emergency beds: %(free)d") % {"name": s.name, "free": s.free_now})
            for s in structures
        ]

from django import forms
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future
from approdi.network.models import Area
from approdi.outreach.forms import BLANK, DateInput

from .models import DiaryEntry, ExitReason, Stage, Structure, StructureType, TargetGender


class BoardFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("code"), required=False)
    type = forms.ChoiceField(label=_("Type"), choices=BLANK + list(StructureType.choices), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=BLANK + [("women", _("Women")), ("men", _("Men"))], required=False
    )


class PlaceForm(forms.Form):
    structure: "forms.ModelChoiceField[Structure]" = forms.ModelChoiceField(
        label=_("Structure"), queryset=Structure.objects.none()
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=BLANK + list(Stage.choices))
    start = forms.DateField(label=_("Start"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures

    def clean(self):
        data = super().clean()
        if data.get("planned_end") and data.get("start") and data["planned_end"] < data["start"]:
            self.add_error("planned_end", _("The planned end comes before the start."))
        return data


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Date of the move"), widget=DateInput())
    structure: "forms.ModelChoiceField[Structure]" = forms.ModelChoiceField(
        label=_("Structure (empty: the same)"), queryset=Structure.objects.none(), required=False
    )

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])


class EndForm(forms.Form):
    day = forms.DateField(label=_("End date"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Exit reason"),
        choices=BLANK + [c for c in ExitReason.choices if c[0] not in ("next_stage", "continued")],
    )

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])


class DiaryForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=DiaryEntry.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


GENDER_LABELS = dict(TargetGender.choices)


class CapacityForm(forms.Form):
    day = forms.DateField(label=_("From"), widget=DateInput())
    beds = forms.IntegerField(
        label=_("Beds"),
        min_value=0,
        max_value=200,
        help_text=_("0 closes the structure from that day until the next change."),
    )
    reason = forms.CharField(
        label=_("Reason for changing a closed period"),
        required=False,
        max_length=500,
        help_text=_(
            "Only when the date is in a period already reported to the funder, or in an ended edition: "
            "the lead entity's coordinator says why."
        ),
    )

    def __init__(self, *args, may_amend_closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_amend_closed:  # the others are refused in a closed period, whatever they write
            del self.fields["reason"]


class StageDurationsForm(forms.Form):
    """Planned days per stage (the programme's own, or Approdi's defaults)."""

    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for stage, label in Stage.choices:
            self.fields[stage] = forms.IntegerField(label=label, min_value=1, max_value=1000, initial=current[stage])

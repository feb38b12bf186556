"""Forms of the services delivered to a person, and of the programme's reference list of service types."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future as _not_in_the_future
from approdi.outreach.forms import BLANK, DateInput

from ..models import ServiceType, Unit


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

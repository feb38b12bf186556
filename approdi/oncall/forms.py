from django import forms
from django.utils.translation import gettext_lazy as _


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser's date-and-time picker: it reads and writes only YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ShiftForm(forms.Form):
    membership = forms.ChoiceField(label=_("Person on call"))
    phone = forms.CharField(label=_("Phone to call"), max_length=30)
    start = forms.DateTimeField(label=_("From"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    end = forms.DateTimeField(label=_("To"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(m.pk): m for m in staff}
        self.fields["membership"].choices = [("", "—")] + [
            (key, f"{m.user.get_full_name() or m.user.username} · {m.organisation.name}")
            for key, m in self.staff.items()
        ]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

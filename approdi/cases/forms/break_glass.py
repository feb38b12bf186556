from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.break_glass import REASON_MAX_LENGTH


class EmergencyAccessForm(forms.Form):
    code = forms.CharField(
        label=_("Person code"), max_length=40, help_text=_("The code of the person whose case you must open.")
    )
    # Not required here: a missing or too short reason is the service's refusal, audited as an attempt.
    reason = forms.CharField(
        label=_("Why you must open it now"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The emergency, in a few words. The DPO and the case manager are told of this access."),
    )

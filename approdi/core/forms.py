from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The field a form offers for changing a closed period (approdi/network/closing.py); the services' error for a
# missing reason is keyed ``reason``.
AMEND_REASON = "amend_reason"


def add_errors(form, error: ValidationError) -> None:
    """Puts a service's validation errors on the form: on their field, or on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        if field == "reason" and field not in form.fields and AMEND_REASON in form.fields:
            field = AMEND_REASON
        form.add_error(field if field in form.fields else None, errors)


def offer_amend_reason(form, user) -> None:
    """Adds the reason for changing a closed period, for whoever may give one; the others are refused anyway."""
    if user.has_perm("network.amend_closed_period"):
        form.fields[AMEND_REASON] = forms.CharField(
            label=_("Reason for changing a closed period"),
            required=False,
            max_length=500,
            help_text=_(
                "Only when the date is in a period already reported to the funder, or in an ended edition: "
                "the lead entity's coordinator says why."
            ),
        )


def amend_reason(form) -> str:
    return form.cleaned_data.get(AMEND_REASON, "") if AMEND_REASON in form.fields else ""


class IsoDateInput(forms.DateInput):
    """A browser's date picker: it reads and writes only YYYY-MM-DD, whatever the page's language.

    A localised value (05/12/2026 in Italian) would leave the picker empty, and the form would lose the date.
    """

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SegmentedRadio(forms.RadioSelect):
    """A few short answers as a row of buttons (templates/includes/fields.html): one tap on a phone, where a list
    takes two. Nothing is chosen until she taps one: give the field no initial value."""

    segmented = True


def offer_chips(field: forms.Field, chips) -> None:
    """Offers the most frequent answers of a list as one-tap buttons beside it (approdi.js sets the list's value).

    The list stays the field, whole, for the keyboard and without JavaScript; ``chips`` are (value, label) pairs.
    """
    field.widget.chips = list(chips)  # read by templates/includes/fields.html

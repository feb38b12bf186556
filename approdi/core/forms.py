from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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


class QuickSelect(forms.Select):
    """A long list (the programme's users, the directory's projects) rendered in Python, as Django's
    ``select.html`` and ``option.html`` would: through the templates each option costs an include, and the case
    page's four lists of hundreds of options cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rows = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rows) if group_name else rows)
        body = mark_safe("".join(groups))  # each row escaped by format_html_join
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), body)


class SegmentedRadio(forms.RadioSelect):
    """A few short answers as a row of buttons (templates/includes/fields.html): one tap on a phone, where a list
    takes two. Nothing is chosen until she taps one: give the field no initial value."""

    segmented = True


def offer_chips(field: forms.Field, chips) -> None:
    """Offers the most frequent answers of a list as one-tap buttons beside it (approdi.js sets the list's value).

    The list stays the field, whole, for the keyboard and without JavaScript; ``chips`` are (value, label) pairs.
    """
    field.widget.chips = list(chips)  # read by templates/includes/fields.html

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Puts a service's validation errors on the form: on their field, or on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class IsoDateInput(forms.DateInput):
    """A browser's date picker: it reads and writes only YYYY-MM-DD, whatever the page's language.

    A localised value (05/12/2026 in Italian) would leave the picker empty, and the form would lose the date.
    """

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

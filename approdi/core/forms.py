from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Puts a service's validation errors on the form: on their field, or on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)

"""A request refused because of the record's current state, which another request may just have changed."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The record's state refuses the change (a closed case, a transfer already waiting or answered).

    A ``ValidationError``, so pages show its message like any refusal; the API answers it 409 with the
    error envelope (``approdi/api/errors.py``).
    """
